/**
 * A connection profile as the form produced it, made consistent before it is saved: the endpoint
 * normalised (see ./endpoint), `grpcs://` turning TLS on, blank optional fields dropped. Problems
 * are reported per field (`url`, `tls.caPath`, …) so a form can put each message beside its input.
 * Pure: the renderer runs it as you type, the services run it again (with file checks) before saving.
 */
import { normalizeEndpoint } from './endpoint';

/** The profile fields a problem can point at (dotted paths into ConnectionProfileInput). */
export type ProfileField =
  'name' | 'url' | 'timeoutMs' | 'metricsUrl' | 'tls.caPath' | 'tls.certPath' | 'tls.keyPath' | 'tls.serverName';

export interface FieldProblem {
  field: ProfileField;
  message: string;
}

/** Human names of the fields, as the form labels them. */
export const FIELD_LABELS: Record<ProfileField, string> = {
  name: 'Name',
  url: 'Endpoint',
  timeoutMs: 'Deadline',
  'tls.caPath': 'CA certificate',
  'tls.certPath': 'Client certificate',
  'tls.keyPath': 'Client key',
  'tls.serverName': 'Server name (SNI)',
  metricsUrl: 'Metrics URL',
};

/** The shape both sides agree on (ConnectionProfileInput's fields that matter here). */
export interface ProfileLike {
  name: string;
  url: string;
  /** Absent means gRPC. */
  protocol?: 'grpc' | 'http';
  /** Absent means the default (the server's host, port 8002); blank is dropped. */
  metricsUrl?: string;
  timeoutMs?: number;
  tls?: {
    enabled: boolean;
    caPath?: string;
    certPath?: string;
    keyPath?: string;
    insecure?: boolean;
    serverName?: string;
  };
}

const SERVER_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?$/;

function blankToUndefined(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}

/**
 * The profile with a normalised endpoint and tidy TLS settings, plus the problems found. A typed
 * scheme decides the protocol and turns TLS on (grpcs, https); a bare host:port keeps both. The
 * result keeps every other field of the input as it was (so new fields added elsewhere pass through).
 */
export function normalizeProfile<P extends ProfileLike>(input: P): { profile: P; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const name = input.name.trim();
  if (!name) problems.push({ field: 'name', message: 'give the server a name' });
  let url = input.url.trim();
  let protocol = input.protocol;
  let tls = input.tls ? { ...input.tls } : { enabled: false };
  const endpoint = normalizeEndpoint(input.url, input.protocol ?? 'grpc');
  if (!endpoint.ok) problems.push({ field: 'url', message: endpoint.message });
  else {
    url = endpoint.address;
    // 'grpc' is the default: written only when it replaces an explicit 'http'.
    if (endpoint.protocol === 'http' || (endpoint.protocol === 'grpc' && protocol === 'http'))
      protocol = endpoint.protocol;
    if (endpoint.tls) tls = { ...tls, enabled: true };
  }
  if (tls.enabled) {
    tls = {
      ...tls,
      caPath: blankToUndefined(tls.caPath),
      certPath: blankToUndefined(tls.certPath),
      keyPath: blankToUndefined(tls.keyPath),
      serverName: blankToUndefined(tls.serverName),
    };
    if (tls.certPath && !tls.keyPath)
      problems.push({ field: 'tls.keyPath', message: 'mutual TLS needs the client key too' });
    if (tls.keyPath && !tls.certPath)
      problems.push({ field: 'tls.certPath', message: 'mutual TLS needs the client certificate too' });
    if (tls.serverName && !SERVER_NAME.test(tls.serverName))
      problems.push({ field: 'tls.serverName', message: `'${tls.serverName}' is not a host name` });
    // Drop absent keys rather than carrying `undefined` (strict schemas and JSON both prefer that).
    tls = Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined)) as typeof tls;
  } else {
    tls = { enabled: false };
  }
  const out = { ...input, name, url, tls };
  if (protocol) out.protocol = protocol;
  const metricsUrl = blankToUndefined(input.metricsUrl);
  if (metricsUrl) out.metricsUrl = metricsUrl;
  else delete out.metricsUrl;
  return { profile: out, problems };
}

/** "CA certificate (tls.caPath): …" — names the field as the form shows it and as the API spells it. */
export function describeProblem(p: FieldProblem): string {
  return `${FIELD_LABELS[p.field]} (${p.field}): ${p.message}`;
}
