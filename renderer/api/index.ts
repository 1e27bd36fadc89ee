/**
 * The renderer's single way to reach the services: `getApi()` returns the typed TritonscopeApi,
 * backed by the Electron preload (`window.tritonscope`) when present, otherwise by the loopback
 * WebSocket bridge of browser mode. Both speak the one contract in shared/contract.
 */
import {
  createApiClient,
  createWebSocketTransport,
  transportFromExposed,
  type ExposedApi,
  type TritonscopeApi,
  type WebSocketLike,
  type WebSocketTransport,
} from '../../shared/contract';

export { ApiError } from '../../shared/contract';
export type * from '../../shared/contract';

declare global {
  interface Window {
    /** Set by electron/preload.ts through contextBridge; absent in browser mode. */
    tritonscope?: ExposedApi;
  }
}

export type ApiMode = 'electron' | 'browser';
export type BridgeState = 'connecting' | 'open' | 'closed';

let cached: { api: TritonscopeApi; mode: ApiMode; transport?: WebSocketTransport } | undefined;
const stateListeners = new Set<(state: BridgeState, detail?: string) => void>();
let lastState: BridgeState = 'connecting';

/** URL of the bridge's WebSocket endpoint for the page we were served from. */
export function bridgeUrl(loc: Pick<Location, 'protocol' | 'host' | 'search' | 'hash'>): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  // The bridge moves the token from the first URL into an HttpOnly cookie, which the WebSocket
  // handshake sends by itself; a token still present in the URL is passed along explicitly.
  const token =
    new URLSearchParams(loc.search).get('token') ?? new URLSearchParams(loc.hash.replace(/^#/, '')).get('token');
  return `${scheme}//${loc.host}/api/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

export function getApi(): TritonscopeApi {
  if (cached) return cached.api;
  if (typeof window !== 'undefined' && window.tritonscope) {
    cached = { api: createApiClient(transportFromExposed(window.tritonscope)), mode: 'electron' };
    return cached.api;
  }
  const transport = createWebSocketTransport({
    url: bridgeUrl(window.location),
    createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
    sendCopiesData: true, // a browser WebSocket snapshots what it sends
    onStateChange: (state, detail) => {
      lastState = state;
      for (const l of stateListeners) l(state, detail);
    },
  });
  cached = { api: createApiClient(transport), mode: 'browser', transport };
  return cached.api;
}

/** 'electron' when running under the preload, 'browser' when talking to the bridge. */
export function getApiMode(): ApiMode {
  getApi();
  return cached!.mode;
}

/**
 * Browser mode: follow the WebSocket connection (e.g. show "reconnecting…"). In Electron the
 * connection is always 'open'. Returns the unsubscribe function.
 */
export function onBridgeState(listener: (state: BridgeState, detail?: string) => void): () => void {
  getApi();
  listener(cached!.mode === 'electron' ? 'open' : lastState);
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}
