/**
 * Enum fields holding a number that names no value. proto3 enums are open, so the parser keeps
 * such numbers (as protobuf does), but Triton's validation refuses them (e.g. an unknown
 * data_type), so the semantic checks report each one at its value.
 */
import type { Diagnostic } from '../diagnostic';
import type { SourceMap } from './bind';
import { ROOT_MESSAGE, enumIndex, messageIndex, type FieldDescriptor } from './schema';

type Obj = Record<string, unknown>;

export function unknownEnumValues(
  config: object,
  sources: SourceMap | undefined,
  file: string | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];

  const check = (v: unknown, fd: FieldDescriptor, owner: object, index: number | string | undefined, path: string) => {
    if (fd.type === 'message') {
      if (v && typeof v === 'object') walk(v as Obj, fd.typeName!, path);
      return;
    }
    if (fd.type !== 'enum' || typeof v !== 'number' || enumIndex(fd.typeName!).byNumber.has(v)) return;
    const d: Diagnostic = {
      severity: 'error',
      code: 'unknown-enum-value',
      message: `${path}: ${v} is not a value of ${fd.typeName} (valid: ${enumIndex(fd.typeName!)
        .desc.values.map((x) => `${x.name}=${x.number}`)
        .join(', ')}); Triton refuses the configuration`,
      file,
      line: 1,
      column: 1,
      path,
    };
    const el = sources?.find(owner, fd.name, index);
    if (el) {
      const a = sources!.doc.lines.position(el.node.start);
      const b = sources!.doc.lines.position(el.node.end);
      Object.assign(d, { line: a.line, column: a.column, endLine: b.line, endColumn: b.column });
    }
    out.push(d);
  };

  function walk(obj: Obj, typeName: string, prefix: string): void {
    for (const fd of messageIndex(typeName).desc.fields) {
      const v = obj[fd.name];
      if (v === undefined) continue;
      const path = prefix ? `${prefix}.${fd.name}` : fd.name;
      if (fd.map) {
        for (const [k, ev] of Object.entries(v as Obj)) check(ev, fd, obj, k, `${path}[${JSON.stringify(k)}]`);
      } else if (fd.label === 'repeated') {
        (v as unknown[]).forEach((ev, i) => check(ev, fd, obj, i, `${path}[${i}]`));
      } else check(v, fd, obj, undefined, path);
    }
  }

  walk(config as Obj, ROOT_MESSAGE, '');
  return out;
}
