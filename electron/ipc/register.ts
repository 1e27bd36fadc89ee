/**
 * Electron IPC transport for the services, written against a minimal ipcMain-like interface so it
 * is unit-testable without Electron:
 *  - handlers are registered for exactly the contract's channels (the allowlist),
 *  - every call's sender is checked (our window's webContents, loaded from our own origin),
 *  - every request is validated with the contract's zod schema before a service sees it, and in
 *    development every response and event too (a contract drift shows up at once),
 *  - results travel as envelopes `{ ok, payload } | { ok: false, error: { code, message } }`
 *    because errors thrown across IPC/contextBridge lose their code.
 */
import {
  parseEvent,
  parseRequest,
  parseResponse,
  serializeError,
  ApiError,
  type ApiEventName,
  type ApiHandlers,
  type Envelope,
} from '../../shared/contract';
import type { ServiceEvents } from '../services/events';
import { eventChannel, METHOD_CHANNELS } from './channels';

export interface IpcSenderLike {
  id: number;
}
export interface IpcInvokeEventLike {
  sender: IpcSenderLike;
  /** The frame that sent the message (null when it navigated away or was destroyed). */
  senderFrame?: { url: string } | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcOptions {
  /** True only for our own window(s) showing our own page. */
  isTrustedSender: (event: IpcInvokeEventLike) => boolean;
  /** Validate responses and events as well (default: true unless NODE_ENV=production). */
  validateResponses?: boolean;
  /** Called with every refused or failed call, for logging. */
  onError?: (channel: string, error: { code: string; message: string }) => void;
}

export interface IpcRegistration {
  channels: string[];
  dispose(): void;
}

export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: ApiHandlers, opts: IpcOptions): IpcRegistration {
  const validateResponses = opts.validateResponses ?? process.env.NODE_ENV !== 'production';
  const channels: string[] = [];
  for (const [channel, method] of METHOD_CHANNELS) {
    ipcMain.handle(channel, async (event, ...args): Promise<Envelope<unknown>> => {
      try {
        if (!opts.isTrustedSender(event)) {
          throw new ApiError('FORBIDDEN', `IPC '${method}' refused: sender is not the Tritonscope window`);
        }
        if (args.length > 1)
          throw new ApiError(
            'INVALID_ARGUMENT',
            `invalid request to ${method}: expected one payload argument, got ${args.length}`,
          );
        const request = parseRequest(method, args[0]);
        const handler = handlers[method] as (req: unknown) => Promise<unknown>;
        const result = await handler(request);
        return { ok: true, payload: validateResponses ? parseResponse(method, result) : result };
      } catch (err) {
        const error = serializeError(err);
        opts.onError?.(channel, error);
        return { ok: false, error };
      }
    });
    channels.push(channel);
  }
  return {
    channels,
    dispose() {
      for (const c of channels) ipcMain.removeHandler(c);
    },
  };
}

export interface WebContentsLike {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

/** Pushes service events to the window (validated in development). Returns the unsubscribe. */
export function forwardEvents(
  events: ServiceEvents,
  target: () => WebContentsLike | null,
  opts: { validate?: boolean } = {},
): () => void {
  const validate = opts.validate ?? process.env.NODE_ENV !== 'production';
  return events.subscribe((event: ApiEventName, payload: unknown) => {
    const wc = target();
    if (!wc || wc.isDestroyed()) return;
    wc.send(eventChannel(event), validate ? parseEvent(event, payload) : payload);
  });
}

/**
 * The sender check used by electron/main: the message must come from one of our windows and
 * from a frame showing our own page (so a navigated or injected frame cannot call the services).
 */
export function createSenderCheck(opts: {
  webContentsIds: () => Iterable<number>;
  isOwnUrl: (url: string) => boolean;
}) {
  return (event: IpcInvokeEventLike): boolean => {
    const ids = new Set(opts.webContentsIds());
    if (!ids.has(event.sender.id)) return false;
    const url = event.senderFrame?.url;
    return typeof url === 'string' && opts.isOwnUrl(url);
  };
}
