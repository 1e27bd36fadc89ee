/**
 * Every failure of a Triton call surfaces as a TritonError: gRPC status name and number plus
 * Triton's own message, with a one-line `message` a human can act on, e.g.
 *   NOT_FOUND: Request for unknown model: 'foo' is not found
 *   DEADLINE_EXCEEDED: ModelInfer did not complete after 200 ms
 *   UNAVAILABLE: cannot connect to Triton at 127.0.0.1:1 (connection refused)
 */
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';

const CODE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(GrpcStatus)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
);

export function grpcCodeName(code: number): string {
  return CODE_NAMES[code] ?? `CODE_${code}`;
}

export class TritonError extends Error {
  /** gRPC status name, e.g. 'NOT_FOUND'. */
  readonly code: string;
  /** gRPC status number, e.g. 5. */
  readonly grpcCode: number;
  /** The server's message (Triton's error text) without our prefix. */
  readonly details: string;
  /** The RPC that failed, e.g. 'ModelInfer' (over HTTP: the route, e.g. 'POST /v2/models/m/infer'). */
  readonly rpc?: string;
  /** HTTP/REST only: the response's status code (Triton maps its error codes onto 400/404/500/501/503). */
  readonly httpStatus?: number;

  constructor(
    grpcCode: number,
    details: string,
    opts: { rpc?: string; message?: string; cause?: unknown; httpStatus?: number } = {},
  ) {
    const code = grpcCodeName(grpcCode);
    // Triton's texts can end in '\n' (load failures); keep `message` one line.
    super(opts.message ?? `${code}: ${details.trim().split('\n')[0]}`, opts.cause ? { cause: opts.cause } : undefined);
    this.name = 'TritonError';
    this.code = code;
    this.grpcCode = grpcCode;
    this.details = details;
    this.rpc = opts.rpc;
    this.httpStatus = opts.httpStatus;
  }
}

function isServiceError(err: unknown): err is ServiceError {
  return typeof err === 'object' && err !== null && typeof (err as ServiceError).code === 'number' && 'details' in err;
}

export interface ErrorContext {
  rpc: string;
  /** The address as the user wrote it, for connection errors. */
  url: string;
  /** Deadline of the call in ms, for DEADLINE_EXCEEDED. */
  timeoutMs?: number;
  tls: boolean;
}

/** Maps a grpc-js ServiceError (or anything thrown) to a TritonError with a clear one-line message. */
export function toTritonError(err: unknown, ctx: ErrorContext): TritonError {
  if (err instanceof TritonError) return err;
  if (!isServiceError(err)) {
    const text = err instanceof Error ? err.message : String(err);
    return new TritonError(GrpcStatus.INTERNAL, text, {
      rpc: ctx.rpc,
      message: `INTERNAL: ${ctx.rpc} failed: ${text}`,
      cause: err,
    });
  }
  const details = err.details ?? '';
  const opts = { rpc: ctx.rpc, cause: err };
  if (err.code === GrpcStatus.DEADLINE_EXCEEDED) {
    const after = ctx.timeoutMs !== undefined ? ` after ${ctx.timeoutMs} ms` : '';
    return new TritonError(err.code, details, {
      ...opts,
      message: `DEADLINE_EXCEEDED: ${ctx.rpc} did not complete${after} (server ${ctx.url})`,
    });
  }
  if (err.code === GrpcStatus.UNAVAILABLE) {
    const conn = describeConnectionFailure(details, ctx);
    if (conn) return new TritonError(err.code, details, { ...opts, message: `UNAVAILABLE: ${conn}` });
  }
  if (err.code === GrpcStatus.RESOURCE_EXHAUSTED && /message larger than max|exceeds.*max/i.test(details)) {
    return new TritonError(err.code, details, {
      ...opts,
      message: `RESOURCE_EXHAUSTED: ${ctx.rpc}: ${details} (raise maxMessageBytes)`,
    });
  }
  if (err.code === GrpcStatus.CANCELLED && /cancelled on client/i.test(details)) {
    return new TritonError(err.code, details, { ...opts, message: `CANCELLED: ${ctx.rpc} was cancelled` });
  }
  return new TritonError(err.code, details, opts);
}

/**
 * Recognises transport-level failures (nothing listening, DNS, TLS) in an error text: grpc-js's
 * details, or (HTTP client) Node's socket/TLS error code and message.
 */
export function describeConnectionFailure(details: string, ctx: ErrorContext): string | undefined {
  const where = `Triton at ${ctx.url}`;
  if (/ECONNREFUSED/.test(details))
    return `cannot connect to ${where} (connection refused; is the server running and is the port right?)`;
  if (/ENOTFOUND|EAI_AGAIN|Name resolution failed|DNS resolution failed/i.test(details))
    return `cannot resolve the host of ${where}`;
  if (/ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/.test(details))
    return `cannot reach ${where} (${details.match(/E[A-Z]+/)?.[0]})`;
  if (/certificate|SSL|TLS|handshake|self[- ]signed|altnames|alert/i.test(details)) {
    return `TLS handshake with ${where} failed: ${lastClause(details)}`;
  }
  if (/Connection dropped|ECONNRESET|socket hang up|Protocol error|closed/i.test(details)) {
    const hint = ctx.tls ? ' (is the server using TLS?)' : ' (does the server require TLS?)';
    return `connection to ${where} failed: ${lastClause(details)}${hint}`;
  }
  if (/No connection established|Failed to connect/i.test(details))
    return `cannot connect to ${where}: ${lastClause(details)}`;
  return undefined;
}

/** The transport's last error, without grpc-js's timestamp and its (usually empty) resolution note. */
function lastClause(details: string): string {
  const m = /Last error: (.*)$/s.exec(details);
  return (m ? m[1] : details)
    .replace(/\.?\s*Resolution note:.*$/s, '')
    .replace(/\s*\(\d{4}-\d\d-\d\dT[\d:.]+Z\)/g, '')
    .trim();
}
