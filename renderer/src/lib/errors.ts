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
