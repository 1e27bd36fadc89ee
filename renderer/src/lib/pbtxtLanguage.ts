/**
 * Syntax highlighting for protobuf text format (config.pbtxt) as a CodeMirror StreamLanguage:
 * field names, ENUM_VALUES, numbers, strings, comments, brackets. Highlighting only; the real
 * parser (shared/pbtxt) provides the diagnostics.
 */
import { StreamLanguage, HighlightStyle, syntaxHighlighting, type StreamParser } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

interface State {
  /** The last identifier was followed by ':' or '{' (so the next ident is a value). */
  expectValue: boolean;
}

const parser: StreamParser<State> = {
  name: 'pbtxt',
  startState: () => ({ expectValue: false }),
  token(stream, state) {
    if (stream.eatSpace()) return null;
    if (stream.match('#')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/) || stream.match(/^'(?:[^'\\]|\\.)*'?/)) {
      state.expectValue = false;
      return 'string';
    }
    if (stream.match(/^-?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fF]?|inf(?:inity)?|nan)\b/i)) {
      state.expectValue = false;
      return 'number';
    }
    if (stream.match(/^[A-Za-z_][\w.]*/)) {
      const word = stream.current();
      if (state.expectValue) {
        state.expectValue = false;
        if (word === 'true' || word === 'false' || word === 'True' || word === 'False') return 'bool';
        return 'atom';
      }
      // A field name unless it is clearly a value (upper-case enum in a list).
      if (/^[A-Z][A-Z0-9_]+$/.test(word)) return 'atom';
      return 'propertyName';
    }
    const ch = stream.next();
    if (ch === ':') {
      state.expectValue = true;
      return 'punctuation';
    }
    if (ch === '{' || ch === '}' || ch === '[' || ch === ']' || ch === '<' || ch === '>') {
      state.expectValue = false;
      return 'bracket';
    }
    if (ch === ',' || ch === ';') return 'punctuation';
    return null;
  },
  languageData: { commentTokens: { line: '#' } },
};

export const pbtxtLanguage = StreamLanguage.define(parser);

export const pbtxtHighlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: t.propertyName, class: 'tok-field' },
    { tag: t.atom, class: 'tok-enum' },
    { tag: t.number, class: 'tok-number' },
    { tag: t.string, class: 'tok-string' },
    { tag: t.comment, class: 'tok-comment' },
    { tag: t.bool, class: 'tok-bool' },
    { tag: [t.bracket, t.punctuation], class: 'tok-bracket' },
  ]),
);
