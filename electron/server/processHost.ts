/**
 * The embedded server in a process of its own, as a thin message transport: in Electron the main
 * process forks it with `utilityProcess` (electron/serverProcess.ts), so no model load or crash can
 * freeze the UI; plain Node can do the same with child_process.fork (the tests do). Both sides
 * speak through a minimal channel so neither depends on Electron here.
 *
 *   parent → child: { t: 'start', options } | { t: 'close' }
 *   child → parent: { t: 'started', port, url, httpUrl?, metricsUrl? } | { t: 'failed', message } | { t: 'closed' }
 */
import type { EmbeddedServerOptions } from './index';

/** What crosses the process boundary: the options without the log callback. */
export type HostedServerOptions = Omit<EmbeddedServerOptions, 'log'>;

type ToChild = { t: 'start'; options: HostedServerOptions } | { t: 'close' };
type FromChild =
  | { t: 'started'; port: number; url: string; httpUrl?: string; metricsUrl?: string }
  | { t: 'failed'; message: string }
  | { t: 'closed' };

export interface ChildSide {
  onMessage(listener: (msg: unknown) => void): void;
  post(msg: FromChild): void;
}

export interface ParentSide {
  post(msg: ToChild): void;
  onMessage(listener: (msg: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export interface HostedServer {
  port: number;
  url: string;
  httpUrl?: string;
  /** Present when the server was started with a metrics port. */
  metricsUrl?: string;
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 10_000;

/** Child side: starts the server when asked, closes it when asked (then the parent ends the process). */
export function serveInChild(channel: ChildSide): void {
  let server: { close(): Promise<void> } | undefined;
  channel.onMessage(async (raw) => {
    const msg = raw as ToChild;
    if (msg?.t === 'start' && !server) {
      try {
        const { startEmbeddedServer } = await import('./index');
        const s = await startEmbeddedServer(msg.options);
        server = s;
        channel.post({ t: 'started', port: s.port, url: s.url, httpUrl: s.httpUrl, metricsUrl: s.metricsUrl });
      } catch (err) {
        channel.post({ t: 'failed', message: err instanceof Error ? err.message : String(err) });
      }
    } else if (msg?.t === 'close') {
      await server?.close().catch(() => undefined);
      channel.post({ t: 'closed' });
    }
  });
}

/** Parent side: starts the server in the child and resolves once it listens. */
export function startServerInChild(child: ParentSide, options: HostedServerOptions): Promise<HostedServer> {
  return new Promise<HostedServer>((resolve, reject) => {
    let exited = false;
    let onClosed: (() => void) | undefined;
    child.onExit((code) => {
      exited = true;
      onClosed?.();
      reject(new Error(`the embedded server process exited (code ${code}) before it started`));
    });
    child.onMessage((raw) => {
      const msg = raw as FromChild;
      if (msg?.t === 'failed') {
        child.kill();
        reject(new Error(msg.message));
      } else if (msg?.t === 'closed') {
        onClosed?.();
      } else if (msg?.t === 'started') {
        resolve({
          port: msg.port,
          url: msg.url,
          httpUrl: msg.httpUrl,
          metricsUrl: msg.metricsUrl,
          close: () =>
            new Promise<void>((done) => {
              if (exited) return done();
              const timer = setTimeout(() => onClosed?.(), CLOSE_GRACE_MS);
              onClosed = () => {
                clearTimeout(timer);
                onClosed = undefined;
                if (!exited) child.kill();
                done();
              };
              child.post({ t: 'close' });
            }),
        });
      }
    });
    child.post({ t: 'start', options });
  });
}
