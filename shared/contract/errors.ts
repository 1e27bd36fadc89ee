/**
 * How failures cross the process boundary. Electron IPC and the WebSocket bridge both carry errors
 * as plain `{ code, message, details? }` objects (Error instances do not survive structured clone or
 * JSON intact), and the renderer turns them back into `ApiError` so `catch (e)` sees one type.
 */
import { z } from 'zod';

/**
 * Our own codes plus Triton's gRPC status names (a server error keeps its gRPC code, e.g.
 * 'NOT_FOUND' or 'UNAVAILABLE', so the UI can show exactly what Triton said).
 */
export const ERROR_CODES = [
  // request problems
  'INVALID_ARGUMENT', // payload failed the contract schema or a service precondition
  'UNKNOWN_METHOD', // channel/method not in the allowlist
  'FORBIDDEN', // bad sender/origin, or a path outside the opened repository folders
  'UNAUTHENTICATED', // bridge token missing or wrong
  'NOT_FOUND',
  'CONFLICT', // save refused: the file changed on disk since it was read (hash mismatch)
  'TOO_LARGE',
  'NOT_CONNECTED', // a server call on a connection that has not been connected
  // gRPC status names that Triton uses, passed through unchanged
  'CANCELLED',
  'UNKNOWN',
  'DEADLINE_EXCEEDED',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const SerializedErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  /** Optional structured detail, e.g. zod issues or pbtxt diagnostics. JSON-safe only. */
  details: z.unknown().optional(),
});
export type SerializedError = z.infer<typeof SerializedErrorSchema>;

export class ApiError extends Error {
  readonly code: ErrorCode | (string & {});
  readonly details?: unknown;
  constructor(code: ErrorCode | (string & {}), message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
  toJSON(): SerializedError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * Turns anything thrown by a service into the wire form. Errors that already carry a string `code`
 * (ApiError, TritonError with its gRPC status name, Node's fs errors) keep it; fs codes are mapped
 * to ours so the renderer does not need to know about ENOENT.
 */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof ApiError) return err.toJSON();
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; details?: unknown };
    // An object without a message: its JSON says more than "[object Object]".
    const message = typeof e.message === 'string' && e.message ? e.message : (JSON.stringify(err) ?? 'unknown error');
    if (typeof e.code === 'string') {
      const mapped = FS_CODES[e.code] ?? e.code;
      return { code: mapped, message };
    }
    return { code: 'INTERNAL', message };
  }
  return { code: 'INTERNAL', message: String(err) };
}

const FS_CODES: Record<string, ErrorCode> = {
  ENOENT: 'NOT_FOUND',
  ENOTDIR: 'NOT_FOUND',
  EISDIR: 'INVALID_ARGUMENT',
  EACCES: 'PERMISSION_DENIED',
  EPERM: 'PERMISSION_DENIED',
  EEXIST: 'ALREADY_EXISTS',
};

export function deserializeError(e: SerializedError): ApiError {
  return new ApiError(e.code, e.message, e.details);
}

/** A readable one-line summary of zod issues: `inputs[0].shape[1]: Expected number, received string`. */
export function describeZodError(error: z.ZodError, what: string): ApiError {
  const lines = error.issues.map((i) => `${i.path.length ? formatPath(i.path) : '(payload)'}: ${i.message}`);
  return new ApiError(
    'INVALID_ARGUMENT',
    `${what}: ${lines.slice(0, 5).join('; ')}${lines.length > 5 ? ` (+${lines.length - 5} more)` : ''}`,
    error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })),
  );
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}
