/**
 * Real fixtures for the app tests: a temporary model repository with a tiny real ONNX model
 * (scripts/onnx builder), a model the embedded server cannot run (reported UNAVAILABLE), demo
 * media, a secret file OUTSIDE the repository and symlinks pointing at it (for confinement tests),
 * and the services wired to the real TritonClient and the real embedded server.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/tempDir';
import { buildOnnxModel } from '../../scripts/onnx/builder';
import { createServices, type Services } from '../../electron/services';

export const SCALE_CONFIG = `name: "scale2"
backend: "onnxruntime"
max_batch_size: 0
input [ { name: "INPUT" data_type: TYPE_FP32 dims: [ 2, 3 ] } ]
output [ { name: "OUTPUT" data_type: TYPE_FP32 dims: [ 2, 3 ] } ]
`;

export const PLAN_CONFIG = `name: "trt_only"
platform: "tensorrt_plan"
max_batch_size: 1
input [ { name: "input" data_type: TYPE_FP32 dims: [ 3, 4, 4 ] } ]
output [ { name: "out" data_type: TYPE_FP32 dims: [ 10 ] } ]
`;

export interface Fixture {
  dir: string;
  repo: string;
  media: string;
  configDir: string;
  secret: string;
  cleanup(): void;
}

export function makeFixture(): Fixture {
  const { dir, cleanup } = makeTempDir('tritonscope-app-');
  const repo = join(dir, 'repo');
  const media = join(dir, 'media');
  const configDir = join(dir, 'config');
  mkdirSync(join(repo, 'scale2/1'), { recursive: true });
  mkdirSync(join(repo, 'trt_only/1'), { recursive: true });
  mkdirSync(media);
  writeFileSync(join(repo, 'scale2/config.pbtxt'), SCALE_CONFIG);
  writeFileSync(
    join(repo, 'scale2/1/model.onnx'),
    buildOnnxModel({
      inputs: [{ name: 'INPUT', elemType: 'float', shape: [2, 3] }],
      outputs: [{ name: 'OUTPUT', elemType: 'float', shape: [2, 3] }],
      nodes: [{ op: 'Mul', inputs: ['INPUT', 'k'], outputs: ['OUTPUT'] }],
      initializers: [{ name: 'k', elemType: 'float', dims: [1], data: [2] }],
    }),
  );
  writeFileSync(join(repo, 'trt_only/config.pbtxt'), PLAN_CONFIG);
  writeFileSync(join(repo, 'trt_only/1/model.plan'), 'not a real engine');
  writeFileSync(join(media, 'frame.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  // the generator writes video/ and scenes/ sub-folders; deeper ones are not listed
  mkdirSync(join(media, 'video/deeper'), { recursive: true });
  writeFileSync(join(media, 'video/road.webm'), Buffer.from('1a45dfa3', 'hex'));
  writeFileSync(join(media, 'video/deeper/hidden.webm'), Buffer.from('1a45dfa3', 'hex'));
  const secret = join(dir, 'secret.txt');
  writeFileSync(secret, 'outside the repository');
  // escapes: a file symlink and a directory symlink pointing outside the repository
  symlinkSync(secret, join(repo, 'scale2/leak.txt'));
  symlinkSync(dir, join(repo, 'scale2/1/up'));
  return { dir, repo, media, configDir, secret, cleanup };
}

export async function makeServices(
  fx: Fixture,
  mode: 'electron' | 'browser' = 'browser',
  extra: { poll?: boolean } = {},
): Promise<Services> {
  return createServices({
    mode,
    configDir: fx.configDir,
    demoRepoDir: fx.repo,
    demoMediaDir: fx.media,
    poll: extra.poll ?? false,
  });
}

export const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);
/** Float32 values of little-endian bytes at any offset (a view into a gRPC receive buffer may be unaligned). */
export const readF32 = (b: Uint8Array) => Array.from(new Float32Array(Uint8Array.from(b).buffer));
