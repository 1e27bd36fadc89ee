// Types of build-cli.mjs for the TypeScript tests that import it.
export function buildCli(root: string): Promise<number>;
