/**
 * Preload (sandboxed, context-isolated): exposes the typed contract API as `window.tritonscope` and
 * nothing else. Bundled to CommonJS (dist/electron/preload.cjs) because sandboxed preloads cannot
 * load ES modules or arbitrary node modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildExposedApi } from './ipc/exposed';

contextBridge.exposeInMainWorld('tritonscope', buildExposedApi(ipcRenderer));
