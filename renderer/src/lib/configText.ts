/**
 * A config value (parsed pbtxt JSON, so `unknown`) as display text: strings as they are, numbers
 * and booleans printed, anything else (absent, objects) as the fallback.
 */
export function configText(v: unknown, fallback = ''): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return fallback;
}
