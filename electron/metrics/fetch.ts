/**
 * One GET of a metrics URL from the main process (never the renderer): node:http/https with a
 * deadline, a size cap, and the connection profile's TLS material for https endpoints behind a
 * proxy (Triton's own metrics port is plain HTTP). Every failure is an ApiError naming the URL.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { ApiError } from '../../shared/contract';
import type { PemSource, TlsOptions } from '../triton/types';

export const MAX_METRICS_BYTES = 16 * 1024 * 1024;

export interface FetchMetricsOptions {
  timeoutMs?: number;
  /** As the gRPC client takes it (PEM bytes or file paths), for https metrics URLs. */
  tls?: TlsOptions;
}

function pem(source: PemSource | undefined, what: string): Buffer | Uint8Array | undefined {
  if (typeof source !== 'string') return source;
  try {
    return readFileSync(source);
  } catch (err) {
    throw new ApiError('INVALID_ARGUMENT', `cannot read ${what} ${source}: ${(err as NodeJS.ErrnoException).code}`);
  }
}

export function fetchMetricsText(url: string, options: FetchMetricsOptions = {}): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new ApiError('INVALID_ARGUMENT', `'${url}' is not a URL`));
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return Promise.reject(new ApiError('INVALID_ARGUMENT', `${url}: only http:// and https:// metrics URLs are read`));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const tls = options.tls;
  return new Promise<string>((resolve, reject) => {
    // PEM files are read inside the promise: a missing file rejects like any other failure.
    const ca = pem(tls?.ca, 'CA certificate');
    const cert = pem(tls?.cert, 'client certificate');
    const key = pem(tls?.key, 'client key');
    const fail = (code: string, message: string) => reject(new ApiError(code, `${url}: ${message}`));
    const onResponse = (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        fail(
          'UNAVAILABLE',
          `answered HTTP ${res.statusCode ?? '?'}${res.statusMessage ? ` ${res.statusMessage}` : ''}`,
        );
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > MAX_METRICS_BYTES) {
          req.destroy();
          fail('TOO_LARGE', `the answer is larger than ${MAX_METRICS_BYTES} bytes`);
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', (err) => fail('UNAVAILABLE', err.message));
    };
    const req =
      parsed.protocol === 'https:'
        ? httpsRequest(
            parsed,
            {
              method: 'GET',
              ca: ca && Buffer.from(ca),
              cert: cert && Buffer.from(cert),
              key: key && Buffer.from(key),
              servername: tls?.serverName,
              rejectUnauthorized: !tls?.insecure,
              headers: { Accept: 'text/plain' },
            },
            onResponse,
          )
        : httpRequest(parsed, { method: 'GET', headers: { Accept: 'text/plain' } }, onResponse);
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      fail('DEADLINE_EXCEEDED', `no answer within ${timeoutMs} ms`);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const hint =
        err.code === 'ECONNREFUSED'
          ? ' (nothing listens there: is the server started with metrics on, e.g. tritonserver --metrics-port 8002 or tritonscope serve --metrics-port N?)'
          : '';
      fail('UNAVAILABLE', `${err.code ?? err.message}${hint}`);
    });
    req.end();
  });
}
