#!/usr/bin/env -S node --initial-old-space-size=128
// `npm start`: make sure what the app needs is built, then open it.
//   1. demo assets (scripts/demo/build.ts, idempotent), the renderer (vite, when dist/renderer is
//      missing or was built from other sources: scripts/lib/rendererBuild.mjs), the Electron
//      bundles (esbuild, when stale);
//   2. Electron when its binary is installed and a display is available; otherwise a clear
//      message and browser mode on 127.0.0.1 (embedded demo server + loopback bridge), printing
//      the URL with its token and opening the browser with xdg-open/open when available (through a
//      private one-time login file: the token never appears on a command line, see bridge/launch).
// Flags: --browser (skip Electron), --port N, --no-open, --no-demo, --skip-build,
//        --smoke (start browser mode, verify the page is served, exit; for tests/CI).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rendererBuildIsCurrent, stampRendererBuild } from '../scripts/lib/rendererBuild.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flag = (/** @type {string} */ name) => args.includes(name);
const option = (/** @type {string} */ name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const smoke = flag('--smoke');

/** @param {string} label @param {string} cmd @param {string[]} cmdArgs */
function step(label, cmd, cmdArgs) {
  const t = Date.now();
  process.stdout.write(`• ${label}…\n`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    process.stderr.write(`npm start: ${label} failed (exit ${r.status ?? r.signal}).\n`);
    process.exit(r.status || 1);
  }
  process.stdout.write(`  done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
}

/** Path of the Electron binary if `require('electron')` resolves to one that exists. */
function electronBinary() {
  try {
    const p = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null; // node_modules/electron/index.js throws when its download was skipped
  }
}

const electron = flag('--browser') ? null : electronBinary();
const headlessLinux = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

if (!flag('--skip-build')) {
  if (existsSync(join(root, 'scripts/demo/build.ts'))) {
    step('demo assets (scripts/demo/build.ts)', process.execPath, ['--import', 'tsx', 'scripts/demo/build.ts']);
  }
  if (existsSync(join(root, 'renderer/vite.config.ts'))) {
    if (!rendererBuildIsCurrent(root)) {
      step('renderer (vite build)', process.execPath, [
        join(root, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'renderer/vite.config.ts',
        '--logLevel',
        'warn',
      ]);
      stampRendererBuild(root);
    }
  }
  if (electron && !headlessLinux)
    step('Electron main/preload (esbuild)', process.execPath, ['scripts/build-electron.mjs', '--if-stale']);
}

if (electron && !headlessLinux && !smoke) {
  // The V8 heap flags this process got from package.json or the shebang (electron/cli/nodeFlags.ts
  // says why) go to Electron's main process as well, which hosts the Triton client there: Electron
  // applies --js-flags to its main process only when they are on its command line.
  const heapFlags = process.execArgv.filter((a) => a.startsWith('--initial-old-space-size'));
  const electronArgs = heapFlags.length ? [`--js-flags=${heapFlags.join(' ')}`] : [];
  const child = spawn(electron, [...electronArgs, root, ...args.filter((a) => a !== '--skip-build')], {
    cwd: root,
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  if (flag('--browser')) process.stdout.write('Starting browser mode (--browser).\n');
  else if (!electron)
    process.stdout.write(
      'Electron binary not installed (downloads are skipped on this machine); starting browser mode.\n',
    );
  else process.stdout.write('No display available for Electron; starting browser mode.\n');

  const { register } = await import('tsx/esm/api');
  register();
  const { command } = await import(fileURLToPath(new URL('../electron/cli/commands/ui.ts', import.meta.url)));
  const uiArgs = ['--host', '127.0.0.1'];
  const port = option('--port');
  if (port) uiArgs.push('--port', port);
  if (flag('--no-demo')) uiArgs.push('--no-demo');
  if (smoke) uiArgs.push('--smoke');
  else if (!flag('--no-open')) uiArgs.push('--open');
  try {
    process.exitCode = await command(uiArgs);
  } catch (caught) {
    const err = /** @type {{ message?: string, exitCode?: number }} */ (caught);
    process.stderr.write(`npm start: ${String(err?.message ?? err).split('\n')[0]}\n`);
    process.exitCode = err?.exitCode ?? 1;
  }
}
