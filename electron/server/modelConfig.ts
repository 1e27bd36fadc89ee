/**
 * The server's view of a ModelConfig (proto field names, enums as names, int64 as numbers — the
 * shape shared/pbtxt produces) plus Triton's auto-completion and the load-time validation subset
 * the embedded server enforces (PROTOCOL.md §5, §9). Texts follow Triton's core where known.
 */

export interface TensorConfig {
  name: string;
  data_type?: string;
  dims?: number[];
  reshape?: { shape?: number[] };
  optional?: boolean;
  label_filename?: string;
  is_shape_tensor?: boolean;
  [key: string]: unknown;
}

export interface EnsembleStep {
  model_name?: string;
  model_version?: number;
  input_map?: Record<string, string>;
  output_map?: Record<string, string>;
  [key: string]: unknown;
}

export interface InstanceGroup {
  name?: string;
  count?: number;
  kind?: string;
  gpus?: number[];
  [key: string]: unknown;
}

export interface ServerModelConfig {
  name?: string;
  platform?: string;
  backend?: string;
  max_batch_size?: number;
  version_policy?: { latest?: { num_versions?: number }; all?: object; specific?: { versions?: number[] } };
  input?: TensorConfig[];
  output?: TensorConfig[];
  instance_group?: InstanceGroup[];
  default_model_filename?: string;
  dynamic_batching?: { preferred_batch_size?: number[]; [key: string]: unknown };
  sequence_batching?: { max_sequence_idle_microseconds?: number; [key: string]: unknown };
  ensemble_scheduling?: { step?: EnsembleStep[]; [key: string]: unknown };
  optimization?: {
    input_pinned_memory?: { enable?: boolean };
    output_pinned_memory?: { enable?: boolean };
    [key: string]: unknown;
  };
  model_transaction_policy?: { decoupled?: boolean };
  parameters?: Record<string, { string_value?: string }>;
  [key: string]: unknown;
}

const PLATFORM_TO_BACKEND: Readonly<Record<string, string>> = {
  tensorrt_plan: 'tensorrt',
  onnxruntime_onnx: 'onnxruntime',
  pytorch_libtorch: 'pytorch',
  tensorflow_graphdef: 'tensorflow',
  tensorflow_savedmodel: 'tensorflow',
};

const BACKEND_TO_PLATFORM: Readonly<Record<string, string>> = {
  tensorrt: 'tensorrt_plan',
  onnxruntime: 'onnxruntime_onnx',
  pytorch: 'pytorch_libtorch',
};

/** Default model file per backend/platform, as Triton fills default_model_filename. */
const DEFAULT_FILENAME: Readonly<Record<string, string>> = {
  tensorrt: 'model.plan',
  onnxruntime: 'model.onnx',
  pytorch: 'model.pt',
  python: 'model.py',
  openvino: 'model.xml',
  tensorflow_graphdef: 'model.graphdef',
  tensorflow_savedmodel: 'model.savedmodel',
};

/** Model file names that identify a backend when the config names none (Triton's autofill probe). */
const FILE_TO_BACKEND: ReadonlyArray<[string, string, string | undefined]> = [
  ['model.plan', 'tensorrt', 'tensorrt_plan'],
  ['model.onnx', 'onnxruntime', 'onnxruntime_onnx'],
  ['model.pt', 'pytorch', 'pytorch_libtorch'],
  ['model.py', 'python', undefined],
  ['model.xml', 'openvino', undefined],
  ['model.graphdef', 'tensorflow', 'tensorflow_graphdef'],
  ['model.savedmodel', 'tensorflow', 'tensorflow_savedmodel'],
];

export class ConfigError extends Error {}

export function isEnsemble(config: ServerModelConfig): boolean {
  return config.platform === 'ensemble';
}

/** ModelMetadata's `platform`: the config's platform, or its backend when platform is empty. */
export function metadataPlatform(config: ServerModelConfig): string {
  return config.platform || config.backend || '';
}

export interface CompletionContext {
  /** The model (directory) name. */
  modelName: string;
  /** File names inside the first (lowest-numbered) version directory, for backend detection. */
  firstVersionFiles: string[];
}

/**
 * Triton's auto-completion and normalization (PROTOCOL.md §5). Returns a new object; throws
 * ConfigError with Triton's text when the configuration cannot be normalized.
 */
export function completeModelConfig(raw: ServerModelConfig, ctx: CompletionContext): ServerModelConfig {
  const config: ServerModelConfig = structuredClone(raw);
  const model = ctx.modelName;
  if (!config.name) config.name = model;
  config.platform ??= '';
  config.backend ??= '';

  if (config.platform === 'ensemble') {
    if (config.backend)
      throw new ConfigError(`Ensemble model '${model}' must have platform type 'ensemble' and empty backend type`);
  } else {
    if (config.platform && config.backend) {
      const derived = PLATFORM_TO_BACKEND[config.platform];
      if (derived !== config.backend) {
        throw new ConfigError(`unexpected 'platform' and 'backend' pair, got:${config.platform}, ${config.backend}`);
      }
    } else if (config.platform) {
      const derived = PLATFORM_TO_BACKEND[config.platform];
      if (!derived) throw new ConfigError(`unexpected platform type '${config.platform}' for ${model}`);
      config.backend = derived;
    } else if (config.backend) {
      config.platform = BACKEND_TO_PLATFORM[config.backend] ?? '';
    } else {
      const hit = FILE_TO_BACKEND.find(([file]) => ctx.firstVersionFiles.includes(file));
      if (hit) {
        config.backend = hit[1];
        config.platform = hit[2] ?? '';
      } else {
        const dot = model.indexOf('.');
        if (dot < 0) {
          throw new ConfigError(
            `Invalid model name: Could not determine backend for model '${model}' with no backend in model configuration. Expected model name of the form 'model.<backend_name>'.`,
          );
        }
        config.backend = model.slice(dot + 1);
      }
    }
  }

  config.version_policy ??= { latest: { num_versions: 1 } };
  config.max_batch_size ??= 0;
  config.input ??= [];
  config.output ??= [];

  if (config.platform === 'ensemble') {
    const decoupled = false; // refined by the manager once the composing models are known
    config.model_transaction_policy = { decoupled: config.model_transaction_policy?.decoupled ?? decoupled };
  } else {
    if (!config.default_model_filename) {
      const key = config.backend === 'tensorflow' ? (config.platform ?? '') : (config.backend ?? '');
      const filename = DEFAULT_FILENAME[key];
      if (filename) config.default_model_filename = filename;
    }
    config.instance_group = completeInstanceGroups(config, model);
    config.optimization ??= {};
    config.optimization.input_pinned_memory ??= { enable: true };
    config.optimization.output_pinned_memory ??= { enable: true };
  }
  if (config.dynamic_batching) {
    const pbs = config.dynamic_batching.preferred_batch_size ?? [];
    if (pbs.length === 0 && (config.max_batch_size ?? 0) > 0) {
      config.dynamic_batching.preferred_batch_size = [config.max_batch_size];
    }
  }
  if (config.sequence_batching) {
    config.sequence_batching.max_sequence_idle_microseconds ||= 1_000_000;
  }
  validateModelConfig(config, model);
  return config;
}

/**
 * instance_group defaults: one group named after the model when absent; unnamed groups become
 * `<model>_<index>`; KIND_AUTO resolves to KIND_CPU (this server has no GPUs); count defaults to 1,
 * 2 for KIND_CPU on onnxruntime/tensorflow.
 */
function completeInstanceGroups(config: ServerModelConfig, model: string): InstanceGroup[] {
  const groups: InstanceGroup[] = config.instance_group?.length ? config.instance_group : [{ name: model }];
  return groups.map((group, index) => {
    const out: InstanceGroup = { ...group };
    if (!out.name) out.name = `${model}_${index}`;
    if (!out.kind || out.kind === 'KIND_AUTO') out.kind = 'KIND_CPU';
    if (!out.count) {
      out.count =
        out.kind === 'KIND_CPU' && (config.backend === 'onnxruntime' || config.backend === 'tensorflow') ? 2 : 1;
    }
    return out;
  });
}

/** Structural checks Triton's ValidateModelConfig makes that matter for serving. */
export function validateModelConfig(config: ServerModelConfig, model: string): void {
  const mbs = config.max_batch_size ?? 0;
  if (mbs < 0) throw new ConfigError(`'max_batch_size' must be non-negative value for ${model}`);
  for (const [kind, list] of [
    ['input', config.input ?? []],
    ['output', config.output ?? []],
  ] as const) {
    const seen = new Set<string>();
    for (const t of list) {
      if (!t.name) throw new ConfigError(`model ${kind} must specify 'name' for ${model}`);
      if (seen.has(t.name)) throw new ConfigError(`model ${kind} '${t.name}' is specified more than once for ${model}`);
      seen.add(t.name);
      if (!t.data_type || t.data_type === 'TYPE_INVALID')
        throw new ConfigError(`model ${kind} '${t.name}' must specify 'data_type'`);
      for (const d of t.dims ?? []) {
        if (d < 1 && d !== -1) {
          throw new ConfigError(
            `model ${kind} '${t.name}' dimension must be integer >= 1, or -1 to indicate a variable-size dimension for ${model}`,
          );
        }
      }
    }
  }
  const pbs = config.dynamic_batching?.preferred_batch_size ?? [];
  // Also with max_batch_size 0: Triton refuses any preferred size then (it cannot exceed 0).
  for (const size of pbs) {
    if (size <= 0) throw new ConfigError(`dynamic batching preferred size must be positive for ${model}`);
    if (size > mbs) throw new ConfigError(`dynamic batching preferred size must be <= max batch size for ${model}`);
  }
  if (config.platform === 'ensemble') validateEnsembleStructure(config, model);
  else if (config.ensemble_scheduling) {
    throw new ConfigError(`ensemble scheduling cannot be set for model '${model}' whose platform is not ensemble`);
  }
}

/** The ensemble checks that need no other model (core ensemble_utils / model_config_utils texts). */
function validateEnsembleStructure(config: ServerModelConfig, model: string): void {
  if (!config.ensemble_scheduling) {
    throw new ConfigError(`ensemble scheduling must be set for ensemble ${model} whose platform is ensemble`);
  }
  if (config.instance_group && config.instance_group.length > 0) {
    throw new ConfigError(`instance group should not be specified for ensemble '${model}'`);
  }
  const steps = config.ensemble_scheduling.step ?? [];
  if (steps.length === 0) throw new ConfigError(`must specify 'step' for ensemble '${model}'`);
  const inputs = new Set((config.input ?? []).map((t) => t.name));
  const outputs = new Set((config.output ?? []).map((t) => t.name));
  const producedBy = new Map<string, number>();
  const consumed = new Set<string>();
  steps.forEach((step, i) => {
    const n = i + 1;
    if (!step.model_name) throw new ConfigError(`must specify 'model_name' in step ${n} of ensemble '${model}'`);
    if (!step.input_map || Object.keys(step.input_map).length === 0) {
      throw new ConfigError(`must specify 'input_map' in step ${n} of ensemble '${model}'`);
    }
    if (!step.output_map || Object.keys(step.output_map).length === 0) {
      throw new ConfigError(`must specify 'output_map' in step ${n} of ensemble '${model}'`);
    }
    for (const tensor of Object.values(step.input_map)) consumed.add(tensor);
    for (const tensor of Object.values(step.output_map)) {
      if (producedBy.has(tensor)) {
        throw new ConfigError(
          `ensemble tensor '${tensor}' can appear in an output map only once for ensemble '${model}'`,
        );
      }
      producedBy.set(tensor, n);
    }
  });
  for (const name of inputs) {
    if (!consumed.has(name)) throw new ConfigError(`ensemble input '${name}' for ensemble ${model}' is not used`);
  }
  for (const name of outputs) {
    if (!producedBy.has(name)) throw new ConfigError(`ensemble output '${name}' for ensemble ${model}' is not used`);
  }
  for (const tensor of consumed) {
    if (!inputs.has(tensor) && !producedBy.has(tensor)) {
      throw new ConfigError(`ensemble tensor '${tensor}' is unused in ensemble '${model}'`);
    }
  }
}
