#!/usr/bin/env -S node --initial-old-space-size=128
// The CLI is written in TypeScript: it runs from its bundle when that is current, else tsx (a runtime
// dependency) compiles it on the fly, so that `npx tritonscope ...` works straight after
// `npm install`, with no build step (bin/cliBundle.mjs).
import { loadCliMain } from './cliBundle.mjs';

// grpc-js hands Node the target's host as the TLS server name, and Node warns (DEP0123) on every
// TLS connection to an IP address (`--url 192.168.1.20:8001 --tls`): two lines of noise under a CLI
// that promises one line per failure. Only that warning is dropped.
const emitWarning = process.emitWarning.bind(process);
/** @type {typeof process.emitWarning} */
const filtered = (warning, ...rest) => {
  const [typeOrOptions, code] = /** @type {unknown[]} */ (rest);
  const warningCode =
    typeof typeOrOptions === 'object' && typeOrOptions !== null
      ? /** @type {{ code?: string }} */ (typeOrOptions).code
      : code;
  if (warningCode === 'DEP0123') return;
  Reflect.apply(emitWarning, process, [warning, ...rest]);
};
process.emitWarning = filtered;
// `tritonscope ... | head`: the reader is gone, so stop quietly, as a pipe's writer does (instead of
// an unhandled EPIPE and a stack trace).
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await loadCliMain();
process.exitCode = await main(process.argv.slice(2));
// The command is done. What is still open is not ours to wait for: after `serve` stops, a peer
// that keeps an idle connection to the closed port would otherwise hold the process until it
// lets go (14-45 s were measured). Exit once what was written has been flushed (pipes are
// asynchronous on macOS).
process.stdout.write('', () => process.stderr.write('', () => process.exit()));
