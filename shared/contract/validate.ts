/**
 * Schema checks shared by every transport, so Electron IPC and the WebSocket bridge refuse exactly
 * the same payloads with exactly the same messages.
 */
import {
  apiEvents,
  apiMethods,
  type ApiEventName,
  type ApiEventPayload,
  type ApiMethodName,
  type ApiResponse,
  type ParsedRequest,
} from './api';
import { ApiError, describeZodError } from './errors';

/** Own-property lookup: 'constructor', '__proto__', 'toString' are not methods. */
export function isApiMethod(name: unknown): name is ApiMethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiMethods, name);
}

export function isApiEvent(name: unknown): name is ApiEventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiEvents, name);
}

export function parseRequest<M extends ApiMethodName>(method: M, payload: unknown): ParsedRequest<M> {
  const r = apiMethods[method].request.safeParse(payload);
  if (!r.success) throw describeZodError(r.error, `invalid request to ${method}`);
  return r.data as ParsedRequest<M>;
}

export function parseResponse<M extends ApiMethodName>(method: M, payload: unknown): ApiResponse<M> {
  const r = apiMethods[method].response.safeParse(payload);
  if (!r.success) throw describeZodError(r.error, `invalid response from ${method}`);
  return r.data as ApiResponse<M>;
}

export function parseEvent<E extends ApiEventName>(event: E, payload: unknown): ApiEventPayload<E> {
  const r = apiEvents[event].safeParse(payload);
  if (!r.success) throw describeZodError(r.error, `invalid '${event}' event`);
  return r.data as ApiEventPayload<E>;
}

export function requireApiMethod(name: unknown): ApiMethodName {
  if (!isApiMethod(name)) throw new ApiError('UNKNOWN_METHOD', `unknown API method '${String(name).slice(0, 100)}'`);
  return name;
}
