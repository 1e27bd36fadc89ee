/**
 * Browser-mode E2E harness: the real services (electron/services) behind the real loopback bridge
 * (electron/bridge) serving the built renderer (dist/renderer), the embedded Triton-protocol
 * server on a temporary copy of the demo repository, and Debian's chromium driven by
 * playwright-core. Everything binds 127.0.0.1 on random ports and is closed by `close()`.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createServices, type Services, type ServicesOptions } from '../../electron/services';
import { startBridge, type Bridge } from '../../electron/bridge';
import type { StartEmbeddedServer } from '../../electron/services/demo';
import { startEmbeddedServer } from '../../electron/server';
import { SHARED_DIR } from '../helpers/shared';
import { CHROMIUM } from '../helpers/chromium';
import { ProcessShared } from '../helpers/processShared';
import type { ApiHandlers, ApiMethodName } from '../../shared/contract';

/**
 * playwright-core is CommonJS: require() loads it in 0.6 s of CPU, an ESM import through tsx's hooks
 * in 1.0-1.1 s (this machine), and every test process that runs browser tests loads it.
 */
const { chromium } = createRequire(import.meta.url)('playwright-core') as typeof import('playwright-core');

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const SHARED = SHARED_DIR;
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts/e2e');
export const DIST = join(REPO_ROOT, 'dist/renderer');
export { CHROMIUM };

/** The app side of browser mode: services on a copy of the demo repository behind the bridge. */
export interface Backend {
  tmp: string;
  repoDir: string;
  services: Services;
  bridge: Bridge;
  /**
   * Calls `listener` with every API call the bridge hands to the services (after validation), from
   * any page or worker; returns the unsubscribe.
   */
  onApiCall(listener: ApiCallListener): () => void;
  /** Registers cleanup run (in reverse order) by close(). */
  onClose(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

export interface Harness extends Backend {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far (a blank screen usually starts here). */
  pageErrors: string[];
}

/** Chromium's flags for the browser tests and the pipeline bench (headless, software GL, no extras). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
  // Headless Chromium builds the omnibox popup's WebUI pages (two extra renderer processes) for
  // every window, and a browser context is a window: a harness start (new page + app load) took 5.4 s
  // of CPU with them and 2.9 s without, on this machine, for pages no test sees. The last --disable-features wins (measured), so this one replaces
  // Playwright's own list, which is repeated here.
  `--disable-features=${[
    'WebUIOmniboxPopup',
    'WebUIOmniboxAimPopup',
    'WebUIOmniboxFullPopup',
    'PreloadTopChromeWebUI',
    // Playwright's (playwright-core chromiumSwitches), kept:
    'AvoidUnnecessaryBeforeUnloadCheckSync',
    'DestroyProfileOnBrowserClose',
    'HttpsUpgrades',
    'HttpsFirstBalancedModeAutoEnable',
    'LensOverlay',
    'MediaRouter',
    'PaintHolding',
    'ThirdPartyStoragePartitioning',
    'AvoidCorsURLLoaderRestartOnRedirect',
    'OptimizationHints',
    'NetworkTimeServiceQuerying',
    'AimEnabled',
    'PreconnectToSearch',
  ].join(',')}`,
];

export type ApiCallListener = (method: ApiMethodName, request: unknown) => void;

/** `handlers`, telling `listeners` of each call before it runs. */
function tappedHandlers(handlers: ApiHandlers, listeners: Set<ApiCallListener>): ApiHandlers {
  return new Proxy(handlers, {
    get(target, method, receiver) {
      const handler: unknown = Reflect.get(target, method, receiver);
      if (typeof handler !== 'function') return handler;
      return (request: unknown) => {
        for (const listener of listeners) listener(method as ApiMethodName, request);
        return (handler as (r: unknown) => unknown).call(target, request);
      };
    },
  });
}

export interface BackendOptions {
  demoRepo?: string;
  demoMedia?: string;
  /** Extra service options, e.g. `fileRoots` for the certificate chooser. */
  services?: Pick<ServicesOptions, 'fileRoots'>;
  /** How the demo's embedded server starts (default: in this process). */
  startServer?: StartEmbeddedServer;
  /** Start the embedded demo server before the page opens, as `npm start` and `tritonscope ui` do. */
  startDemo?: boolean;
  /** Make each start of the demo server this much slower (a large repository on a slow machine). */
  demoStartDelayMs?: number;
}

/** The demo server's start, made `demoStartDelayMs` slower when asked. */
function delayed(opts: BackendOptions): StartEmbeddedServer {
  const start: StartEmbeddedServer = opts.startServer ?? startEmbeddedServer;
  const delay = opts.demoStartDelayMs ?? 0;
  return async (o) => {
    if (delay) await new Promise((r) => setTimeout(r, delay));
    return start(o);
  };
}

export async function startBackend(opts: BackendOptions = {}): Promise<Backend> {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(
      `${DIST}/index.html is missing: build the renderer first (npx vite build --config renderer/vite.config.ts)`,
    );
  }
  const tmp = mkdtempSync(join(tmpdir(), 'tritonscope-e2e-'));
  const repoDir = join(tmp, 'repo');
  // Edits in the tests must not touch the checkout: the services see a copy.
  cpSync(opts.demoRepo ?? process.env.TRITONSCOPE_E2E_REPO ?? join(REPO_ROOT, 'assets/demo-repo'), repoDir, {
    recursive: true,
  });
  mkdirSync(join(tmp, 'config'));
  mkdirSync(ARTIFACTS, { recursive: true });

  const cleanup: (() => Promise<void> | void)[] = [() => rmSync(tmp, { recursive: true, force: true })];
  const close = async () => {
    for (const f of cleanup.reverse()) await Promise.resolve(f()).catch((e) => console.error('cleanup:', e));
  };
  try {
    const services = await createServices({
      mode: 'browser',
      configDir: join(tmp, 'config'),
      demoRepoDir: repoDir,
      demoMediaDir: opts.demoMedia ?? join(REPO_ROOT, 'assets/demo'),
      ...opts.services,
      ...(opts.startServer || opts.demoStartDelayMs ? { startServer: delayed(opts) } : {}),
    });
    cleanup.push(() => services.close());
    if (opts.startDemo) await services.demo.start();
    const apiListeners = new Set<ApiCallListener>();
    const bridge = await startBridge({
      handlers: tappedHandlers(services.handlers, apiListeners),
      events: services.events,
      staticDir: DIST,
    });
    cleanup.push(() => bridge.close());
    const onApiCall = (listener: ApiCallListener) => {
      apiListeners.add(listener);
      return () => void apiListeners.delete(listener);
    };
    return { tmp, repoDir, services, bridge, onApiCall, onClose: (fn) => cleanup.push(fn), close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * One Chromium per test process, shared by the harnesses in it (each gets its own browser context:
 * separate cookies, storage and pages). The test runner runs several test files in one process
 * (scripts/run-tests.mjs), and a Chromium launch costs about a second of CPU. When the last harness
 * closes, the browser closes a moment later unless another harness takes it first, so a process
 * whose tests are done can exit.
 */
// 3 s: the next file of a lane imports its modules and starts its services before it takes the browser.
const browsers: ProcessShared<Promise<Browser>> = new ProcessShared(
  () => {
    const browser = chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // A failed launch is not kept: the next harness tries again.
    browser.catch(() => browsers.drop(browser));
    return browser;
  },
  (browser) => void browser.then((b) => b.close()).catch(() => undefined),
  3000,
);

export interface HarnessOptions extends BackendOptions {
  viewport?: { width: number; height: number };
  /**
   * Runs once the page exists, before it loads the app: listeners, init scripts, or profiles that
   * must be there at the first load. One load instead of a load and a reload (each load parses the
   * bundle, renders the app and opens the bridge sockets again).
   */
  beforeOpen?: (page: Page, backend: Backend) => Promise<void> | void;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  // The browser is taken first (it starts, or stays, while the services and demo server start).
  const browserReady = browsers.take();
  let backend: Backend;
  try {
    backend = await startBackend(opts);
  } catch (e) {
    browsers.release(browserReady);
    throw e;
  }
  backend.onClose(() => browsers.release(browserReady));
  try {
    const browser = await browserReady;
    const context = await browser.newContext({
      viewport: opts.viewport ?? { width: 1440, height: 900 },
      deviceScaleFactor: 1,
      acceptDownloads: true,
    });
    // Every page of the context, this one and any a test opens (a second tab).
    context.on('page', keepWorkersOutOfNetworkDomain);
    context.on('page', pollOnATimer);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
    });
    backend.onClose(() => context.close());
    // Runs first on close (cleanup runs in reverse): what the page complained of, for the log.
    backend.onClose(() => {
      if (pageErrors.length) console.log('page errors:\n' + pageErrors.join('\n'));
    });
    await opts.beforeOpen?.(page, backend);
    await profilePage(page, backend);
    await page.goto(backend.bridge.url);
    return { ...backend, browser, context, page, pageErrors };
  } catch (e) {
    await backend.close();
    throw e;
  }
}

/**
 * Playwright turns on DevTools' Network domain in every dedicated worker of a page. Chromium then
 * sends each WebSocket message of the frame worker (a frame's 8-bit planes out, the lane output back:
 * about 1.5 MB a frame), base64-encoded, through the browser process to this process, where
 * Playwright parses it. No test reads those messages (tests count API calls with `onApiCall`), and
 * the app never pays for them. Measured over 15 inspector steps on the demo scenes: 9.4 s of CPU
 * (machine-wide) with them, 6.1 s without; 6.4 s wall, 4.3 s without.
 *
 * Playwright has no switch for it, so this reaches into its in-process server (playwright-core
 * pinned by the lock file): the page's network manager skips the sessions of the page's workers.
 * If those internals ever change, nothing breaks: the tests run as before, only slower, and one
 * line says so.
 */
let workerNetworkNoticeShown = false;
function keepWorkersOutOfNetworkDomain(page: Page): void {
  interface ServerPage {
    delegate?: {
      _networkManager?: { addSession?: (session: unknown, ...rest: unknown[]) => Promise<void> };
      _mainFrameSession?: { _workerSessions?: Map<string, unknown> };
    };
  }
  const toImpl = (page as unknown as { _connection?: { toImpl?: (o: unknown) => unknown } })._connection?.toImpl;
  const crPage = (toImpl?.(page) as ServerPage | undefined)?.delegate;
  const network = crPage?._networkManager;
  const workerSessions = crPage?._mainFrameSession?._workerSessions;
  const addSession = network?.addSession;
  if (!network || !addSession || !(workerSessions instanceof Map)) {
    if (!workerNetworkNoticeShown)
      console.log(
        '# note: E2E: Playwright internals changed; worker WebSocket traffic is relayed to DevTools (slower)',
      );
    workerNetworkNoticeShown = true;
    return;
  }
  network.addSession = (session, ...rest) => {
    // A worker's session is registered before its network session is added (Playwright's FrameSession).
    if ([...workerSessions.values()].includes(session)) return Promise.resolve();
    return addSession.call(network, session, ...rest);
  };
}

/**
 * `page.waitForFunction` checks its condition on every animation frame unless told otherwise, and a
 * page asked for frames draws them: 60 a second for as long as a test waits (an inference on a busy
 * machine, a video to reach a frame). Measured on an idle inspector: 0.12 s of CPU per second of
 * waiting (renderer, GPU and browser processes) against 0.04-0.08 s when the condition is checked every
 * 100 ms. Every condition the tests wait for is a state that stays once reached, so a 100 ms check
 * sees it as surely. A call that passes its own `polling` keeps it.
 */
function pollOnATimer(page: Page): void {
  const waitForFunction = page.waitForFunction.bind(page);
  page.waitForFunction = ((fn: unknown, arg?: unknown, options?: { polling?: number | 'raf'; timeout?: number }) =>
    waitForFunction(fn as never, arg, { polling: 100, ...options })) as Page['waitForFunction'];
}

/**
 * `E2E_PROFILE=DIR`: a V8 CPU profile of the page's main thread from before the app loads until the
 * harness closes, written to DIR/page-<pid>-<n>.cpuprofile (to see what a browser test costs).
 */
let profiles = 0;
async function profilePage(page: Page, backend: Backend): Promise<void> {
  const dir = process.env['E2E_PROFILE'];
  if (!dir) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  const file = join(dir, `page-${process.pid}-${++profiles}.cpuprofile`);
  // Registered after the context's close, so it runs before it (cleanup runs in reverse).
  backend.onClose(async () => {
    const { profile } = await cdp.send('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
  });
}

/**
 * Screenshots are for people looking at the views, and no assertion reads them; each costs about 0.4 s
 * of CPU (Chromium's capture and PNG encoding, plus the relayouts of `shotBoth`), over 80 of them in a
 * full run. So they are taken only when asked for: `E2E_SHOTS=1 npm test -- e2e`.
 */
export const SHOTS = /^(1|true|yes)$/i.test(process.env['E2E_SHOTS'] ?? '');

export async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await screenshot(page, name);
}

/** A screenshot taken whatever E2E_SHOTS says (manual helpers); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const p = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: p });
  return p;
}

/**
 * The same view at 1440x900 and at 1024x700 (`NAME-1440.png`, `NAME-1024.png`); the viewport is
 * restored. `scrollTo`: a selector brought into view at each size (a resize may scroll it away).
 */
export async function shotBoth(page: Page, name: string, scrollTo?: string): Promise<void> {
  if (!SHOTS) return;
  const before = page.viewportSize() ?? { width: 1440, height: 900 };
  let current = before;
  const resize = async (size: { width: number; height: number }) => {
    if (size.width === current.width && size.height === current.height) return; // no relayout for nothing
    await page.setViewportSize(size);
    current = size;
    await settled(page);
  };
  for (const [width, height] of [
    [1440, 900],
    [1024, 700],
  ]) {
    await resize({ width, height });
    if (scrollTo) await page.locator(scrollTo).scrollIntoViewIfNeeded();
    await shot(page, `${name}-${width}`);
  }
  await resize(before);
}

/**
 * Resolves once layout and the canvases have followed a resize: ResizeObserver callbacks run with
 * the next frame's layout, the React render they ask for before the one after, which paints it.
 */
async function settled(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}

/** Clicks an export button and returns the downloaded file's name and text. */
export async function download(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testId}]`)]);
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
}

/**
 * Picks a model in one of the inspector's searchable pickers (model-select-a / -b) as a user does:
 * type part of the name, click the match; resolves once the picker holds it.
 */
export async function pickModel(page: Page, testId: string, name: string): Promise<void> {
  const input = page.locator(`[data-testid=${testId}]`);
  await input.click();
  await input.fill(name);
  await page.locator(`[data-testid=${testId}-option][data-value="${name}"]`).click();
  await page.waitForSelector(`[data-testid=${testId}][data-value="${name}"]`);
}

/** The model a picker holds ('' for none). */
export async function pickedModel(page: Page, testId: string): Promise<string> {
  return (await page.getAttribute(`[data-testid=${testId}]`, 'data-value')) ?? '';
}
