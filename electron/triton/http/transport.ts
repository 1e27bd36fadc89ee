/**
 * The HTTP side of the client: URL parsing, an undici keep-alive connection pool (plain or TLS with
 * a CA, a client certificate and key, insecure mode and a server name), one request with a
 * deadline and cancellation, gzip/deflate bodies, and every failure as the TritonError the gRPC
 * client throws (Triton's HTTP status codes mapped back onto gRPC status names).
 */
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { Pool } from 'undici';
import { ConnectionConfigError, readPem } from '../connection';
import { describeConnectionFailure, TritonError } from '../errors';
import type { HttpCompression, TlsOptions } from '../types';

export const DEFAULT_HTTP_PORT = 8000;

export interface ParsedHttpUrl {
  /** scheme://host:port, what the pool connects to. */
  origin: string;
  /** Path prefix in front of /v2 ('' or e.g. '/triton'), for servers behind a path-routing proxy. */
  basePath: string;
  tls: boolean;
}

/**
 * 'host:port[/base]' (port 8000 by default; TLS when `wantsTls`), or a full http:// or https://
 * URL (its scheme decides TLS; without a port, the scheme's own: 80 or 443, as behind a proxy).
 */
export function parseHttpUrl(url: string, wantsTls: boolean): ParsedHttpUrl {
  const text = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'http' && scheme !== 'https') {
    throw new ConnectionConfigError(
      `unsupported URL scheme '${scheme}://' in '${url}' for HTTP/REST: give HOST:PORT (default port ${DEFAULT_HTTP_PORT}), or an http:// or https:// URL`,
    );
  }
  if (scheme === 'http' && wantsTls)
    throw new ConnectionConfigError(`'${url}' is plain http:// but TLS options were given: use https://`);
  const tls = scheme ? scheme === 'https' : wantsTls;
  let parsed: URL;
  try {
    parsed = new URL(scheme ? text : `${tls ? 'https' : 'http'}://${text}`);
  } catch {
    throw new ConnectionConfigError(`'${url}' is not a valid HOST:PORT or http(s):// URL`);
  }
  if (!parsed.hostname) throw new ConnectionConfigError(`URL '${url}' has no host`);
  if (parsed.search || parsed.hash || parsed.username || parsed.password)
    throw new ConnectionConfigError(`URL '${url}' must not carry a query, fragment or credentials`);
  const port = parsed.port ? Number(parsed.port) : scheme ? (tls ? 443 : 80) : DEFAULT_HTTP_PORT;
  return {
    origin: `${tls ? 'https' : 'http'}://${parsed.hostname}:${port}`,
    basePath: parsed.pathname.replace(/\/+$/, ''),
    tls,
  };
}

/** Maps an HTTP status onto the gRPC status Triton's error code had (http_server.cc HttpCodeFromError). */
export function grpcCodeForHttpStatus(status: number): number {
  switch (status) {
    case 400:
      return GrpcStatus.INVALID_ARGUMENT; // also Triton's UNKNOWN, ALREADY_EXISTS, CANCELLED
    case 401:
      return GrpcStatus.UNAUTHENTICATED;
    case 403:
      return GrpcStatus.PERMISSION_DENIED;
    case 404:
      return GrpcStatus.NOT_FOUND;
    case 405:
    case 501:
      return GrpcStatus.UNIMPLEMENTED;
    case 408:
    case 504:
      return GrpcStatus.DEADLINE_EXCEEDED;
    case 413:
    case 429:
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case 500:
      return GrpcStatus.INTERNAL;
    case 502:
    case 503:
      return GrpcStatus.UNAVAILABLE;
    default:
      return GrpcStatus.UNKNOWN;
  }
}

const gzip = promisify(zlib.gzip);
const deflate = promisify(zlib.deflate);
const unzip = promisify(zlib.unzip);

/** 'deflate' is zlib-wrapped deflate, as tritonclient.http and Triton's DataCompressor use it. */
export async function compress(parts: readonly Uint8Array[], algorithm: HttpCompression): Promise<Buffer> {
  const whole = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  return algorithm === 'gzip' ? gzip(whole) : deflate(whole);
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Path below the base path, e.g. '/v2/models/m/infer'. */
  path: string;
  /** Body parts sent back to back (e.g. the JSON header, then each binary tensor): never joined. */
  body?: readonly Uint8Array[];
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface TransportOptions {
  url: string;
  tls?: TlsOptions | boolean;
}

export class HttpTransport {
  readonly tls: boolean;
  private readonly pool: Pool;
  private readonly basePath: string;
  private closed = false;

  constructor(
    private readonly options: TransportOptions,
    /** The address as the user gave it, for error messages. */
    private readonly displayUrl = options.url,
  ) {
    const parsed = parseHttpUrl(options.url, Boolean(options.tls));
    this.tls = parsed.tls;
    this.basePath = parsed.basePath;
    this.pool = new Pool(parsed.origin, {
      connect: parsed.tls ? tlsConnectOptions(options.tls) : undefined,
      // Deadlines are per call (request()); undici's own 300 s limits would cut long model loads.
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: 30_000,
      // A few sockets kept open: the inspector keeps 2+ frames in flight, benchmarks more.
      connections: 16,
    });
  }

  async request(rpc: string, req: HttpRequest): Promise<HttpResponse> {
    if (this.closed)
      throw new TritonError(GrpcStatus.CANCELLED, 'client is closed', {
        rpc,
        message: `CANCELLED: ${rpc}: the client was closed`,
      });
    if (req.signal?.aborted) throw cancelled(rpc);
    const controller = new AbortController();
    let timedOut = false;
    const timer =
      req.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, req.timeoutMs)
        : undefined;
    const onAbort = () => controller.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const parts = (req.body ?? []).filter((p) => p.byteLength > 0);
      const length = parts.reduce((n, p) => n + p.byteLength, 0);
      const res = await this.pool.request({
        method: req.method,
        path: this.basePath + req.path,
        headers: { ...req.headers, ...(req.method === 'POST' ? { 'content-length': String(length) } : {}) },
        // Several parts are written one after another under the content-length above (no chunked
        // encoding, and the multi-MB tensors are never joined into one buffer).
        body:
          parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : Readable.from(parts, { objectMode: false }),
        signal: controller.signal,
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      return { status: res.statusCode, headers: res.headers, body };
    } catch (err) {
      if (timedOut)
        throw new TritonError(GrpcStatus.DEADLINE_EXCEEDED, 'Deadline Exceeded', {
          rpc,
          cause: err,
          message: `DEADLINE_EXCEEDED: ${rpc} did not complete after ${req.timeoutMs} ms (server ${this.displayUrl})`,
        });
      if (req.signal?.aborted) throw cancelled(rpc, err);
      throw this.transportError(rpc, err);
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Socket, DNS and TLS failures as UNAVAILABLE with the same wording as the gRPC client's. */
  private transportError(rpc: string, err: unknown): TritonError {
    const parts: string[] = [];
    for (let e: unknown = err; e instanceof Error && parts.length < 4; e = e.cause) {
      const code = (e as NodeJS.ErrnoException).code;
      parts.push(code && !e.message.includes(code) ? `${code}: ${e.message}` : e.message);
    }
    const details = parts.join('; ') || String(err);
    const conn = describeConnectionFailure(details, { rpc, url: this.displayUrl, tls: this.tls });
    return new TritonError(GrpcStatus.UNAVAILABLE, details, {
      rpc,
      cause: err,
      message: `UNAVAILABLE: ${conn ?? `${rpc} failed: ${details}`}`,
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.pool.destroy().catch(() => undefined);
  }
}

function cancelled(rpc: string, cause?: unknown): TritonError {
  return new TritonError(GrpcStatus.CANCELLED, 'Cancelled on client', {
    rpc,
    cause,
    message: `CANCELLED: ${rpc} was cancelled`,
  });
}

function tlsConnectOptions(tlsOption: TlsOptions | boolean | undefined) {
  const tls: TlsOptions = typeof tlsOption === 'object' ? tlsOption : {};
  const ca = readPem(tls.ca, 'CA');
  const cert = readPem(tls.cert, 'client certificate');
  const key = readPem(tls.key, 'client key');
  if (Boolean(cert) !== Boolean(key))
    throw new ConnectionConfigError('mutual TLS needs both a client certificate and its key (--cert and --key)');
  return {
    ...(ca ? { ca } : {}),
    ...(cert && key ? { cert, key } : {}),
    // servername sets SNI and the name the certificate is checked against.
    ...(tls.serverName ? { servername: tls.serverName } : {}),
    ...(tls.insecure ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {}),
  };
}

/** Decodes a gzip- or deflate-encoded response body (zlib detects which, as Triton's server does). */
export async function decodeBody(res: HttpResponse): Promise<Buffer> {
  const encoding = String(res.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  if (encoding === 'gzip' || encoding === 'deflate') return unzip(res.body);
  return res.body;
}

/**
 * A non-200 response as a TritonError: Triton's body is {"error": "..."}; anything else (a proxy's
 * HTML page) is named by its status and the start of its text.
 */
export async function httpError(rpc: string, res: HttpResponse): Promise<TritonError> {
  const code = grpcCodeForHttpStatus(res.status);
  let text: string;
  try {
    text = (await decodeBody(res)).toString('utf8');
  } catch {
    text = res.body.toString('latin1');
  }
  let details: string | undefined;
  try {
    const json = JSON.parse(text) as unknown;
    if (json && typeof json === 'object' && typeof (json as { error?: unknown }).error === 'string')
      details = (json as { error: string }).error;
  } catch {
    // not Triton's error JSON
  }
  details ??= `HTTP ${res.status}${text.trim() ? `: ${text.trim().slice(0, 200)}` : ''}`;
  return new TritonError(code, details, { rpc, httpStatus: res.status });
}
