/**
 * Electron main process: one hardened window over the services.
 *
 * - The renderer is served from dist/renderer through a privileged `app://tritonscope/` scheme
 *   (not file://), so the CSP and security headers are real response headers, the page has a
 *   proper origin for the sender check, and path traversal is handled by resolveStaticFile.
 * - contextIsolation, sandbox, no nodeIntegration, webSecurity on; the preload exposes only the
 *   contract API. Navigation, new windows, <webview> and permission requests are refused.
 * - IPC is the thin transport in electron/ipc over the plain-Node services.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  shell,
  utilityProcess,
  type MenuItemConstructorOptions,
} from 'electron';
import { readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { contentSecurityPolicy, mimeType, resolveStaticFile, securityHeaders } from './bridge/security';
import { createSenderCheck, forwardEvents, registerIpcHandlers } from './ipc/register';
import { isDocumentationLink } from './externalLinks';
import { createServices, type Services } from './services';
import { startServerInChild, type HostedServerOptions } from './server/processHost';

const SCHEME = 'app';
const ORIGIN = `${SCHEME}://tritonscope`;
const CSP = contentSecurityPolicy();
const isDev = !app.isPackaged && process.env.NODE_ENV !== 'production';

// Must happen before 'ready': a standard, secure scheme gets an origin, fetch and a CSP.
protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let services: Services | null = null;

function appRoot(): string {
  return app.getAppPath();
}

function rendererDir(): string {
  return join(appRoot(), 'dist/renderer');
}

function isOwnUrl(url: string): boolean {
  return url === ORIGIN || url.startsWith(`${ORIGIN}/`);
}

function serveRenderer(): void {
  let root: string;
  try {
    root = realpathSync(rendererDir());
  } catch {
    root = rendererDir();
  }
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'tritonscope') return new Response('not found', { status: 404 });
    const file = resolveStaticFile(root, url.pathname);
    if (!file) return new Response('not found', { status: 404, headers: securityHeaders(CSP) });
    const body = await readFile(file);
    return new Response(body, { status: 200, headers: { ...securityHeaders(CSP), 'Content-Type': mimeType(file) } });
  });
}

function hardenSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Belt and braces: any response (e.g. devtools-initiated) gets our CSP too.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isOwnUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isOwnUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Documentation links (an allow-list) open in the user's browser; nothing opens inside the app.
      if (isDocumentationLink(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

/**
 * The embedded server runs in its own utility process (serverProcess.ts): model loads, inference
 * and any crash of ONNX Runtime stay out of the process that draws the UI.
 */
function startServerInUtilityProcess(options: HostedServerOptions) {
  const child = utilityProcess.fork(join(__dirname, 'serverProcess.cjs'), [], {
    serviceName: 'Tritonscope embedded server',
    stdio: 'inherit',
  });
  return startServerInChild(
    {
      post: (msg) => child.postMessage(msg),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', listener),
      kill: () => void child.kill(),
    },
    options,
  );
}

function send(
  command: 'open-repository' | 'open-images' | 'open-image-folder' | 'open-video' | 'about',
  extra: object = {},
) {
  services?.events.emit('menuCommand', { command, ...extra });
}

async function pickFolder(): Promise<string | null> {
  const options = { title: 'Open model repository folder', properties: ['openDirectory' as const] };
  const r = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
}

const FILE_TITLES = {
  'tls-ca': 'Choose the CA certificate',
  'tls-cert': 'Choose the client certificate',
  'tls-key': 'Choose the client key',
} as const;

async function pickFile(purpose: keyof typeof FILE_TITLES): Promise<string | null> {
  const options = {
    title: FILE_TITLES[purpose],
    properties: ['openFile' as const, 'showHiddenFiles' as const],
    filters: [
      { name: purpose === 'tls-key' ? 'Keys' : 'Certificates', extensions: ['pem', 'crt', 'cer', 'key'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const r = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
}

function buildMenu(): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Repository Folder…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const path = await pickFolder();
            if (!path || !services) return;
            try {
              const root = await services.repository.openTrusted(path);
              send('open-repository', { root });
            } catch (err) {
              dialog.showErrorBox('Cannot open folder', (err as Error).message);
            }
          },
        },
        { label: 'Open Images…', accelerator: 'CmdOrCtrl+Shift+O', click: () => send('open-images') },
        { label: 'Open Image Folder…', click: () => send('open-image-folder') },
        { label: 'Open Video…', accelerator: 'CmdOrCtrl+Shift+V', click: () => send('open-video') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(isDev
          ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }]
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Help',
      submenu: [{ label: 'About Tritonscope', click: () => send('about') }],
    },
  ];
  return Menu.buildFromTemplate(template);
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Tritonscope',
    backgroundColor: '#14161a',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: isDev,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${ORIGIN}/index.html`);
  return win;
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  hardenSessions();
  serveRenderer();
  // onnxruntime reads model files natively, which cannot see inside app.asar: the packaged demo
  // repository is unpacked next to it (package.json build.asarUnpack).
  const unpacked = appRoot().replace(/app\.asar$/, 'app.asar.unpacked');
  services = await createServices({
    mode: 'electron',
    configDir: app.getPath('userData'),
    appRoot: appRoot(),
    demoRepoDir: join(unpacked, 'assets/demo-repo'),
    pickFolder,
    pickFile,
    startServer: startServerInUtilityProcess,
  });
  registerIpcHandlers(ipcMain, services.handlers, {
    isTrustedSender: createSenderCheck({
      webContentsIds: () => BrowserWindow.getAllWindows().map((w) => w.webContents.id),
      isOwnUrl,
    }),
    onError: (channel, e) => {
      if (isDev) console.warn(`[ipc] ${channel}: ${e.code}: ${e.message}`);
    },
  });
  Menu.setApplicationMenu(buildMenu());
  mainWindow = createWindow();
  forwardEvents(services.events, () => mainWindow?.webContents ?? null);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('activate', () => {
    if (!mainWindow) mainWindow = createWindow();
  });
  // The demo is what the app opens on; failures are reported in the UI (demoStatus event).
  void services.demo.start().catch(() => undefined);
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('will-quit', (event) => {
  if (quitting || !services) return;
  quitting = true;
  event.preventDefault();
  void services.close().finally(() => app.exit(0));
});

main().catch((err) => {
  dialog.showErrorBox('Tritonscope failed to start', String((err as Error)?.stack ?? err));
  app.exit(1);
});
