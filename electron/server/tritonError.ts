/**
 * Errors the embedded server returns to clients. Triton's core error codes map 1:1 onto gRPC
 * status codes (PROTOCOL.md §1); handlers throw `TritonServerError` and the gRPC layer turns it
 * into a status whose message is Triton's exact error text.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';

export type TritonErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'INTERNAL'
  | 'UNAVAILABLE'
  | 'UNIMPLEMENTED'
  | 'ALREADY_EXISTS'
  | 'CANCELLED'
  | 'UNKNOWN';

export class TritonServerError extends Error {
  constructor(
    readonly code: TritonErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TritonServerError';
  }

  get grpcCode(): number {
    return GrpcStatus[this.code];
  }
}

export const invalidArg = (message: string) => new TritonServerError('INVALID_ARGUMENT', message);
export const notFound = (message: string) => new TritonServerError('NOT_FOUND', message);
export const internal = (message: string) => new TritonServerError('INTERNAL', message);
export const unavailable = (message: string) => new TritonServerError('UNAVAILABLE', message);
export const unsupported = (message: string) => new TritonServerError('UNIMPLEMENTED', message);
export const alreadyExists = (message: string) => new TritonServerError('ALREADY_EXISTS', message);

/**
 * Triton's `Status::AsString()` prefix for a code, used where a reason is reported as text
 * (version state reasons in the repository index, load failures).
 */
export function codeString(code: TritonErrorCode): string {
  switch (code) {
    case 'INVALID_ARGUMENT':
      return 'Invalid argument';
    case 'NOT_FOUND':
      return 'Not found';
    case 'INTERNAL':
      return 'Internal';
    case 'UNAVAILABLE':
      return 'Unavailable';
    case 'UNIMPLEMENTED':
      return 'Unsupported';
    case 'ALREADY_EXISTS':
      return 'Already exists';
    case 'CANCELLED':
      return 'Cancelled';
    default:
      return 'Unknown';
  }
}

/** `Internal: message` style text of any error (non-Triton errors count as INTERNAL). */
export function reasonText(err: unknown): string {
  if (err instanceof TritonServerError) return `${codeString(err.code)}: ${err.message}`;
  return `${codeString('INTERNAL')}: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Error texts go back in the `grpc-message` trailer, percent-encoded (up to 3 characters per
 * byte), and gRPC clients refuse metadata over 8 KiB with RESOURCE_EXHAUSTED instead of showing
 * the error. Texts echo client input (model names, tensor names), so they are capped in bytes.
 */
export const MAX_ERROR_TEXT_BYTES = 2048;

export function boundedErrorText(text: string, maxBytes = MAX_ERROR_TEXT_BYTES): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let kept = Buffer.from(text)
    .subarray(0, maxBytes - 48)
    .toString('utf8');
  if (kept.endsWith('\uFFFD')) kept = kept.slice(0, -1); // a character cut in half
  return `${kept}… (${text.length - kept.length} characters omitted)`;
}

/** Any thrown value as a TritonServerError (unexpected exceptions become INTERNAL). */
export function asTritonError(err: unknown): TritonServerError {
  if (err instanceof TritonServerError) return err;
  return internal(err instanceof Error ? err.message : String(err));
}
