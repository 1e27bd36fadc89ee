/**
 * Turning text-format scalar tokens into typed values (and back), with protobuf's rules:
 * integers in decimal/hex/octal with range checks, floats with `inf`/`nan`/`f` suffix, booleans
 * `true/t/True/1`, string escapes (C-style, octal, hex, \u, \U) producing UTF-8, and adjacent
 * string concatenation.
 */
import type { Token } from './lexer';
import { INT_RANGES, type ScalarType } from './schema';

export class ValueError {
  constructor(
    readonly message: string,
    readonly token?: Token,
    readonly code = 'wrong-type',
  ) {}
}

/** Parses an unsigned integer token (`123`, `0x1f`, `017`) exactly. */
export function parseIntegerText(text: string): bigint {
  if (text.length > 1 && text.charCodeAt(0) === 48 /* 0 */) {
    const x = text.charCodeAt(1);
    if (x === 120 || x === 88) return BigInt(text); // BigInt understands 0x
    return BigInt('0o' + text.slice(1));
  }
  return BigInt(text);
}

function quickInteger(text: string): number | undefined {
  // Fast path for short decimal literals, which is nearly all of them.
  if (text.length <= 15 && (text.length === 1 || text.charCodeAt(0) !== 48)) return +text;
  return undefined;
}

/** Integer value of a scalar node's tokens for an integer field of type `type`. */
export function toInteger(tokens: Token[], type: ScalarType): number {
  const range = INT_RANGES[type]!;
  const negative = tokens.length === 2;
  const tok = tokens[tokens.length - 1];
  if (tok.kind !== 'int') {
    const what =
      tok.kind === 'float' ? 'a floating-point number' : tok.kind === 'string' ? 'a string' : `'${tok.text}'`;
    throw new ValueError(`Expected an integer (${type}), found ${what}`, tok);
  }
  if (negative && !range.signed) {
    throw new ValueError(`Expected a non-negative integer (${type}), found -${tok.text}`, tokens[0], 'out-of-range');
  }
  const quick = quickInteger(tok.text);
  if (quick !== undefined) {
    const v = negative ? -quick : quick;
    if (v >= Number(range.min) && v <= Number(range.max)) return v === 0 ? 0 : v;
  }
  let big = parseIntegerText(tok.text);
  if (negative) big = -big;
  if (big < range.min || big > range.max) {
    throw new ValueError(
      `Integer ${negative ? '-' : ''}${tok.text} is out of range for ${type} (${range.min}..${range.max})`,
      tok,
      'out-of-range',
    );
  }
  return Number(big);
}

/** Exact decimal text of an integer scalar (`-0x10` -> `-16`), for values beyond 2^53. */
export function exactIntegerText(tokens: Token[]): string {
  const v = parseIntegerText(tokens[tokens.length - 1].text);
  return (tokens.length === 2 ? -v : v).toString();
}

const FLOAT_WORDS: Record<string, number> = { inf: Infinity, infinity: Infinity, nan: NaN };

export function toFloat(tokens: Token[], type: 'float' | 'double'): number {
  const negative = tokens.length === 2;
  const tok = tokens[tokens.length - 1];
  let v: number;
  if (tok.kind === 'float') {
    const t = tok.text;
    const last = t.charCodeAt(t.length - 1);
    v = Number(last === 102 || last === 70 ? t.slice(0, -1) : t);
  } else if (tok.kind === 'int') {
    // protobuf (C++, what Triton parses with) takes only decimal integers in a float field.
    if (tok.text.length > 1 && tok.text.charCodeAt(0) === 48 /* 0 */)
      throw new ValueError(`Expect a decimal number, got: ${tok.text}`, tok);
    v = Number(parseIntegerText(tok.text));
  } else if (tok.kind === 'ident' && tok.text.toLowerCase() in FLOAT_WORDS) {
    v = FLOAT_WORDS[tok.text.toLowerCase()];
  } else {
    throw new ValueError(
      `Expected a number (${type}), found ${tok.kind === 'string' ? 'a string' : `'${tok.text}'`}`,
      tok,
    );
  }
  if (negative) v = -v;
  return type === 'float' ? canonicalFloat32(v) : v;
}

/**
 * The float32 a value rounds to, expressed as the shortest decimal that rounds to the same float32
 * (what protobuf prints: `0.1` stays `0.1`, not `0.10000000149011612`).
 */
export function canonicalFloat32(v: number): number {
  const f = Math.fround(v);
  if (!Number.isFinite(f) || f === 0 || Number.isInteger(f)) return f;
  for (let p = 1; p <= 9; p++) {
    const s = +f.toPrecision(p);
    if (Math.fround(s) === f) return s;
  }
  return f;
}

export function toBool(tokens: Token[]): boolean {
  const tok = tokens[tokens.length - 1];
  if (tokens.length === 1) {
    if (tok.kind === 'ident') {
      switch (tok.text) {
        case 'true':
        case 'True':
        case 't':
          return true;
        case 'false':
        case 'False':
        case 'f':
          return false;
      }
    } else if (tok.kind === 'int') {
      if (tok.text === '1') return true;
      if (tok.text === '0') return false;
    }
  }
  throw new ValueError(`Expected a boolean (true or false), found ${tokens.map((t) => t.text).join('')}`, tok);
}

/** Concatenated, unescaped value of adjacent string literal tokens. */
export function toStringValue(tokens: Token[]): string {
  let out = '';
  for (const tok of tokens) {
    if (tok.kind !== 'string') {
      throw new ValueError(`Expected a string in quotes, found ${tokens.map((t) => t.text).join('')}`, tok);
    }
    out += unescapeString(tok);
  }
  return out;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
  '?': 63,
  "'": 39,
  '"': 34,
};

function unescapeString(tok: Token): string {
  const raw = tok.text;
  const body = raw.slice(1, -1);
  if (body.indexOf('\\') < 0) return body;
  // Escapes produce bytes (octal/hex) or code points (\u, \U); collect UTF-8 bytes and decode once.
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c !== 92) {
      const cp = body.codePointAt(i)!;
      if (cp > 0xffff) i++;
      pushUtf8(bytes, cp);
      continue;
    }
    const e = body[i + 1];
    i++;
    if (e in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[e]);
    } else if (e >= '0' && e <= '7') {
      let v = 0;
      let k = 0;
      while (k < 3 && i < body.length && body[i] >= '0' && body[i] <= '7') {
        v = v * 8 + (body.charCodeAt(i) - 48);
        i++;
        k++;
      }
      i--;
      if (v > 255)
        throw new ValueError(
          `Octal escape \\${body.slice(i - k + 1, i + 1)} is out of range (max \\377)`,
          tok,
          'bad-escape',
        );
      bytes.push(v);
    } else if (e === 'x' || e === 'X') {
      let v = 0;
      let k = 0;
      while (k < 2 && i + 1 < body.length && hexVal(body.charCodeAt(i + 1)) >= 0) {
        v = v * 16 + hexVal(body.charCodeAt(i + 1));
        i++;
        k++;
      }
      if (k === 0)
        throw new ValueError('Invalid escape sequence in string literal: \\x needs hex digits', tok, 'bad-escape');
      bytes.push(v);
    } else if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      let v = 0;
      for (let k = 0; k < len; k++) {
        const h = hexVal(body.charCodeAt(i + 1 + k));
        if (h < 0)
          throw new ValueError(
            `Invalid escape sequence in string literal: \\${e} needs ${len} hex digits`,
            tok,
            'bad-escape',
          );
        v = v * 16 + h;
      }
      i += len;
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
        throw new ValueError(
          `Invalid escape sequence in string literal: \\${e}${body.slice(i - len + 1, i + 1)} is not a valid code point`,
          tok,
          'bad-escape',
        );
      }
      pushUtf8(bytes, v);
    } else {
      throw new ValueError(`Invalid escape sequence in string literal: \\${e ?? ''}`, tok, 'bad-escape');
    }
  }
  const decoded = decodeUtf8(bytes);
  if (decoded === undefined)
    throw new ValueError('String value is not valid UTF-8 (proto3 string fields must be UTF-8)', tok, 'bad-escape');
  return decoded;
}

function pushUtf8(bytes: number[], cp: number): void {
  if (cp < 0x80) bytes.push(cp);
  else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

/** Strict UTF-8 decoder (no DOM TextDecoder in shared/); undefined on malformed input. */
export function decodeUtf8(bytes: number[]): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    let cp: number;
    let need: number;
    let min: number;
    if (b < 0x80) {
      cp = b;
      need = 0;
      min = 0;
    } else if (b >= 0xc2 && b < 0xe0) {
      cp = b & 31;
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b < 0xf0) {
      cp = b & 15;
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b < 0xf5) {
      cp = b & 7;
      need = 3;
      min = 0x10000;
    } else return undefined;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (c & 63);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

/** Quotes a string the way canonical output writes it: double quotes, C escapes, UTF-8 kept as is. */
export function quoteString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 34:
        out += '\\"';
        break;
      case 92:
        out += '\\\\';
        break;
      case 10:
        out += '\\n';
        break;
      case 13:
        out += '\\r';
        break;
      case 9:
        out += '\\t';
        break;
      default:
        if (c < 32 || c === 127) out += '\\' + c.toString(8).padStart(3, '0');
        else out += s[i];
    }
  }
  return out + '"';
}

/** Text of a float in canonical output: shortest round-trip decimal, `inf`, `-inf`, `nan`. */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}
