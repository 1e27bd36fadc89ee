// test-process: own (a minute of mostly waiting: in a lane it would hold up the files after it; see scripts/run-tests.mjs)
/**
 * Soak (issue 11): 8 clients infer while models load and unload in a loop, against the embedded
 * server in its own process (as in the desktop app). Passes when the server never crashes, every
 * error is a clean Triton answer about a model being (un)loaded, the model that is never unloaded
 * never fails, and the server's RSS stays bounded. TRITONSCOPE_SOAK_SECONDS sets the duration
 * (default 60); the figures are printed as test diagnostics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServerInChild } from '../../electron/server/processHost';
import { TritonClient, TritonError } from '../../electron/triton';
import { f32, fp16, makeRepository, scaleModel, scaledConfig } from './fixtures';
import { childScript } from '../helpers/childScript';

const SECONDS = Number(process.env.TRITONSCOPE_SOAK_SECONDS ?? 60);
const CLIENTS = 8;
/**
 * Pauses between requests (per client) and between load/unload operations: enough traffic to race
 * the loader all the time (about 30 requests and 2-3 loads or unloads a second, so every load and
 * unload meets requests in flight) while leaving CPU to the tests that run alongside (the whole
 * suite shares two cores with this minute). Shorter pauses only raise the request count, not what
 * the soak proves: at 100 ms it cost the suite twice the CPU (12 s against 6).
 */
const PAUSE_MS = 200;
const LOADER_PAUSE_MS = 200;
const CHILD = childScript(join(import.meta.dirname, '..', 'helpers', 'serverChild.ts'), { modelWorker: true });

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Errors a client may see while the model it asks for is being unloaded or reloaded. */
function isCleanChurnError(err: unknown): boolean {
  if (!(err instanceof TritonError)) return false;
  if (err.code === 'NOT_FOUND') return /^Request for unknown model: '(scaled|add_sub)'/.test(err.details);
  if (err.code === 'UNAVAILABLE') return /'(scaled|add_sub)'.*(not ready|unloaded|UNAVAILABLE)/i.test(err.details);
  return false;
}

test(
  `soak: ${CLIENTS} clients infer for ${SECONDS} s while models load and unload`,
  { timeout: (SECONDS + 90) * 1000 },
  async (t) => {
    if (process.platform !== 'linux') return t.skip('RSS is read from /proc (Linux)');
    const repo = makeRepository();
    const child = fork(CHILD, [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    let exit: { code: number | null; signal: string | null } | null = null;
    child.on('exit', (code, signal) => (exit = { code, signal }));
    const clients: TritonClient[] = [];
    try {
      const server = await startServerInChild(
        {
          post: (msg) => child.send(msg),
          onMessage: (listener) => child.on('message', listener),
          onExit: (listener) => child.on('exit', listener),
          kill: () => void child.kill(),
        },
        { modelRepository: repo.dir, controlMode: 'explicit', loadModels: ['half', 'scaled', 'add_sub'] },
      );
      const pid = child.pid!;
      const deadline = Date.now() + SECONDS * 1000;
      const rss: number[] = [rssMiB(pid)];
      const sampler = setInterval(() => {
        try {
          rss.push(rssMiB(pid));
        } catch {
          /* the process is gone: reported below */
        }
      }, 1000);

      const counts = { ok: 0, clean: 0, stableOk: 0, loads: 0, unloads: 0 };
      const bad: string[] = [];
      const cleanKinds = new Map<string, number>();
      const record = (what: string, err: unknown) => {
        if (bad.length < 20)
          bad.push(`${what}: ${err instanceof TritonError ? `${err.code} ${err.details}` : String(err)}`);
      };

      const requests = [
        { model: 'half', inputs: [{ name: 'X', datatype: 'FP16', shape: [2, 2], data: fp16([1, 2, 3, 4]) }] },
        {
          model: 'scaled',
          inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [2, 3], data: f32([1, 2, 3, 4, 5, 6]) }],
        },
        {
          model: 'add_sub',
          inputs: [
            { name: 'A', datatype: 'FP32', shape: [4], data: f32([1, 2, 3, 4]) },
            { name: 'B', datatype: 'FP32', shape: [4], data: f32([4, 3, 2, 1]) },
          ],
        },
      ];
      const inferLoop = async (i: number) => {
        const client = new TritonClient({ url: server.url, timeoutMs: 10_000 });
        clients.push(client);
        for (let n = i; Date.now() < deadline; n++) {
          const req = requests[n % requests.length];
          try {
            const r = await client.infer(req);
            assert.ok(r.outputs.length > 0);
            counts.ok++;
            if (req.model === 'half') counts.stableOk++;
          } catch (err) {
            if (req.model !== 'half' && isCleanChurnError(err)) {
              counts.clean++;
              const text = `${(err as TritonError).code} ${(err as TritonError).details}`;
              cleanKinds.set(text, (cleanKinds.get(text) ?? 0) + 1);
            } else record(`infer ${req.model}`, err);
          }
          await sleep(PAUSE_MS);
        }
      };
      const loadLoop = async () => {
        const client = new TritonClient({ url: server.url, timeoutMs: 30_000 });
        clients.push(client);
        const ops: Array<() => Promise<unknown>> = [
          () => client.unloadModel('scaled'),
          () => client.loadModel('scaled'),
          () => client.unloadModel('add_sub'),
          // a file override: a temp model directory that must go with the next unload
          () => client.loadModel('scaled', { config: scaledConfig(), files: { '1/model.onnx': scaleModel(4) } }),
          () => client.loadModel('add_sub'),
          () => client.loadModel('scaled'),
        ];
        for (let n = 0; Date.now() < deadline; n++) {
          try {
            await ops[n % ops.length]();
            if (n % ops.length === 0 || n % ops.length === 2) counts.unloads++;
            else counts.loads++;
          } catch (err) {
            record('load/unload', err);
          }
          await sleep(LOADER_PAUSE_MS);
        }
      };

      await Promise.all([...Array.from({ length: CLIENTS }, (_, i) => inferLoop(i)), loadLoop()]);
      clearInterval(sampler);
      rss.push(rssMiB(pid));
      assert.equal(exit, null, 'the server process died');
      assert.equal(await clients[0].serverLive(), true);

      const third = Math.max(1, Math.floor(rss.length / 3));
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const early = median(rss.slice(0, third));
      const late = median(rss.slice(-third));
      const peak = Math.max(...rss);
      t.diagnostic(
        `requests ok ${counts.ok} (stable model ${counts.stableOk}), clean churn errors ${counts.clean}, ` +
          `loads ${counts.loads}, unloads ${counts.unloads}; server RSS MiB: start ${rss[0].toFixed(0)}, ` +
          `early median ${early.toFixed(0)}, late median ${late.toFixed(0)}, peak ${peak.toFixed(0)}`,
      );
      for (const [text, n] of cleanKinds) t.diagnostic(`${n} × ${text}`);
      assert.deepEqual(bad, [], 'only clean errors');
      // e.g. MaxListenersExceededWarning: listeners piling up on reused model workers
      assert.doesNotMatch(stderr, /Warning|Error/, `the server process complained:\n${stderr.slice(0, 2000)}`);
      assert.ok(counts.stableOk > 0 && counts.loads > 0 && counts.unloads > 0, 'the soak did real work');
      assert.ok(peak < 1024, `server RSS peaked at ${peak.toFixed(0)} MiB`);
      assert.ok(late <= early * 1.5 + 64, `server RSS grew from ${early.toFixed(0)} to ${late.toFixed(0)} MiB`);
      await server.close();
    } finally {
      for (const c of clients) c.close();
      child.kill();
      repo.cleanup();
    }
  },
);
