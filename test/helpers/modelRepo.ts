/** Writes one model of a test model repository: `<repo>/<name>/config.pbtxt` and its version folders. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `versions` maps a version folder to the model file's bytes (null: an empty version folder). */
export function writeModel(
  repoDir: string,
  name: string,
  config: string,
  versions: Record<number, Uint8Array | null>,
  filename = 'model.onnx',
): void {
  mkdirSync(join(repoDir, name), { recursive: true });
  writeFileSync(join(repoDir, name, 'config.pbtxt'), config);
  for (const [v, bytes] of Object.entries(versions)) {
    mkdirSync(join(repoDir, name, v), { recursive: true });
    if (bytes) writeFileSync(join(repoDir, name, v, filename), bytes);
  }
}
