/**
 * A Chromium page driven over the raw DevTools protocol (pipe transport), for the pipeline bench.
 *
 * Why not Playwright, as the browser tests use: Playwright enables the Network domain on every
 * page and worker, and Chromium then base64-encodes the payload of every WebSocket frame into a
 * `Network.webSocketFrameSent/Received` event and ships it to the driver. For the bridge's
 * megabyte tensor frames that costs more than the transport itself (measured on this machine: a
 * 1.4 MB send blocked the page 144 ms with the domain on against 15-25 ms off, a round trip 646 ms
 * against 57-156 ms), so Playwright measured its own instrumentation. This driver enables only
 * what it uses (Runtime, Profiler, HeapProfiler on demand); `networkDomain: true` turns Network on
 * to reproduce Playwright's conditions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM_ARGS } from '../test/e2e/harness';
import { FULL_CHROMIUM } from '../test/helpers/chromium';

// The full browser, not the tests' headless shell: the pipeline's figures (bench/PIPELINE.md) are a
// user's browser's, and their history was measured with it.
const CHROMIUM = process.env.CHROMIUM_PATH ?? FULL_CHROMIUM;

interface Pending {
  resolve(v: never): void;
  reject(e: Error): void;
  method: string;
}

export interface CdpPage {
  /** Chromium's browser process (its children are the renderer, GPU and utility processes). */
  pid: number;
  /** A DevTools command on the page's session. */
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Evaluates `fn(arg)` in the page (awaits a returned promise); the value comes back as JSON. */
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Polls `fn(arg)` until it returns truthy. */
  waitFor<A = undefined>(fn: (arg: A) => unknown, arg?: A, timeoutMs?: number): Promise<void>;
  waitForSelector(selector: string, timeoutMs?: number): Promise<void>;
  click(selector: string): Promise<void>;
  selectOption(selector: string, value: string): Promise<void>;
  fill(selector: string, value: string): Promise<void>;
  setInputFiles(selector: string, files: string[]): Promise<void>;
  /** Runs `source` in every new document (before the app's scripts), then reloads. */
  reloadWithInitScript(source: string): Promise<void>;
  /** Sessions of the page's dedicated workers (attached on first call), for `sendTo`. */
  workers(): Promise<{ sessionId: string; url: string }[]>;
  sendTo<T = unknown>(sessionId: string, method: string, params?: Record<string, unknown>): Promise<T>;
  /** Records a Chromium trace (chrome://tracing JSON) of everything the page does for `ms`. */
  trace(ms: number, categories: string[]): Promise<string>;
  /** Page errors and console errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export async function openCdpPage(
  url: string,
  opts: { width?: number; height?: number; networkDomain?: boolean } = {},
): Promise<CdpPage> {
  const profileDir = mkdtempSync(join(tmpdir(), 'tritonscope-cdp-'));
  const proc: ChildProcess = spawn(
    CHROMIUM,
    [
      ...CHROMIUM_ARGS,
      '--remote-debugging-pipe',
      `--user-data-dir=${profileDir}`,
      `--window-size=${opts.width ?? 1440},${opts.height ?? 900}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const toBrowser = proc.stdio[3] as Writable;
  const fromBrowser = proc.stdio[4] as Readable;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, ((params: Record<string, unknown>) => void)[]>();
  let nextId = 1;
  let buffered = '';
  fromBrowser.setEncoding('utf8');
  fromBrowser.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buffered.slice(0, end)) as {
        id?: number;
        method?: string;
        params?: Record<string, unknown>;
        result?: unknown;
        error?: { message: string };
      };
      buffered = buffered.slice(end + 1);
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${p.method}: ${msg.error.message}`));
        else p?.resolve(msg.result as never);
      } else if (msg.method) {
        for (const l of listeners.get(msg.method) ?? []) l(msg.params ?? {});
      }
    }
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  void exited.then(() => {
    for (const p of pending.values()) p.reject(new Error(`${p.method}: Chromium exited`));
    pending.clear();
  });

  const raw = <T>(method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, method });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });

  const { targetInfos } = await raw<{ targetInfos: { targetId: string; type: string }[] }>('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'page');
  if (!target) throw new Error('Chromium opened no page');
  const { sessionId } = await raw<{ sessionId: string }>('Target.attachToTarget', {
    targetId: target.targetId,
    flatten: true,
  });
  const send = <T = unknown>(method: string, params: Record<string, unknown> = {}) => raw<T>(method, params, sessionId);

  const errors: string[] = [];
  const on = (event: string, fn: (params: Record<string, unknown>) => void) =>
    listeners.set(event, [...(listeners.get(event) ?? []), fn]);
  on('Runtime.exceptionThrown', (p) => {
    const d = p['exceptionDetails'] as { text: string; exception?: { description?: string } };
    errors.push(`pageerror: ${d.exception?.description ?? d.text}`);
  });
  on('Runtime.consoleAPICalled', (p) => {
    if (p['type'] !== 'error') return;
    const args = p['args'] as { value?: unknown; description?: string }[];
    errors.push(`console: ${args.map((a) => JSON.stringify(a.value ?? a.description ?? '')).join(' ')}`);
  });
  await send('Runtime.enable');
  await send('Page.enable');
  if (opts.networkDomain) await send('Network.enable');

  const evaluate = async <T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> => {
    const r = await send<{
      result: { value?: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>('Runtime.evaluate', {
      expression: `(${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})`,
      awaitPromise: true,
      returnByValue: true,
    });
    if (r.exceptionDetails)
      throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  };
  const waitFor = async <A = undefined>(fn: (arg: A) => unknown, arg?: A, timeoutMs = 15_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (await evaluate(fn, arg).catch(() => false)) return;
      if (Date.now() > until)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${fn.toString()} ${JSON.stringify(arg)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await send('Page.navigate', { url });
  let workerSessions: { sessionId: string; url: string }[] | undefined;

  return {
    pid: proc.pid!,
    send,
    evaluate,
    waitFor,
    errors,
    waitForSelector: (selector, timeoutMs) => waitFor((s) => !!document.querySelector(s), selector, timeoutMs),
    async click(selector) {
      await waitFor((s) => !!document.querySelector(s), selector);
      await evaluate((s) => document.querySelector<HTMLElement>(s)!.click(), selector);
    },
    async selectOption(selector, value) {
      await waitFor(
        ([s, v]) => [...(document.querySelector<HTMLSelectElement>(s)?.options ?? [])].some((o) => o.value === v),
        [selector, value] as const,
      );
      await evaluate(
        ([s, v]) => {
          const el = document.querySelector<HTMLSelectElement>(s)!;
          el.value = v;
          el.dispatchEvent(new Event('change', { bubbles: true }));
        },
        [selector, value] as const,
      );
    },
    async fill(selector, value) {
      await waitFor((s) => !!document.querySelector(s), selector);
      await evaluate(
        ([s, v]) => {
          const el = document.querySelector<HTMLInputElement>(s)!;
          // React tracks the value it set last: go through the prototype's setter, then say 'input'.
          Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, v);
          el.dispatchEvent(new Event('input', { bubbles: true }));
          el.dispatchEvent(new Event('change', { bubbles: true }));
        },
        [selector, value] as const,
      );
    },
    async setInputFiles(selector, files) {
      const { root } = await send<{ root: { nodeId: number } }>('DOM.getDocument', { depth: 0 });
      const { nodeId } = await send<{ nodeId: number }>('DOM.querySelector', { nodeId: root.nodeId, selector });
      if (!nodeId) throw new Error(`no element matches ${selector}`);
      await send('DOM.setFileInputFiles', { nodeId, files });
    },
    async workers() {
      if (!workerSessions) {
        const found: { sessionId: string; url: string }[] = [];
        workerSessions = found;
        on('Target.attachedToTarget', (p) => {
          const info = p['targetInfo'] as { type: string; url: string };
          if (info.type === 'worker') found.push({ sessionId: String(p['sessionId']), url: info.url });
        });
        await send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true });
        await new Promise((r) => setTimeout(r, 200));
      }
      return [...workerSessions];
    },
    sendTo: (id, method, params = {}) => raw(method, params, id),
    async trace(ms, categories) {
      const complete = new Promise<string>((resolve) =>
        on('Tracing.tracingComplete', (p) => resolve(String(p['stream']))),
      );
      await send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: categories } });
      await new Promise((r) => setTimeout(r, ms));
      await send('Tracing.end');
      const stream = await complete;
      let text = '';
      for (;;) {
        const chunk = await send<{ data: string; eof: boolean; base64Encoded?: boolean }>('IO.read', {
          handle: stream,
        });
        text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
        if (chunk.eof) break;
      }
      await send('IO.close', { handle: stream });
      return text;
    },
    async reloadWithInitScript(source) {
      await send('Page.addScriptToEvaluateOnNewDocument', { source });
      await send('Page.reload');
    },
    async close() {
      await raw('Browser.close').catch(() => undefined);
      const killer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
