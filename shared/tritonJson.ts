/**
 * JSON as Triton's HTTP/REST front end reads and writes it (TritonJson over rapidjson), for both
 * the embedded server and the HTTP client:
 *  - integers beyond 2^53 (INT64/UINT64 data, 64-bit parameters) stay exact, as bigint;
 *  - NaN and ±Infinity: rapidjson parses with kParseNanAndInfFlag and writes with
 *    kWriteNanAndInfFlag, so `NaN`, `Inf`, `Infinity` (with an optional minus) are numbers on the
 *    wire both ways, as Python's json module also writes them. JSON proper has no such tokens, so
 *    they travel through lossless-json as strings that carry this process's random marker.
 */
import { parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';

/** JSON text as a value, with exact 64-bit integers and NaN/Inf tokens; throws the parser's error. */
export function parseTritonJson(text: string): unknown {
  const marked = markNonFinite(text);
  return marked === null
    ? parseLossless(text, undefined, exactNumber)
    : parseLossless(marked, reviveNonFinite, exactNumber);
}

/** A value as JSON text: bigint as exact integers, NaN / Infinity / -Infinity as those tokens. */
export function stringifyTritonJson(value: unknown): string {
  return unmarkNonFinite(stringifyLossless(value, nonFiniteReplacer) ?? 'null');
}

/** JSON numbers as numbers, except integers beyond 2^53, kept exact as bigint. */
function exactNumber(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) || !/^-?\d+$/.test(text) ? n : BigInt(text);
}

const MARK = `\u2063tritonscope-non-finite-${Math.random().toString(36).slice(2, 10)}:`;
const TOKEN = /-?(?:NaN|Infinity|Inf)/y;

/** `text` with each NaN/Inf token outside strings replaced by a marked string; null when there is none. */
function markNonFinite(text: string): string | null {
  if (!/NaN|Inf/.test(text)) return null;
  let out = '';
  let copied = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x4e || c === 0x49 || c === 0x2d) {
      TOKEN.lastIndex = i;
      const m = TOKEN.exec(text);
      if (!m) continue;
      out += `${text.slice(copied, i)}"${MARK}${m[0]}"`;
      i += m[0].length - 1;
      copied = i + 1;
    }
  }
  return copied === 0 ? null : out + text.slice(copied);
}

/** A JSON reviver that turns the strings markNonFinite made back into numbers. */
function reviveNonFinite(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith(MARK)) return value;
  const token = value.slice(MARK.length);
  return token.endsWith('NaN') ? NaN : token.startsWith('-') ? -Infinity : Infinity;
}

/** A JSON replacer that writes non-finite numbers as marked strings (for unmarkNonFinite). */
function nonFiniteReplacer(_key: string, value: unknown): unknown {
  if (typeof value !== 'number' || Number.isFinite(value)) return value;
  return `${MARK}${Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'}`;
}

const MARKED = new RegExp(`"${MARK}(NaN|Infinity|-Infinity)"`, 'g');

/** JSON text written with nonFiniteReplacer, with its marked strings as the bare tokens. */
function unmarkNonFinite(text: string): string {
  return text.includes(MARK) ? text.replace(MARKED, '$1') : text;
}
