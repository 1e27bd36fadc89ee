/**
 * What to offer at a cursor in config.pbtxt, from the ModelConfig schema
 * (shared/triton/modelConfigSchema): inside a message, its field names; after `field:` of an enum
 * field (or inside its `[ … ]` list), the enum's value names; for a bool, true/false. The text
 * before the cursor is scanned once (strings and comments skipped) to know which message the
 * cursor is in. Pure and editor-independent; CodeEditor adapts it to @codemirror/autocomplete.
 */
import { ENUMS, MESSAGES, ROOT_MESSAGE, type FieldDescriptor } from '../../../shared/pbtxt';

export interface CompletionItem {
  label: string;
  kind: 'field' | 'enum' | 'bool';
  /** e.g. 'DataType', 'repeated ModelInput', 'int64'. */
  detail: string;
  /** Text to insert (a message field gets ` { }`-less `name`, a scalar `name: `). */
  apply: string;
}

export interface CompletionAt {
  /** Offset where the word being completed starts. */
  from: number;
  items: CompletionItem[];
}

/** A message frame: its descriptor name, or a map entry (`key` / `value` of the map's value type). */
interface Frame {
  message: string | null;
  mapValue?: FieldDescriptor;
  /** The last field name seen in this frame (its value may follow). */
  field: FieldDescriptor | null;
  /** Inside `field: [ … ]` or `field [ … ]`. */
  inList: boolean;
}

const MAP_FIELDS = (f: FieldDescriptor): FieldDescriptor[] => [
  { name: 'key', jsonName: 'key', number: 1, type: f.map!.keyType, label: 'optional' },
  { ...f, name: 'value', jsonName: 'value', number: 2, label: 'optional', map: undefined },
];

function fieldsOf(frame: Frame): FieldDescriptor[] {
  if (frame.mapValue) return MAP_FIELDS(frame.mapValue);
  return frame.message ? (MESSAGES[frame.message]?.fields ?? []) : [];
}

function shortType(f: FieldDescriptor): string {
  const t = f.type === 'message' || f.type === 'enum' ? (f.typeName ?? f.type).replace(/^inference\./, '') : f.type;
  return f.map ? `map<${f.map.keyType}, ${t}>` : f.label === 'repeated' ? `repeated ${t}` : t;
}

type Token = { t: 'ident' | 'punct' | 'value'; text: string; end: number };

/** Tokens of `text` (up to its end), comments dropped, strings and numbers as opaque values. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s+|#[^\n]*|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|[A-Za-z_][\w.]*|-?[\d.][\w.+-]*|./g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const s = m[0];
    if (/^\s/.test(s) || s.startsWith('#')) continue;
    const end = m.index + s.length;
    if (/^[A-Za-z_]/.test(s)) out.push({ t: 'ident', text: s, end });
    else if (/^["'\d.-]/.test(s)) out.push({ t: 'value', text: s, end });
    else out.push({ t: 'punct', text: s, end });
  }
  return out;
}

/** The frames open at the end of `before` and whether a value (not a field name) comes next. */
function scan(before: string): { stack: Frame[]; expectValue: boolean } {
  const stack: Frame[] = [{ message: ROOT_MESSAGE, field: null, inList: false }];
  let expectValue = false;
  for (const tok of tokenize(before)) {
    const top = stack[stack.length - 1];
    if (tok.t === 'ident') {
      if (expectValue || top.inList) {
        expectValue = false; // an enum or bool value
      } else {
        top.field = fieldsOf(top).find((f) => f.name === tok.text) ?? null;
      }
      continue;
    }
    if (tok.t === 'value') {
      expectValue = false;
      continue;
    }
    switch (tok.text) {
      case ':':
        expectValue = true;
        break;
      case '[':
        top.inList = true;
        expectValue = false;
        break;
      case ']':
        top.inList = false;
        break;
      case '{':
      case '<': {
        const f = top.field;
        expectValue = false;
        if (f?.map) stack.push({ message: null, mapValue: f, field: null, inList: false });
        else stack.push({ message: f?.type === 'message' ? (f.typeName ?? null) : null, field: null, inList: false });
        break;
      }
      case '}':
      case '>':
        if (stack.length > 1) stack.pop();
        expectValue = false;
        break;
      default: // ',' ';'
        if (!top.inList) expectValue = false;
    }
  }
  return { stack, expectValue };
}

function valueItems(f: FieldDescriptor | null): CompletionItem[] {
  if (!f) return [];
  if (f.type === 'enum' && f.typeName) {
    const short = f.typeName.replace(/^inference\./, '');
    return (ENUMS[f.typeName]?.values ?? []).map((v) => ({
      label: v.name,
      kind: 'enum',
      detail: short,
      apply: v.name,
    }));
  }
  if (f.type === 'bool')
    return ['true', 'false'].map((b) => ({ label: b, kind: 'bool' as const, detail: 'bool', apply: b }));
  return [];
}

export function completionsAt(text: string, pos: number): CompletionAt | null {
  const before = text.slice(0, pos);
  const word = /[A-Za-z_][\w]*$/.exec(before);
  const from = word ? pos - word[0].length : pos;
  // No completion inside a comment or a string.
  const line = before.slice(before.lastIndexOf('\n') + 1);
  if (/#/.test(line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ''))) return null;
  if (((line.match(/"/g)?.length ?? 0) - (line.match(/\\"/g)?.length ?? 0)) % 2 === 1) return null;
  const { stack, expectValue } = scan(text.slice(0, from));
  const top = stack[stack.length - 1];
  if (expectValue || top.inList) {
    const items = valueItems(top.field);
    return items.length ? { from, items } : null;
  }
  const fields = fieldsOf(top);
  if (!fields.length) return null;
  return {
    from,
    items: fields.map((f) => ({
      label: f.name,
      kind: 'field',
      detail: shortType(f),
      apply: f.type === 'message' || f.map ? f.name : `${f.name}: `,
    })),
  };
}
