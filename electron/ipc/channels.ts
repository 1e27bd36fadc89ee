/**
 * IPC channel names, derived from the contract: one invoke channel per API method and one push
 * channel per event. This list IS the allowlist; nothing else is registered or exposed.
 */
import { API_EVENT_NAMES, API_METHOD_NAMES, type ApiEventName, type ApiMethodName } from '../../shared/contract/api';

export const CHANNEL_PREFIX = 'tritonscope:';
export const EVENT_PREFIX = 'tritonscope-event:';

export const methodChannel = (m: ApiMethodName) => `${CHANNEL_PREFIX}${m}`;
export const eventChannel = (e: ApiEventName) => `${EVENT_PREFIX}${e}`;

export const METHOD_CHANNELS: ReadonlyMap<string, ApiMethodName> = new Map(
  API_METHOD_NAMES.map((m) => [methodChannel(m), m]),
);
export const EVENT_CHANNELS: ReadonlyMap<ApiEventName, string> = new Map(
  API_EVENT_NAMES.map((e) => [e, eventChannel(e)]),
);
