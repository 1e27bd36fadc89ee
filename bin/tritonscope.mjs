#!/usr/bin/env -S node --initial-old-space-size=128
// The CLI is written in TypeScript; tsx (a runtime dependency) compiles it on the fly so that
// `npx tritonscope ...` works straight after `npm install`, with no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const entry = new URL('../electron/cli/main.ts', import.meta.url);
const { main } = await import(fileURLToPath(entry));
process.exitCode = await main(process.argv.slice(2));
