/**
 * Builds the object the preload exposes as `window.tritonscope`: one function per contract method
 * and an `on(event, listener)` restricted to contract events. Kept apart from preload.ts (which
 * only wires Electron) so it can be tested without Electron. The renderer never sees ipcRenderer,
 * IpcRendererEvent or channel names.
 */
import { API_METHOD_NAMES, type ApiEventName, type ExposedApi } from '../../shared/contract/api';
import { EVENT_CHANNELS, methodChannel } from './channels';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function buildExposedApi(ipc: IpcRendererLike): ExposedApi {
  const api: Record<string, unknown> = {};
  for (const method of API_METHOD_NAMES) {
    const channel = methodChannel(method);
    // exactly one argument crosses, whatever the page passes
    api[method] = (req?: unknown) => ipc.invoke(channel, req);
  }
  api.on = (event: ApiEventName, listener: (payload: unknown) => void) => {
    const channel = EVENT_CHANNELS.get(event);
    if (!channel) throw new Error(`unknown event '${String(event)}'`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipc.on(channel, wrapped);
    return () => {
      ipc.removeListener(channel, wrapped);
    };
  };
  return Object.freeze(api) as unknown as ExposedApi;
}
