/**
 * The server's loaded config as canonical pbtxt text, for the editor's "diff vs server" view.
 * TritonClient.modelConfig() returns a ModelConfig object (proto field names, enum names), which
 * shared/pbtxt prints canonically. null when the server sent fields our schema does not know
 * (the renderer then diffs the JSON).
 */
import { printModelConfig } from '../../shared/pbtxt';

export function configToPbtxt(config: Record<string, unknown>): string | null {
  try {
    return printModelConfig(config);
  } catch {
    return null;
  }
}
