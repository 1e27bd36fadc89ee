// Types of rendererBuild.mjs for the TypeScript tests that import it.
export function rendererSourceHash(root: string): string;
export function rendererBuildIsCurrent(root: string): boolean;
export function stampRendererBuild(root: string): void;
