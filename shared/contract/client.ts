/**
 * Turns a transport (Electron preload envelope calls, or the WebSocket bridge) into the typed
 * `TritonscopeApi`. Pure: the WebSocket constructor is passed in, so the renderer uses the
 * browser's and tests use the `ws` package's.
 */
import {
  API_METHOD_NAMES,
  type ApiEventName,
  type ApiMethodName,
  type Envelope,
  type ExposedApi,
  type TritonscopeApi,
} from './api';
import { ApiError, deserializeError } from './errors';
import { type WireMessage } from './framing';
import { encodeFrameParts, FrameAssembler } from './frameParts';
import { isApiEvent } from './validate';

export interface ApiTransport {
  /** Resolves with the response payload or rejects with an ApiError. */
  call(method: ApiMethodName, payload: unknown): Promise<unknown>;
  on(event: ApiEventName, listener: (payload: unknown) => void): () => void;
}

export function createApiClient(transport: ApiTransport): TritonscopeApi {
  const api: Record<string, unknown> = {};
  for (const method of API_METHOD_NAMES) api[method] = (req?: unknown) => transport.call(method, req);
  api.on = (event: ApiEventName, listener: (payload: unknown) => void) => transport.on(event, listener);
  return Object.freeze(api) as unknown as TritonscopeApi;
}

/** Adapter for the object the Electron preload exposes. */
export function transportFromExposed(exposed: ExposedApi): ApiTransport {
  return {
    async call(method, payload) {
      const fn = exposed[method];
      if (typeof fn !== 'function') throw new ApiError('UNKNOWN_METHOD', `preload does not expose '${method}'`);
      const env = (await fn(payload)) as Envelope<unknown>;
      if (env.ok) return env.payload;
      throw deserializeError(env.error);
    },
    on: (event, listener) => exposed.on(event, listener),
  };
}

// --- WebSocket bridge ---------------------------------------------------------------------------

/** The subset of the WebSocket API we use (browser WebSocket and the `ws` package both fit). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type WebSocketFactory = (url: string) => WebSocketLike;

export interface WebSocketTransportOptions {
  url: string;
  createSocket: WebSocketFactory;
  /** Reconnect after the socket drops (default true); delay doubles from 250 ms to 5 s. */
  reconnect?: boolean;
  /** Called when the connection state changes, e.g. to show "reconnecting…" in the UI. */
  onStateChange?: (state: 'connecting' | 'open' | 'closed', detail?: string) => void;
  /** Frames longer than this go out as several messages (./frameParts); default 768 KB. */
  chunkBytes?: number;
  /**
   * The socket copies what `send` is given before it returns (a browser WebSocket does: it
   * snapshots the bytes), so one buffer can be reused for every outgoing frame instead of a fresh
   * one per call. Not for Node's `ws`, which may keep a reference to the bytes it was given.
   */
  sendCopiesData?: boolean;
}

export interface WebSocketTransport extends ApiTransport {
  close(): void;
  readonly state: 'connecting' | 'open' | 'closed';
}

const OPEN = 1;
// Timers exist in every runtime but are typed by the DOM/Node libs that shared/ does not see.
const timers = globalThis as unknown as { setTimeout(fn: () => void, ms?: number): unknown };

export function createWebSocketTransport(opts: WebSocketTransportOptions): WebSocketTransport {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const queue: Uint8Array[] = [];
  let sendBuffer: Uint8Array | null = null;
  const reuseSendBuffer = (byteLength: number) => {
    if (!sendBuffer || sendBuffer.byteLength < byteLength) sendBuffer = new Uint8Array(byteLength);
    return sendBuffer;
  };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocketLike | null = null;
  let nextId = 1;
  let closedByUser = false;
  let delay = 250;
  let state: 'connecting' | 'open' | 'closed' = 'connecting';

  const setState = (s: typeof state, detail?: string) => {
    state = s;
    opts.onStateChange?.(s, detail);
  };

  function failPending(code: string, message: string) {
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(new ApiError(code, message));
    }
  }

  function open() {
    setState('connecting');
    const ws = opts.createSocket(opts.url);
    socket = ws;
    let assembler = new FrameAssembler();
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      delay = 250;
      setState('open');
      for (const frame of queue.splice(0)) ws.send(frame);
    };
    ws.onmessage = (ev) => {
      let msg: WireMessage | null;
      try {
        const data = ev.data;
        msg = assembler.push(data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBuffer));
      } catch {
        assembler = new FrameAssembler();
        return; // a frame we cannot read cannot be matched to a call either
      }
      if (!msg) return; // more parts to come
      if (msg.t === 'result') {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.payload);
        else p.reject(deserializeError(msg.error));
      } else if (msg.t === 'event' && isApiEvent(msg.event)) {
        for (const l of listeners.get(msg.event) ?? []) {
          try {
            l(msg.payload);
          } catch (err) {
            // one faulty listener must not starve the others
            timers.setTimeout(() => {
              throw err;
            });
          }
        }
      }
    };
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      const why =
        ev.code === 1008 || ev.code === 4401
          ? `refused by the bridge (${ev.reason || 'policy'})`
          : 'connection to the Tritonscope bridge lost';
      failPending('UNAVAILABLE', why);
      setState('closed', why);
      if (!closedByUser && opts.reconnect !== false && ev.code !== 4401) {
        timers.setTimeout(open, delay);
        delay = Math.min(delay * 2, 5000);
      }
    };
    ws.onerror = () => {
      /* onclose follows and does the work */
    };
  }

  open();

  return {
    get state() {
      return state;
    },
    call(method, payload) {
      if (closedByUser) return Promise.reject(new ApiError('UNAVAILABLE', 'bridge client closed'));
      const id = nextId++;
      const open = socket !== null && socket.readyState === OPEN;
      // Only a frame sent at once may use the reused buffer; a queued one keeps its own bytes.
      const parts = encodeFrameParts(
        { t: 'call', id, method, payload },
        { chunkBytes: opts.chunkBytes, alloc: open && opts.sendCopiesData ? reuseSendBuffer : undefined },
      );
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (open) for (const part of parts) socket!.send(part);
        else queue.push(...parts);
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    close() {
      closedByUser = true;
      failPending('UNAVAILABLE', 'bridge client closed');
      socket?.close(1000, 'client closed');
      socket = null;
      setState('closed');
    },
  };
}
