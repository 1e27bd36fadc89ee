// Types of cliBundle.mjs for the TypeScript code that imports it.
export const CLI_BUNDLE: string;
export const CLI_STAMP: string;
export function cliBundleIsCurrent(root: string): boolean;
export function loadCliMain(
  root?: string,
): Promise<{ main: (argv: string[]) => Promise<number>; from: 'bundle' | 'source' }>;
