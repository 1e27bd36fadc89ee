// Types of inputsHash.mjs for the TypeScript code that imports it.
export function inputsHash(root: string, inputs: readonly string[]): string;
