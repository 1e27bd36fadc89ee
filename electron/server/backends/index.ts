/**
 * Picks the runner for a model version from its (auto-completed) configuration. Only onnxruntime
 * models run here; every other backend gets a clear UNAVAILABLE reason instead of a fake result.
 */
import { join } from 'node:path';
import { invalidArg, unavailable } from '../tritonError';
import { checkModelFilename } from '../modelPaths';
import type { ServerModelConfig } from '../modelConfig';
import type { VersionRunner } from './types';
import { loadOnnxRunnerInWorker } from './workerRunner';

/** Backends that exist in Triton but that this server cannot execute. */
const KNOWN_TRITON_BACKENDS = new Set([
  'tensorrt',
  'python',
  'pytorch',
  'tensorflow',
  'openvino',
  'fil',
  'dali',
  'vllm',
  'tensorrtllm',
  'identity',
  'repeat',
  'square',
]);

export async function loadVersionRunner(
  config: ServerModelConfig,
  modelDir: string,
  version: number,
): Promise<VersionRunner> {
  const backend = config.backend ?? '';
  const versionDir = join(modelDir, String(version));
  const filename = config.default_model_filename ?? '';
  if (backend === 'onnxruntime') {
    // Checked before any file system access: the same answer whether an outside file exists or not.
    const file = join(versionDir, checkModelFilename(config.name ?? '', filename || 'model.onnx'));
    // In a worker thread: a slow, stuck or failing load never blocks the server's main thread.
    return loadOnnxRunnerInWorker(file, config);
  }
  if (KNOWN_TRITON_BACKENDS.has(backend)) {
    const what = filename ? ` (${filename})` : '';
    throw unavailable(
      `the embedded server cannot run '${backend}' models${what}; connect to a real Triton to run them`,
    );
  }
  throw invalidArg(
    `unable to find backend library for backend '${backend}', try specifying runtime on the model configuration.`,
  );
}
