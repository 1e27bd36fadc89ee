/**
 * What a user types into an endpoint field, made into the address a profile stores. People paste
 * `grpc://orin.local:8001` (the form the app itself displays), `grpcs://…`, `http(s)://…`, or a
 * value with a trailing space from a terminal; all of these mean a `host:port`. The scheme also
 * says which protocol (grpc/grpcs: gRPC, http/https: HTTP/REST) and whether TLS is meant (grpcs,
 * https). A missing port means Triton's default port of the protocol (gRPC 8001, HTTP/REST 8000).
 * Pure: used by the profile form as you type and by the services before a profile is saved.
 */

export const DEFAULT_GRPC_PORT = 8001;
export const DEFAULT_HTTP_PORT = 8000;

export type EndpointScheme = 'grpc' | 'grpcs' | 'http' | 'https';

export type EndpointResult =
  | {
      ok: true;
      /** `host:port` (brackets kept for IPv6). */
      address: string;
      /** The scheme that was typed, or null for a bare `host:port`. */
      scheme: EndpointScheme | null;
      /** The protocol the scheme names, or null for a bare `host:port`. */
      protocol: 'grpc' | 'http' | null;
      /** True when the scheme asks for TLS (grpcs://, https://); null when it says nothing. */
      tls: boolean | null;
    }
  | { ok: false; message: string };

const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?$/;

/** `defaultProtocol` picks the default port of a bare `host` (a scheme, when typed, decides instead). */
export function normalizeEndpoint(raw: string, defaultProtocol: 'grpc' | 'http' = 'grpc'): EndpointResult {
  const text = raw.trim();
  if (!text) return { ok: false, message: "enter the server's address, e.g. orin.local:8001" };
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  let scheme: EndpointScheme | null = null;
  let rest = text;
  if (m) {
    const s = m[1].toLowerCase();
    if (s !== 'grpc' && s !== 'grpcs' && s !== 'http' && s !== 'https') {
      return {
        ok: false,
        message: `'${m[1]}://' is not a Triton endpoint scheme (use host:port, grpc://, grpcs://, http:// or https://)`,
      };
    }
    scheme = s;
    rest = text.slice(m[0].length);
  }
  rest = rest.replace(/\/+$/, '');
  if (/\s/.test(rest)) return { ok: false, message: `'${rest}' contains a space` };
  if (rest.includes('/')) return { ok: false, message: `'${rest}' has a path; give only host:port` };
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
  if (v6) {
    host = v6[1];
    portText = v6[2];
    if (!IPV6.test(host)) return { ok: false, message: `'[${host}]' is not an IPv6 address` };
  } else {
    const colons = rest.split(':').length - 1;
    if (colons > 1) return { ok: false, message: `put an IPv6 address in brackets, e.g. [${rest}]:8001` };
    const i = rest.indexOf(':');
    host = i >= 0 ? rest.slice(0, i) : rest;
    portText = i >= 0 ? rest.slice(i + 1) : undefined;
    if (!host) return { ok: false, message: 'the host is missing (host:port)' };
    if (!HOST_NAME.test(host)) return { ok: false, message: `'${host}' is not a valid host name or IP address` };
  }
  const protocol = scheme === null ? null : scheme.startsWith('http') ? 'http' : 'grpc';
  let port = (protocol ?? defaultProtocol) === 'http' ? DEFAULT_HTTP_PORT : DEFAULT_GRPC_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return { ok: false, message: `port '${portText}' is not a number from 1 to 65535` };
    }
    port = Number(portText);
  }
  const address = v6 ? `[${host}]:${port}` : `${host}:${port}`;
  const tls = scheme === null ? null : scheme === 'grpcs' || scheme === 'https';
  return { ok: true, address, scheme, protocol, tls };
}
