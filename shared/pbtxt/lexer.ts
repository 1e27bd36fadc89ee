/**
 * Tokenizer for protobuf text format, hand-written over char codes (no regular expressions per
 * character, so it is linear on any input).
 *
 * Every token carries the exact source text before it (`pre`: whitespace and `#` comments), so
 * concatenating `pre + text` over all tokens, ending with the EOF token, reproduces the input byte
 * for byte. That is what makes the concrete syntax tree lossless.
 *
 * The token grammar follows protobuf's C++ tokenizer (what Triton uses): identifiers
 * `[A-Za-z_][A-Za-z0-9_]*`; numbers `123`, `0x1F`, `017`, `1.5`, `.5`, `1e-3`, `1.5f`; strings in
 * single or double quotes that may not cross a line; `-` is its own token (a sign).
 */

export type TokenKind = 'ident' | 'int' | 'float' | 'string' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Offset of the first character of `text` (UTF-16 code units). */
  start: number;
  end: number;
  text: string;
  /** Trivia (whitespace and comments) between the previous token and this one, verbatim. */
  pre: string;
}

export interface LexError {
  offset: number;
  end: number;
  message: string;
  code: string;
}

export interface LexResult {
  tokens: Token[];
  /** The first lexical error; tokens stop before it (the last token is then a synthetic EOF). */
  error?: LexError;
}

const enum C {
  TAB = 9,
  LF = 10,
  VT = 11,
  FF = 12,
  CR = 13,
  SPACE = 32,
  DQUOTE = 34,
  HASH = 35,
  SQUOTE = 39,
  PLUS = 43,
  MINUS = 45,
  DOT = 46,
  D0 = 48,
  D7 = 55,
  D9 = 57,
  UA = 65,
  UE = 69,
  UF = 70,
  UX = 88,
  UZ = 90,
  BSLASH = 92,
  UNDERSCORE = 95,
  LA = 97,
  LE = 101,
  /** 'f' */ LF_ = 102,
  LX = 120,
  LZ = 122,
}

/** The UTF-16 code unit at `i`, typed as our char-code enum so comparisons with it are checked. */
function charCode(text: string, i: number): C {
  return text.charCodeAt(i);
}

/** Single-character punctuation tokens of text format. `/` and `.` appear in Any/extension names. */
const PUNCT = new Set(['{', '}', '<', '>', '[', ']', ':', ',', ';', '-', '/', '.']);

function isLetter(c: C): boolean {
  return (c >= C.LA && c <= C.LZ) || (c >= C.UA && c <= C.UZ) || c === C.UNDERSCORE;
}
function isDigit(c: C): boolean {
  return c >= C.D0 && c <= C.D9;
}
function isHex(c: C): boolean {
  return isDigit(c) || (c >= C.LA && c <= C.LF_) || (c >= C.UA && c <= C.UF);
}
function isWhitespace(c: C): boolean {
  return c === C.SPACE || c === C.LF || c === C.TAB || c === C.CR || c === C.VT || c === C.FF;
}

export function tokenize(text: string): LexResult {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let triviaStart = 0;

  const fail = (offset: number, end: number, message: string, code = 'syntax'): LexResult => {
    // Keep the token stream well-formed: a synthetic EOF carrying the rest of the text as trivia,
    // so even a broken document prints back unchanged.
    tokens.push({ kind: 'eof', start: n, end: n, text: '', pre: text.slice(triviaStart) });
    return { tokens, error: { offset, end, message, code } };
  };

  while (true) {
    // Trivia: whitespace and comments.
    while (i < n) {
      const c = charCode(text, i);
      if (isWhitespace(c)) i++;
      else if (c === C.HASH) {
        while (i < n && charCode(text, i) !== C.LF) i++;
      } else break;
    }
    const pre = triviaStart === i ? '' : text.slice(triviaStart, i);
    if (i >= n) {
      tokens.push({ kind: 'eof', start: n, end: n, text: '', pre });
      return { tokens };
    }
    const start = i;
    const c = charCode(text, i);
    let kind: TokenKind;
    if (isLetter(c)) {
      i++;
      while (i < n) {
        const d = charCode(text, i);
        if (isLetter(d) || isDigit(d)) i++;
        else break;
      }
      kind = 'ident';
    } else if (isDigit(c) || (c === C.DOT && i + 1 < n && isDigit(charCode(text, i + 1)))) {
      const r = scanNumber(text, i);
      if (typeof r === 'string') return fail(start, Math.min(n, start + 1), r);
      i = r.end;
      kind = r.float ? 'float' : 'int';
      // "Need space between number and identifier": `12abc`, `1.2.3`.
      if (i < n) {
        const d = charCode(text, i);
        if (isLetter(d) || isDigit(d) || d === C.DOT) {
          return fail(start, i + 1, `Need space between number and identifier: '${text.slice(start, i + 1)}'`);
        }
      }
    } else if (c === C.DQUOTE || c === C.SQUOTE) {
      i++;
      let closed = false;
      while (i < n) {
        const d = charCode(text, i);
        if (d === c) {
          i++;
          closed = true;
          break;
        }
        if (d === C.LF) break;
        if (d === C.BSLASH) {
          i += 2;
          if (i > n) i = n;
          // A backslash right before the newline does not continue the string.
          if (charCode(text, i - 1) === C.LF) {
            i--;
            break;
          }
        } else i++;
      }
      if (!closed) {
        const atLineEnd = i < n;
        return fail(
          start,
          i,
          atLineEnd
            ? 'Unterminated string: string literals cannot cross line boundaries'
            : 'Unterminated string: reached the end of the file',
          'unterminated-string',
        );
      }
      kind = 'string';
    } else {
      const ch = text[i];
      if (!PUNCT.has(ch)) {
        const cp = text.codePointAt(i)!;
        const shown = cp < 32 || cp === 127 ? `\\x${cp.toString(16).padStart(2, '0')}` : String.fromCodePoint(cp);
        return fail(start, start + (cp > 0xffff ? 2 : 1), `Unexpected character '${shown}'`, 'unexpected-character');
      }
      i++;
      kind = 'punct';
    }
    tokens.push({ kind, start, end: i, text: text.slice(start, i), pre });
    triviaStart = i;
  }
}

/** Scans a number starting at `i`; returns its end and whether it is a float, or an error message. */
function scanNumber(text: string, i: number): { end: number; float: boolean } | string {
  const n = text.length;
  const c = charCode(text, i);
  if (c === C.D0 && i + 1 < n) {
    const x = charCode(text, i + 1);
    if (x === C.LX || x === C.UX) {
      let j = i + 2;
      while (j < n && isHex(charCode(text, j))) j++;
      if (j === i + 2) return '"0x" must be followed by hex digits';
      return { end: j, float: false };
    }
    if (isDigit(x)) {
      // Octal; a decimal point or exponent would make it a float (`01.5` is accepted by protobuf).
      let j = i + 1;
      while (j < n && isDigit(charCode(text, j))) j++;
      const next = j < n ? charCode(text, j) : 0;
      if (next !== C.DOT && next !== C.LE && next !== C.UE) {
        for (let k = i + 1; k < j; k++) {
          if (charCode(text, k) > C.D7) return 'Numbers starting with leading zero must be in octal';
        }
        return { end: j, float: false };
      }
    }
  }
  let j = i;
  let float = false;
  while (j < n && isDigit(charCode(text, j))) j++;
  if (j < n && charCode(text, j) === C.DOT) {
    float = true;
    j++;
    while (j < n && isDigit(charCode(text, j))) j++;
  }
  if (j < n && (charCode(text, j) === C.LE || charCode(text, j) === C.UE)) {
    float = true;
    j++;
    if (j < n && (charCode(text, j) === C.MINUS || charCode(text, j) === C.PLUS)) j++;
    const digits = j;
    while (j < n && isDigit(charCode(text, j))) j++;
    if (j === digits) return '"e" must be followed by exponent';
  }
  if (j < n && (charCode(text, j) === C.LF_ || charCode(text, j) === C.UF)) {
    float = true;
    j++;
  }
  return { end: j, float };
}

/** Line starts of a text, for turning offsets into 1-based line:column. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (charCode(text, i) === C.LF) this.starts.push(i + 1);
  }
  /** 1-based line and column (UTF-16 code units) of an offset. */
  position(offset: number): { line: number; column: number } {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - s[lo] + 1 };
  }
  get lineCount(): number {
    return this.starts.length;
  }
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))];
  }
}
