/**
 * The child half of test/helpers/cli.ts: runs `tritonscope` commands one at a time through the CLI's
 * own main(), capturing what they write. It is a process of its own (not the test process), so
 * swapping process.stdout.write here cannot swallow the test runner's reporting.
 */
import { loadCliMain } from '../../bin/cliBundle.mjs';

// The test process is gone (or let go of this host while idle and then ended): so is this host.
// Listening before the CLI loads, so that a disconnect while it loads is not missed.
process.on('disconnect', () => process.exit(0));

// The same code the binary runs: the bundle when it is current, else the sources.
const { main } = await loadCliMain();

interface RunMessage {
  id: number;
  args: string[];
  cwd: string;
}

const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);

function capture(into: string[]): typeof process.stdout.write {
  return (chunk: string | Uint8Array, ...rest: unknown[]) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  };
}

let queue = Promise.resolve();
process.on('message', (msg: RunMessage) => {
  queue = queue.then(async () => {
    const out: string[] = [];
    const err: string[] = [];
    process.chdir(msg.cwd);
    process.stdout.write = capture(out);
    process.stderr.write = capture(err);
    let code: number;
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
    process.send!({ id: msg.id, code, stdout: out.join(''), stderr: err.join('') });
  });
});
