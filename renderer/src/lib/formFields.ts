/**
 * The config form's fields checked as strictly as the text: a list field must hold integers (the
 * parser's rule), and any value is applied to a copy of the text and validated with the same
 * shared/pbtxt checks as the code view, so "1, 3, 360, x" or a dimension of 0 is INVALID in the form
 * exactly as it would be in the file. Nothing is written until the value passes.
 */
import { analyzeConfig } from './pbtxt';
import { editConfigText, type FieldValue } from './pbtxtEdit';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** "1, 3, 360, 640" or "1 3 360 640" -> numbers; the first token that is not an integer is named. */
export function parseIntegerList(raw: string): Parsed<number[]> {
  const tokens = raw
    .trim()
    .split(/\s*,\s*|\s+/)
    .filter((t) => t !== '');
  const values: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!/^[+-]?\d+$/.test(t)) {
      return {
        ok: false,
        error: `'${t}' (item ${i + 1}) is not an integer; give whole numbers separated by commas`,
      };
    }
    values.push(Number(t));
  }
  return { ok: true, value: values };
}

function atOrBelow(diagPath: string | undefined, path: string): boolean {
  return !!diagPath && (diagPath === path || diagPath.startsWith(`${path}.`) || diagPath.startsWith(`${path}[`));
}

/**
 * The first error the edit would introduce at (or below) `path`, checked on the edited text with
 * the code view's validator; null when the edit is fine.
 */
export function fieldEditProblem(text: string, path: string, value: FieldValue): string | null {
  let next: string;
  try {
    next = editConfigText(text, path, value);
  } catch (e) {
    return (e as Error).message;
  }
  const before = new Set(
    analyzeConfig(text)
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => `${d.path}|${d.message}`),
  );
  const introduced = analyzeConfig(next).diagnostics.find(
    (d) => d.severity === 'error' && atOrBelow(d.path, path) && !before.has(`${d.path}|${d.message}`),
  );
  return introduced ? introduced.message : null;
}

/** A list field: parse, then validate as text. */
export function checkIntegerListField(text: string, path: string, raw: string): Parsed<number[]> {
  const parsed = parseIntegerList(raw);
  if (!parsed.ok) return parsed;
  const problem = fieldEditProblem(text, path, { list: parsed.value });
  return problem ? { ok: false, error: problem } : parsed;
}
