/**
 * The server's loaded config as pbtxt text, for the editor's "diff vs server" view. Uses
 * shared/pbtxt: the server's JSON -> ModelConfig -> canonical pbtxt when the pbtxt module offers a
 * printer for a config object; otherwise null and the renderer diffs the JSON.
 */
import * as pbtxt from '../../shared/pbtxt';

type Printer = (config: unknown) => string;

export function configToPbtxt(json: Record<string, unknown>): string | null {
  const mod = pbtxt as unknown as Record<string, unknown>;
  const print = (mod.printModelConfig ?? mod.modelConfigToPbtxt ?? mod.formatConfigObject) as Printer | undefined;
  if (typeof print !== 'function') return null;
  try {
    const config = typeof mod.fromProtoJson === 'function' ? (mod.fromProtoJson as (j: unknown) => unknown)(json) : json;
    return print(config);
  } catch {
    return null;
  }
}
