/** Writes test model repositories: one model (`writeModel`), or a large one (`writeScaleRepository`). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnnxModel } from '../../scripts/onnx/builder';

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

export interface ScaleRepository {
  /** Every model, in name order: `${prefix}_0000`, `${prefix}_0001`, … */
  names: string[];
  /** The models whose file onnxruntime cannot read: loading them fails with its reason. */
  failing: string[];
}

/**
 * A repository of `count` small models, as a deployment with many models looks to the app: each an
 * FP32[4] identity ONNX model with its config.pbtxt, except those at the `failing` indices, whose
 * model.onnx is not an ONNX file (a load fails with onnxruntime's reason).
 */
export function writeScaleRepository(
  repoDir: string,
  opts: { count: number; failing?: number[]; prefix?: string },
): ScaleRepository {
  const prefix = opts.prefix ?? 'model';
  const identity = buildOnnxModel({
    inputs: [{ name: 'X', elemType: 'float', shape: [4] }],
    outputs: [{ name: 'Y', elemType: 'float', shape: [4] }],
    nodes: [{ op: 'Identity', inputs: ['X'], outputs: ['Y'] }],
  });
  const broken = new TextEncoder().encode('not an onnx model');
  const failingIdx = new Set(opts.failing ?? []);
  const names: string[] = [];
  const failing: string[] = [];
  for (let i = 0; i < opts.count; i++) {
    const name = `${prefix}_${String(i).padStart(4, '0')}`;
    names.push(name);
    if (failingIdx.has(i)) failing.push(name);
    writeModel(
      repoDir,
      name,
      `name: "${name}"
backend: "onnxruntime"
max_batch_size: 0
input [ { name: "X" data_type: TYPE_FP32 dims: [ 4 ] } ]
output [ { name: "Y" data_type: TYPE_FP32 dims: [ 4 ] } ]
`,
      { 1: failingIdx.has(i) ? broken : identity },
    );
  }
  return { names, failing };
}
