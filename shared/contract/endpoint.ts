/**
 * How a connection profile's address reads to people and how a typed address becomes one: the
 * profile stores host:port plus a protocol and a TLS switch; the scheme (grpc://, grpcs://,
 * http://, https://) is derived from them for display, and parsed from what users paste.
 */
import type { ConnectionProfileInput, Protocol } from './schemas';

/** Triton's default ports: gRPC 8001, HTTP/REST 8000. */
export const DEFAULT_PORT: Readonly<Record<Protocol, number>> = { grpc: 8001, http: 8000 };

export function protocolLabel(protocol: Protocol | undefined): string {
  return protocol === 'http' ? 'HTTP/REST' : 'gRPC';
}

/** e.g. 'https://orin.local:8000' or 'grpc://orin.local:8001'. */
export function endpointUrl(profile: Pick<ConnectionProfileInput, 'url' | 'protocol' | 'tls'>): string {
  const tls = Boolean(profile.tls?.enabled);
  const scheme = profile.protocol === 'http' ? (tls ? 'https' : 'http') : tls ? 'grpcs' : 'grpc';
  return `${scheme}://${profile.url}`;
}

/**
 * A pasted http:// or https:// address: the protocol it names, whether it means TLS, and the
 * host:port the profile stores (a trailing slash dropped). Anything else: undefined.
 */
export function httpEndpoint(text: string): { url: string; protocol: 'http'; tls: boolean } | undefined {
  const m = /^\s*(https?):\/\/([^/?#\s]+)\/?\s*$/i.exec(text);
  if (!m) return undefined;
  return { url: m[2], protocol: 'http', tls: m[1].toLowerCase() === 'https' };
}
