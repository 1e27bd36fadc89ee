/**
 * Flags every server command shares (--url, --protocol, TLS, --timeout-ms, --json) and the client
 * they describe (gRPC or HTTP/REST). Commands add their own flags; parse errors become one-line
 * CliErrors (exit 2).
 */
import { createTritonClient, resolveProtocol, type TritonClientApi } from '../triton/api';
import type { TritonClientOptions } from '../triton/types';
import { parseFlags, type FlagOptions } from './flags';
import { CliError } from './types';
import { TritonError } from '../triton/errors';
import { explainConnectionFailure, needsProbe } from '../../shared/connection';
import { probeEndpoint } from '../services/endpointProbe';
import { exportJson } from '../../shared/exportJson';

export const DEFAULT_URL = '127.0.0.1:8001';
/** Triton's HTTP/REST port, the default address with --protocol http. */
export const DEFAULT_HTTP_URL = '127.0.0.1:8000';

export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  protocol: { type: 'string' },
  tls: { type: 'boolean' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  insecure: { type: 'boolean' },
  'server-name': { type: 'string' },
  'timeout-ms': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const CONNECTION_USAGE =
  '[--url HOST:PORT|http(s)://HOST:PORT] [--protocol grpc|http] [--tls [--ca F] [--cert F --key F] [--insecure] [--server-name N]] [--timeout-ms N] [--json]';

export interface ConnectionValues {
  url?: string;
  protocol?: string;
  tls?: boolean;
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
  'server-name'?: string;
  'timeout-ms'?: string;
  json?: boolean;
  help?: boolean;
}

/**
 * Parses argv with the connection flags plus `extra`. Returns typed values/positionals; exits
 * through CliError (code 2) with the command's usage on bad flags or a wrong positional count.
 */
export function parseCommandArgs<E extends FlagOptions>(
  argv: string[],
  extra: E,
  spec: { usage: string; positionals?: [min: number, max: number] },
) {
  const parsed = parseFlags(argv, { ...CONNECTION_OPTIONS, ...extra }, spec.usage) as {
    values: ConnectionValues & Record<string, string | boolean | undefined>;
    positionals: string[];
  };
  const [min, max] = spec.positionals ?? [0, 0];
  const n = parsed.positionals.length;
  if (!parsed.values.help && (n < min || n > max)) {
    throw new CliError(
      `${n < min ? 'missing argument' : `unexpected argument '${parsed.positionals[max]}'`}\n${spec.usage}`,
      2,
    );
  }
  return parsed;
}

/** TritonClientOptions from the shared flags (TLS is enabled by --tls or by any TLS file flag). */
export function connectionOptions(v: ConnectionValues): TritonClientOptions {
  let timeoutMs: number | undefined;
  if (v['timeout-ms'] !== undefined) {
    timeoutMs = Number(v['timeout-ms']);
    if (!/^\d+$/.test(v['timeout-ms']) || !Number.isSafeInteger(timeoutMs)) {
      throw new CliError(`--timeout-ms must be a non-negative integer, got '${v['timeout-ms']}'`, 2);
    }
  }
  const wantsTls = Boolean(v.tls || v.ca || v.cert || v.key || v.insecure || v['server-name']);
  if (Boolean(v.cert) !== Boolean(v.key)) throw new CliError('--cert and --key must be given together (mutual TLS)', 2);
  if (v.protocol !== undefined && v.protocol !== 'grpc' && v.protocol !== 'http')
    throw new CliError(`--protocol must be grpc or http, got '${v.protocol}'`, 2);
  let protocol: 'grpc' | 'http';
  try {
    protocol = resolveProtocol({ url: v.url ?? '', protocol: v.protocol });
  } catch (err) {
    throw new CliError(`${(err as Error).message} (--url and --protocol)`, 2);
  }
  return {
    url: v.url ?? (protocol === 'http' ? DEFAULT_HTTP_URL : DEFAULT_URL),
    protocol,
    timeoutMs,
    tls: wantsTls
      ? { ca: v.ca, cert: v.cert, key: v.key, insecure: v.insecure, serverName: v['server-name'] }
      : undefined,
  };
}

/** A client for the flags' protocol; bad addresses and TLS files become CliErrors (exit 2). */
export function connectTritonClient(v: ConnectionValues): TritonClientApi {
  try {
    return createTritonClient(connectionOptions(v));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError((err as Error).message, 2);
  }
}

/** Runs `fn` with a connected client and always closes it. */
export async function withTritonClient<T>(
  v: ConnectionValues,
  fn: (client: TritonClientApi) => Promise<T>,
): Promise<T> {
  let client: TritonClientApi;
  try {
    client = createTritonClient(connectionOptions(v));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError((err as Error).message, 2);
  }
  try {
    return await fn(client);
  } catch (err) {
    throw await explained(err, client, v);
  } finally {
    client.close();
  }
}

/**
 * A transport failure with what is probably wrong, as the app's connection form says it
 * (shared/connection): a port that speaks plain HTTP/1.1 or TLS where gRPC was expected, a TLS
 * server reached without TLS, a certificate problem. The port is probed only when the text alone
 * cannot tell. Anything else (an answer the server gave) is returned as it is.
 */
async function explained(err: unknown, client: TritonClientApi, v: ConnectionValues): Promise<unknown> {
  if (!(err instanceof TritonError) || !['UNAVAILABLE', 'INTERNAL', 'UNKNOWN'].includes(err.code)) return err;
  const address = client.url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');
  const options = connectionOptions(v);
  const findings = needsProbe(err.details) ? await probeEndpoint(address).catch(() => null) : null;
  const explanation = explainConnectionFailure(err.details, {
    address,
    tls: Boolean(options.tls),
    protocol: resolveProtocol(options),
    probe: findings,
  });
  // Refused, unknown host, unreachable: the client's own message already says so.
  if (!explanation || ['connection-refused', 'host-not-found', 'unreachable'].includes(explanation.kind)) return err;
  return new CliError(`${err.code}: cannot talk to Triton at ${address}: ${explanation.summary}`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${exportJson(value)}\n`);
}
