/**
 * The embedded server's HTTP/REST front end (Triton's port 8000): node:http or node:https with
 * keep-alive, bodies read whole (bounded), gzip/deflate request and response bodies as Triton's
 * DataCompressor handles them, errors as {"error": "..."} with Triton's status for each error code.
 * Routes live in ./routes; inference in ./inferHttp. Execution happens in the model manager's
 * worker threads, so a load or a long inference never blocks this event loop's other requests.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { ServiceContext } from '../grpcService';
import { runInference } from '../inferService';
import { parseVersionString } from '../versionString';
import { asTritonError, boundedErrorText, invalidArg, unsupported, type TritonErrorCode } from '../tritonError';
import type { EmbeddedServerTls } from '../index';
import { buildHttpInferReply, HEADER_LENGTH, inferenceHeaderLength, parseHttpInferRequest } from './inferHttp';
import { MAX_JSON_INPUT_BYTES } from './json';
import { apiRoutes, HttpStatusError, type HttpCall, type HttpReply } from './routes';
import { isLoopbackHost, parseHostHeader } from '../../bridge/security';

/** The largest request body accepted (INT32_MAX, the gRPC front end's message limit). */
export const MAX_BODY_BYTES = 2_147_483_647;
/** Bodies declared up to this size are read into one buffer allocated up front. */
export const PREALLOCATE_MAX_BYTES = 64 * 1024 * 1024;

const unzip = promisify(zlib.unzip);
const gzip = promisify(zlib.gzip);
const deflate = promisify(zlib.deflate);

/** http_server.cc HttpCodeFromError. */
export function httpStatusFor(code: TritonErrorCode): number {
  switch (code) {
    case 'INTERNAL':
      return 500;
    case 'NOT_FOUND':
      return 404;
    case 'UNAVAILABLE':
      return 503;
    case 'UNIMPLEMENTED':
      return 501;
    default:
      return 400; // INVALID_ARGUMENT, UNKNOWN, ALREADY_EXISTS, CANCELLED
  }
}

/** CompressionTypeUsed: the best of identity/deflate/gzip in Accept-Encoding by q-value. */
export function responseCompression(acceptEncoding: string | undefined): 'gzip' | 'deflate' | undefined {
  if (!acceptEncoding) return undefined;
  let best = 'identity';
  let weight = 0;
  for (const item of acceptEncoding.split(',')) {
    const m = /^\s*([^;\s]+)\s*(?:;q=(.*))?$/.exec(item);
    if (!m) continue;
    const w = m[2] === undefined ? 1 : Number(m[2]);
    if (!Number.isFinite(w)) continue;
    if ((m[1] === 'identity' || m[1] === 'deflate' || m[1] === 'gzip') && w > weight) {
      best = m[1];
      weight = w;
    }
  }
  return best === 'gzip' || best === 'deflate' ? best : undefined;
}

/** The request body decompressed per Content-Encoding (zlib detects gzip or zlib-wrapped deflate). */
async function decompressedBody(call: HttpCall): Promise<Buffer> {
  const encoding = String(call.headers['content-encoding'] ?? '').trim();
  if (encoding === '' || encoding === 'identity') return call.body;
  if (encoding !== 'gzip' && encoding !== 'deflate')
    throw Object.assign(unsupported('Unsupported compression type'), { acceptEncoding: true });
  try {
    return await unzip(call.body, { maxOutputLength: MAX_JSON_INPUT_BYTES });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw invalidArg(
        `Decompressed data size exceeds the maximum allowed value of ${MAX_JSON_INPUT_BYTES} bytes. Use --http-max-input-size to increase the limit.`,
      );
    throw invalidArg(`failed to decompress the request body: ${(err as Error).message}`);
  }
}

function inferHandler(ctx: ServiceContext) {
  return async (call: HttpCall, [model, version]: string[]): Promise<HttpReply> => {
    if (call.method !== 'POST') throw new HttpStatusError(405, 'Method Not Allowed', false);
    const { config } = ctx.manager.getReady(model, parseVersionString(version));
    if (config.model_transaction_policy?.decoupled)
      throw unsupported("HTTP end point doesn't support models with decoupled transaction policy");
    const body = await decompressedBody(call);
    const header = call.headers[HEADER_LENGTH];
    const headerLength = inferenceHeaderLength(Array.isArray(header) ? header[0] : header, body.byteLength);
    const request = parseHttpInferRequest(model, version, body, headerLength);
    const response = await runInference(ctx.manager, ctx.shm, request.decoded, 'unary');
    const reply = buildHttpInferReply(response, request);
    const headers: Record<string, string> = {
      'content-type': reply.headerLength !== undefined ? 'application/octet-stream' : 'application/json',
    };
    if (reply.headerLength !== undefined) headers[HEADER_LENGTH] = String(reply.headerLength);
    const compression = responseCompression(
      Array.isArray(call.headers['accept-encoding'])
        ? call.headers['accept-encoding'].join(',')
        : call.headers['accept-encoding'],
    );
    if (!compression) return { status: 200, body: reply.parts, headers };
    const whole = Buffer.concat(reply.parts);
    headers['content-encoding'] = compression;
    return { status: 200, body: [compression === 'gzip' ? await gzip(whole) : await deflate(whole)], headers };
  };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > MAX_BODY_BYTES) {
      reject(
        new HttpStatusError(413, `request body of ${declared} bytes exceeds the limit of ${MAX_BODY_BYTES} bytes`),
      );
      return;
    }
    // One buffer of the declared size (no joining of chunks for multi-MB tensors), up to a size that
    // no client makes us reserve before sending it: a declared 2 GB with nothing after it held 2 GB
    // per connection. Larger bodies are gathered as they really arrive.
    const whole =
      Number.isSafeInteger(declared) && declared >= 0 && declared <= PREALLOCATE_MAX_BYTES
        ? Buffer.allocUnsafe(declared)
        : undefined;
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      if (whole && length + chunk.byteLength <= whole.byteLength) chunk.copy(whole, length);
      else chunks.push(chunk);
      length += chunk.byteLength;
      if (length > MAX_BODY_BYTES) req.destroy(new Error('request body too large'));
    });
    req.on('end', () => resolve(whole && chunks.length === 0 ? whole.subarray(0, length) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, reply: HttpReply): void {
  const parts = reply.body ?? [];
  const length = parts.reduce((n, p) => n + p.byteLength, 0);
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(length) });
  if (parts.length <= 1) {
    res.end(parts[0]);
    return;
  }
  res.cork();
  for (const p of parts) res.write(p);
  res.end();
  res.uncork();
}

function errorReply(err: unknown): HttpReply {
  if (err instanceof HttpStatusError)
    return {
      status: err.status,
      body: [Buffer.from(JSON.stringify({ error: err.message }))],
      headers: err.json ? { 'content-type': 'application/json' } : {},
    };
  const e = asTritonError(err);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if ((err as { acceptEncoding?: boolean }).acceptEncoding) headers['accept-encoding'] = 'gzip, deflate';
  return {
    status: httpStatusFor(e.code),
    body: [Buffer.from(JSON.stringify({ error: boundedErrorText(e.message) }))],
    headers,
  };
}

export interface HttpFront {
  port: number;
  close(): Promise<void>;
}

/**
 * Why a request to a server bound to loopback is refused, or null. Triton's HTTP port trusts
 * whoever reaches it; on a desktop, a web page in the user's browser reaches 127.0.0.1 too. It
 * cannot read the answers (no CORS headers), but a "simple" POST still loads or unloads a model or
 * runs one. So, on loopback only (a remote server, `--allow-remote`, is Triton's case):
 *  - a Host that is not a loopback name is a DNS-rebinding page (evil.example resolving to 127.0.0.1);
 *  - an Origin header comes from a web page: Triton's clients (tritonclient, curl, ours) send none.
 */
export function browserRefusal(bindHost: string, headers: http.IncomingHttpHeaders): string | null {
  if (!isLoopbackHost(bindHost.toLowerCase())) return null;
  const host = headers.host;
  const name = host === undefined ? undefined : parseHostHeader(host)?.name;
  if (host !== undefined && !(name && isLoopbackHost(name)))
    return `this server listens on ${bindHost} and answers loopback names only (Host: ${host.slice(0, 100)})`;
  if (headers.origin !== undefined)
    return `requests from web pages (Origin: ${headers.origin.slice(0, 100)}) are refused by the embedded server`;
  return null;
}

export async function startHttpFront(
  ctx: ServiceContext,
  options: { host: string; port: number; tls?: EmbeddedServerTls },
): Promise<HttpFront> {
  const route = apiRoutes(ctx, inferHandler(ctx));
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const refusal = browserRefusal(options.host, req.headers);
    if (refusal) {
      // The body is not read: the connection closes after the answer.
      res.shouldKeepAlive = false;
      return send(res, {
        status: 403,
        body: [Buffer.from(JSON.stringify({ error: refusal }))],
        headers: { 'content-type': 'application/json', connection: 'close' },
      });
    }
    const path = (req.url ?? '/').split('?')[0];
    readBody(req)
      .then((body) => route(path, { method: req.method ?? 'GET', body, headers: req.headers }))
      .then(
        (reply) => send(res, reply),
        (err: unknown) => send(res, errorReply(err)),
      )
      .catch(() => res.destroy());
  };
  const server = options.tls
    ? https.createServer(
        {
          cert: options.tls.cert,
          key: options.tls.key,
          ca: options.tls.ca,
          requestCert: Boolean(options.tls.requireClientCert),
          rejectUnauthorized: Boolean(options.tls.requireClientCert),
        },
        handle,
      )
    : http.createServer(handle);
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0; // long model loads and big uploads are bounded by the client's deadline
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // In-flight requests get a moment; then what is left is cut.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }),
  };
}
