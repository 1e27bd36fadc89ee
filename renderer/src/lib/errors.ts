/** One-line, human-readable text for anything thrown across the API boundary. */
export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' && code && !e.message.startsWith(code) ? `${code}: ${e.message}` : e.message;
  }
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'message' in e) return String(e.message);
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

/**
 * The raw error for the notifications log: code, message and any structured details (e.g. pbtxt
 * diagnostics), as the services sent them, so nothing the one-line text left out is lost.
 */
export function errorDetail(e: unknown): string {
  if (e && typeof e === 'object') {
    const { code, message, details } = e as { code?: unknown; message?: unknown; details?: unknown };
    const raw: Record<string, unknown> = {};
    if (code !== undefined) raw.code = code;
    if (message !== undefined) raw.message = message;
    if (details !== undefined) raw.details = details;
    if (Object.keys(raw).length) {
      try {
        return JSON.stringify(raw, null, 2);
      } catch {
        /* fall through to the text form */
      }
    }
  }
  return errorText(e);
}
