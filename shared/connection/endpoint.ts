/**
 * What a user types into an endpoint field, made into the address a profile stores. People paste
 * `grpc://orin.local:8001` (the form the app itself displays), `grpcs://…`, or a value with a
 * trailing space from a terminal; all of these mean the same `host:port`. `grpcs://` also says "use
 * TLS". A missing port means Triton's default gRPC port. `http://` and `https://` are Triton's
 * HTTP/REST endpoint: they are recognised and left exactly as typed (protocol-aware callers decide).
 * Pure: used by the profile form as you type and by the services before a profile is saved.
 */

export const DEFAULT_GRPC_PORT = 8001;

export type EndpointScheme = 'grpc' | 'grpcs' | 'http' | 'https';

export type EndpointResult =
  | {
      ok: true;
      /** `host:port` for gRPC (brackets kept for IPv6); for http(s):// the trimmed text as typed. */
      address: string;
      /** The scheme that was typed, or null for a bare `host:port`. */
      scheme: EndpointScheme | null;
      /** True when the scheme asks for TLS (grpcs://, https://); null when it says nothing. */
      tls: boolean | null;
    }
  | { ok: false; message: string };

const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?$/;

export function normalizeEndpoint(raw: string): EndpointResult {
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
        message: `'${m[1]}://' is not a Triton endpoint scheme (use host:port, grpc:// or grpcs://)`,
      };
    }
    scheme = s;
    if (s === 'http' || s === 'https') return { ok: true, address: text, scheme, tls: s === 'https' };
    rest = text.slice(m[0].length);
  }
  rest = rest.replace(/\/+$/, '');
  if (/\s/.test(rest)) return { ok: false, message: `'${rest}' contains a space` };
  if (rest.includes('/')) return { ok: false, message: `'${rest}' has a path; a gRPC endpoint is only host:port` };
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
  let port = DEFAULT_GRPC_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return { ok: false, message: `port '${portText}' is not a number from 1 to 65535` };
    }
    port = Number(portText);
  }
  const address = v6 ? `[${host}]:${port}` : `${host}:${port}`;
  return { ok: true, address, scheme, tls: scheme === 'grpcs' ? true : null };
}

/** The same address as the app displays it: `grpc://host:port` or `grpcs://host:port`. */
export function displayEndpoint(address: string, tls: boolean): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `${tls ? 'grpcs' : 'grpc'}://${address}`;
}
