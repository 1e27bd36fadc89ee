/** Text/position helpers between shared/pbtxt diagnostics (1-based line:col) and CodeMirror offsets. */
import type { EditorState } from '@codemirror/state';
import type { Diagnostic as CmDiagnostic } from '@codemirror/lint';
import type { Diagnostic } from '../../../shared/diagnostic';

export function offsetOf(doc: EditorState['doc'], line: number, column: number): number {
  const l = doc.line(Math.max(1, Math.min(doc.lines, line)));
  return Math.min(l.to, l.from + Math.max(0, column - 1));
}

export function toCmDiagnostics(state: EditorState, diags: readonly Diagnostic[]): CmDiagnostic[] {
  return diags.map((d) => {
    const from = offsetOf(state.doc, d.line, d.column);
    let to = d.endLine !== undefined && d.endColumn !== undefined ? offsetOf(state.doc, d.endLine, d.endColumn) : from;
    if (to <= from) {
      // Underline the token at the position (or one character) so the squiggle is visible.
      const line = state.doc.lineAt(from);
      const rest = line.text.slice(from - line.from);
      const m = /^[\w."'-]+/.exec(rest);
      to = Math.min(line.to, from + (m ? m[0].length : 1));
      if (to === from && from > line.from)
        return { from: from - 1, to: from, severity: d.severity, message: d.message, source: d.code };
    }
    return { from, to, severity: d.severity, message: d.message, source: d.code };
  });
}

/** The smallest single replacement turning `a` into `b` (keeps cursor/selection stable around it). */
export function minimalChange(a: string, b: string): { from: number; to: number; insert: string } {
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  return { from: start, to: endA, insert: b.slice(start, endB) };
}
