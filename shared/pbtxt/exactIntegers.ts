/**
 * 64-bit integers are plain numbers in the ModelConfig view (as the team API asks), but Triton
 * configs do use values beyond 2^53 (e.g. uint64 max as "no timeout"). So that parsing then
 * printing or converting to JSON never changes such a value, the parser remembers the exact
 * decimal text next to the container (object or array) holding the number. Printers use it only
 * while the number still equals the remembered value, so an edit of the field wins. Copies of the
 * object (spread, structuredClone) lose this and fall back to the rounded number.
 */
const exact = new WeakMap<object, Map<string | number, string>>();

export function rememberExactInteger(container: object, key: string | number, decimal: string): void {
  let m = exact.get(container);
  if (!m) exact.set(container, (m = new Map<string | number, string>()));
  m.set(key, decimal);
}

/** Decimal text of `container[key]`: the remembered exact text if it still applies, else the number's. */
export function integerText(container: object | undefined, key: string | number, value: number): string {
  if (!Number.isSafeInteger(value) && container) {
    const e = exact.get(container)?.get(key);
    if (e !== undefined && Number(e) === value) return e;
  }
  return String(value);
}
