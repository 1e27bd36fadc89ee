/**
 * Browser mode in one call: services (mode 'browser') + the loopback bridge serving dist/renderer,
 * optionally with the embedded demo server started and a repository folder opened. Used by
 * `tritonscope ui` and by `npm start` when Electron's binary is absent.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServices, DEFAULT_APP_ROOT, type Services, type ServicesOptions } from '../services';
import { startBridge, type Bridge } from './server';

export interface BrowserModeOptions {
  host?: string;
  port?: number;
  allowNonLoopback?: boolean;
  /** Start the embedded demo server on assets/demo-repo (default true). */
  demo?: boolean;
  /** A model repository folder to open at start. */
  repo?: string;
  appRoot?: string;
  staticDir?: string;
  configDir?: string;
  token?: string;
  /** Extra service options (tests inject nothing here; the app uses the defaults). */
  services?: Partial<ServicesOptions>;
  log?: (line: string) => void;
}

export interface BrowserMode {
  bridge: Bridge;
  services: Services;
  /** Demo start failure, if any (browser mode still runs without it). */
  demoError: string | null;
  close(): Promise<void>;
}

/** Per-user config folder of the CLI/browser mode (Electron uses app.getPath('userData')). */
export function defaultConfigDir(): string {
  if (process.env.TRITONSCOPE_CONFIG_DIR) return process.env.TRITONSCOPE_CONFIG_DIR;
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData/Roaming'), 'tritonscope');
  if (process.platform === 'darwin') return join(homedir(), 'Library/Application Support/tritonscope');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'tritonscope');
}

export async function startBrowserMode(opts: BrowserModeOptions = {}): Promise<BrowserMode> {
  const appRoot = opts.appRoot ?? DEFAULT_APP_ROOT;
  const log = opts.log ?? (() => {});
  const services = await createServices({
    mode: 'browser',
    configDir: opts.configDir ?? defaultConfigDir(),
    appRoot,
    ...opts.services,
  });
  let bridge: Bridge;
  try {
    bridge = await startBridge({
      handlers: services.handlers,
      events: services.events,
      staticDir: opts.staticDir ?? join(appRoot, 'dist/renderer'),
      host: opts.host,
      port: opts.port,
      allowNonLoopback: opts.allowNonLoopback,
      token: opts.token,
    });
  } catch (err) {
    await services.close();
    throw err;
  }
  let demoError: string | null = null;
  if (opts.demo !== false) {
    try {
      const s = await services.demo.start();
      log(`embedded demo server on ${s.url} (assets/demo-repo)`);
    } catch (err) {
      demoError = (err as Error).message;
      log(`demo server not started: ${demoError}`);
    }
  }
  if (opts.repo) await services.repository.openTrusted(resolve(opts.repo));
  return {
    bridge,
    services,
    demoError,
    async close() {
      await bridge.close();
      await services.close();
    },
  };
}
