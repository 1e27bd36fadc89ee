/**
 * The child half of test/helpers/cli.ts: runs `tritonscope` commands one at a time through the CLI's
 * own main(), capturing what they write. It is a process of its own (not the test process), so
 * swapping process.stdout.write here cannot swallow the test runner's reporting.
 *
 * Plain JavaScript, so that it runs without tsx: a host started through `--import tsx` took 1.2 s of
 * CPU to answer its first command, against 0.3 s without (the CLI's bundle is CommonJS; from the
 * sources, bin/cliBundle.mjs registers tsx itself).
 */
import { loadCliMain } from '../../bin/cliBundle.mjs';

// The test process is gone (or let go of this host while idle and then ended): so is this host.
// Listening before the CLI loads, so that a disconnect while it loads is not missed.
process.on('disconnect', () => process.exit(0));
if (!process.send) throw new Error('cliChild.mjs runs as a child forked by test/helpers/cli.ts');
const send = process.send.bind(process);

// The same code the binary runs: the bundle when it is current, else the sources.
const { main } = await loadCliMain();

/** @typedef {{ id: number, args: string[], cwd: string }} RunMessage */

const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);

/** @param {string[]} into @returns {typeof process.stdout.write} */
function capture(into) {
  return /** @type {typeof process.stdout.write} */ (
    (/** @type {string | Uint8Array} */ chunk, /** @type {unknown[]} */ ...rest) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = /** @type {(() => void) | undefined} */ (rest.find((r) => typeof r === 'function'));
      done?.();
      return true;
    }
  );
}

let queue = Promise.resolve();
process.on('message', (/** @type {RunMessage} */ msg) => {
  queue = queue.then(async () => {
    /** @type {string[]} */
    const out = [];
    /** @type {string[]} */
    const err = [];
    process.chdir(msg.cwd);
    process.stdout.write = capture(out);
    process.stderr.write = capture(err);
    /** @type {number} */
    let code;
    try {
      code = await main(msg.args);
    } catch (e) {
      // main() turns command errors into exit codes; anything else is a CLI bug the test must see.
      err.push(`uncaught: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      code = 70;
    } finally {
      process.stdout.write = realOut;
      process.stderr.write = realErr;
    }
    send({ id: msg.id, code, stdout: out.join(''), stderr: err.join('') });
  });
});
