/**
 * Semantic checks of a ModelConfig: the mistakes Triton users trip on, found before Triton does.
 *
 * Errors are what Triton itself rejects when it loads the model (wording follows Triton's where it
 * has one, so a search finds the same issue); warnings are legal configs that very likely do not
 * do what the author meant (e.g. dims that already include the batch dimension). Each diagnostic
 * points at the field concerned when a SourceMap is given, else at 1:1 with a `path`.
 */
import type { Diagnostic } from '../diagnostic';
import type {
  ModelConfig,
  ModelDynamicBatching,
  ModelInput,
  ModelOutput,
  ModelQueuePolicy,
} from '../triton/modelConfigSchema';
import type { ElementSource, SourceMap } from './bind';
import { unknownEnumValues } from './validateEnums';

/** Triton's platform -> backend pairs (GetBackendTypeFromPlatform). */
export const PLATFORM_BACKENDS: Record<string, string> = {
  tensorrt_plan: 'tensorrt',
  onnxruntime_onnx: 'onnxruntime',
  pytorch_libtorch: 'pytorch',
  tensorflow_graphdef: 'tensorflow',
  tensorflow_savedmodel: 'tensorflow',
};

export interface ValidateOptions {
  sources?: SourceMap;
  file?: string;
}

type Tensor = ModelInput | ModelOutput;

export function validateModelConfig(config: ModelConfig, options: ValidateOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { sources, file } = options;
  const lines = sources?.doc.lines;
  const model = config.name ?? '';
  const mbs = config.max_batch_size ?? 0;

  /** Reports at the first location that exists among `where` ([object, field, index?] triples). */
  function report(
    severity: 'error' | 'warning',
    code: string,
    message: string,
    path: string,
    where: [object | undefined, string, (number | string)?][],
    part: 'field' | 'value' = 'field',
  ): void {
    let el: ElementSource | undefined;
    for (const [obj, field, index] of where) {
      el = sources?.find(obj, field, index);
      if (el) break;
    }
    const d: Diagnostic = { severity, code, message, file, line: 1, column: 1, path };
    if (el && lines) {
      // For repeated elements point at the element; for singular fields, at `name: value`.
      const single = el.field.value === el.node;
      const start = part === 'value' || !single ? el.node.start : el.field.start;
      const a = lines.position(start);
      const b = lines.position(el.node.end);
      Object.assign(d, { line: a.line, column: a.column, endLine: b.line, endColumn: b.column });
    }
    out.push(d);
  }

  // ---- name, max_batch_size -------------------------------------------------------------------
  if (config.name === '') {
    report(
      'warning',
      'empty-name',
      "'name' is empty: Triton uses the model directory name, and a non-empty name must equal it",
      'name',
      [[config, 'name']],
    );
  }
  if (mbs < 0) {
    report(
      'error',
      'max-batch-size',
      `'max_batch_size' must be non-negative value for ${model || 'this model'} (got ${mbs})`,
      'max_batch_size',
      [[config, 'max_batch_size']],
    );
  }

  // ---- inputs and outputs ---------------------------------------------------------------------
  const checkTensors = (field: 'input' | 'output', label: string) => {
    const list = (config[field] ?? []) as Tensor[];
    const seen = new Map<string, number>();
    list.forEach((t, i) => {
      const path = `${field}[${i}]`;
      const at = (f: string, idx?: number): [object | undefined, string, (number | string)?][] => [
        [t, f, idx],
        [config, field, i],
      ];
      const what = `model ${label} '${t.name ?? ''}'`;
      if (!t.name) {
        report('error', 'tensor-name', `model ${label} must specify 'name'`, `${path}.name`, at('name'));
      } else if (seen.has(t.name)) {
        report(
          'error',
          'duplicate-tensor',
          `${label} '${t.name}' is specified more than once (also ${field}[${seen.get(t.name)}])`,
          `${path}.name`,
          at('name'),
        );
      } else seen.set(t.name, i);
      if (!t.data_type || t.data_type === 'TYPE_INVALID') {
        report(
          'warning',
          'missing-data-type',
          `${what} has no 'data_type': Triton rejects it unless the backend auto-completes the configuration from the model file`,
          path,
          at('data_type'),
        );
      }
      const dims = t.dims ?? [];
      if (!dims.length && !t.reshape) {
        report(
          'warning',
          'missing-dims',
          `${what} has no 'dims': Triton rejects it unless the backend auto-completes the configuration from the model file (use dims: [ 1 ] for a scalar per batch item)`,
          path,
          at('dims'),
        );
      }
      dims.forEach((d, k) => {
        if (d < 1 && d !== -1) {
          report(
            'error',
            'bad-dim',
            `${what} dimension must be integer >= 1, or -1 to indicate a variable-size dimension (dims[${k}] is ${d})`,
            `${path}.dims[${k}]`,
            at('dims', k),
          );
        }
      });
      const full = mbs > 0 ? [-1, ...dims] : dims;
      if (mbs > 0 && dims.length >= 4 && (dims[0] === 1 || dims[0] === -1)) {
        report(
          'warning',
          'dims-vs-batch',
          `${what}: max_batch_size is ${mbs}, so Triton prepends the batch dimension and the full shape is ${shape(full)}; dims ${shape(dims)} look like they already include the batch dimension (drop the leading ${dims[0]}, or set max_batch_size: 0)`,
          `${path}.dims`,
          at('dims', 0),
        );
      }
      if ('format' in t && t.format && t.format !== 'FORMAT_NONE' && dims.length !== 3) {
        report(
          'error',
          'format-dims',
          `${what} has format ${t.format}, which requires exactly 3 dims (without the batch dimension), but dims are ${shape(dims)}${mbs > 0 ? ` (full shape ${shape(full)})` : ''}`,
          `${path}.format`,
          [
            [t, 'format'],
            [config, field, i],
          ],
        );
      }
      if (t.reshape) {
        const rs = t.reshape.shape ?? [];
        const rat = (idx?: number): [object | undefined, string, (number | string)?][] => [
          [t.reshape, 'shape', idx],
          [t, 'reshape'],
          [config, field, i],
        ];
        if (!rs.length && mbs === 0) {
          report(
            'error',
            'reshape-empty',
            `${what} cannot have empty reshape for non-batching model as scalar tensors are not supported`,
            `${path}.reshape`,
            rat(),
          );
        }
        let badDim = false;
        rs.forEach((d, k) => {
          if (d < 1 && d !== -1) {
            badDim = true;
            report(
              'error',
              'bad-dim',
              `${what} reshape dimensions must be integer >= 1, or -1 to indicate a variable-size dimension (shape[${k}] is ${d})`,
              `${path}.reshape.shape[${k}]`,
              rat(k),
            );
          }
        });
        if (!badDim) {
          const problem = reshapeProblem(dims, rs);
          if (problem)
            report(
              'error',
              'reshape-mismatch',
              `${what} ${problem}: dims ${shape(dims)} vs reshape ${shape(rs)}`,
              `${path}.reshape`,
              rat(),
            );
        }
      }
    });
  };
  checkTensors('input', 'input');
  checkTensors('output', 'output');

  // ---- platform / backend ---------------------------------------------------------------------
  const platform = config.platform ?? '';
  const backend = config.backend ?? '';
  const isEnsemble = platform === 'ensemble';
  if (isEnsemble) {
    if (backend) {
      report(
        'error',
        'platform-backend',
        `Ensemble model '${model}' must have platform type 'ensemble' and empty backend type`,
        'backend',
        [[config, 'backend']],
      );
    }
    if (!config.ensemble_scheduling) {
      report(
        'error',
        'ensemble-scheduling',
        `ensemble scheduling must be set for ensemble ${model} whose platform is ensemble`,
        'platform',
        [[config, 'platform']],
      );
    }
    for (const f of ['instance_group', 'optimization', 'model_warmup'] as const) {
      if (config[f] === undefined || (Array.isArray(config[f]) && !(config[f] as unknown[]).length)) continue;
      const text = f === 'instance_group' ? 'instance group' : f;
      report(
        'error',
        `ensemble-${f.replace(/_/g, '-')}`,
        `${text} ${f === 'model_warmup' ? 'can not' : 'should not'} be specified for ensemble '${model}'`,
        f,
        [
          [config, f, 0],
          [config, f],
        ],
      );
    }
  } else {
    if (platform && backend) {
      const expected = PLATFORM_BACKENDS[platform];
      if (expected !== backend) {
        report(
          'error',
          'platform-backend',
          `unexpected 'platform' and 'backend' pair, got:${platform}, ${backend}${expected ? ` (platform ${platform} runs on backend '${expected}')` : ` (known platforms: ${Object.keys(PLATFORM_BACKENDS).join(', ')}, ensemble)`}`,
          'backend',
          [[config, 'backend']],
        );
      }
    } else if (platform && !(platform in PLATFORM_BACKENDS)) {
      const backends = new Set(Object.values(PLATFORM_BACKENDS));
      const hint = backends.has(platform)
        ? ` ('${platform}' is a backend: write backend: "${platform}", or platform: "${Object.keys(PLATFORM_BACKENDS).find((p) => PLATFORM_BACKENDS[p] === platform)}")`
        : ` (known platforms: ${Object.keys(PLATFORM_BACKENDS).join(', ')}, ensemble; custom backends are selected with 'backend')`;
      report(
        'error',
        'unknown-platform',
        `unexpected platform type '${platform}' for ${model || 'this model'}${hint}`,
        'platform',
        [[config, 'platform']],
      );
    }
    if (config.ensemble_scheduling) {
      report(
        'error',
        'ensemble-scheduling',
        `ensemble scheduling cannot be set for model '${model}' whose platform is not ensemble`,
        'ensemble_scheduling',
        [[config, 'ensemble_scheduling']],
      );
    }
  }

  // ---- instance groups ------------------------------------------------------------------------
  (config.instance_group ?? []).forEach((g, i) => {
    const path = `instance_group[${i}]`;
    const gname = g.name || `${model}_${i}`;
    const at = (f: string, idx?: number): [object | undefined, string, (number | string)?][] => [
      [g, f, idx],
      [config, 'instance_group', i],
    ];
    if ((g.count ?? 0) < 0) {
      report(
        'error',
        'instance-count',
        `instance group ${gname} of model ${model} must have count >= 1 (got ${g.count}; 0 or omitted means 1)`,
        `${path}.count`,
        at('count'),
      );
    }
    const gpus = g.gpus ?? [];
    if ((g.kind === 'KIND_CPU' || g.kind === 'KIND_MODEL') && gpus.length) {
      report(
        'error',
        'instance-kind-gpus',
        `instance group ${gname} of model ${model} has kind ${g.kind} but specifies one or more GPUs`,
        `${path}.gpus`,
        at('gpus', 0),
      );
    }
    const seenGpu = new Set<number>();
    gpus.forEach((id, k) => {
      if (id < 0) {
        report(
          'error',
          'instance-gpu',
          `instance group ${gname} of model ${model} specifies invalid or unsupported gpu id ${id}`,
          `${path}.gpus[${k}]`,
          at('gpus', k),
        );
      } else if (seenGpu.has(id)) {
        report(
          'warning',
          'instance-gpu',
          `instance group ${gname} of model ${model} lists gpu ${id} more than once`,
          `${path}.gpus[${k}]`,
          at('gpus', k),
        );
      }
      seenGpu.add(id);
    });
  });

  // ---- batching -------------------------------------------------------------------------------
  const preferred = (sizes: number[] | undefined, owner: object, path: string, what: string) => {
    (sizes ?? []).forEach((s, k) => {
      if (s <= 0) {
        report(
          'error',
          'preferred-batch-size',
          `${what} preferred size must be positive for ${model} (preferred_batch_size[${k}] is ${s})`,
          `${path}.preferred_batch_size[${k}]`,
          [[owner, 'preferred_batch_size', k]],
        );
      } else if (s > mbs) {
        report(
          'error',
          'preferred-batch-size',
          `${what} preferred size must be <= max batch size for ${model} (preferred_batch_size ${s} > max_batch_size ${mbs})`,
          `${path}.preferred_batch_size[${k}]`,
          [[owner, 'preferred_batch_size', k]],
        );
      }
    });
  };
  const db = config.dynamic_batching;
  if (db) {
    if (mbs === 0) {
      report(
        'warning',
        'batching-disabled',
        `dynamic_batching has no effect: max_batch_size is 0, so the model does not support batching`,
        'dynamic_batching',
        [[config, 'dynamic_batching']],
      );
    }
    preferred(db.preferred_batch_size, db, 'dynamic_batching', 'dynamic batching');
    checkPriorities(db);
  }
  const oldest = config.sequence_batching?.oldest;
  if (oldest) preferred(oldest.preferred_batch_size, oldest, 'sequence_batching.oldest', 'sequence batching');

  function checkPriorities(db: ModelDynamicBatching) {
    const levels = db.priority_levels ?? 0;
    if (levels !== 0) {
      const def = db.default_priority_level ?? 0;
      if (def === 0 || def > levels) {
        report(
          'error',
          'priority-level',
          `default priority level must be in range [1, ${levels}] for ${model} (got ${def})`,
          'dynamic_batching.default_priority_level',
          [
            [db, 'default_priority_level'],
            [db, 'priority_levels'],
          ],
        );
      }
      for (const key of Object.keys(db.priority_queue_policy ?? {})) {
        const k = Number(key);
        if (k === 0 || k > levels) {
          report(
            'error',
            'priority-level',
            `priority queue policy must have priority level in range [1, ${levels}] for ${model} (got ${key})`,
            `dynamic_batching.priority_queue_policy[${JSON.stringify(key)}]`,
            [[db, 'priority_queue_policy', key]],
          );
        }
      }
    }
    if (db.preserve_ordering) {
      if (levels > 1) {
        report(
          'error',
          'preserve-ordering',
          `Only one priority level is allowed when 'preserve_ordering' is true for ${model}`,
          'dynamic_batching.priority_levels',
          [
            [db, 'priority_levels'],
            [db, 'preserve_ordering'],
          ],
        );
      }
      const policies: [ModelQueuePolicy | undefined, [object | undefined, string, (number | string)?][], string][] = [
        [
          db.default_queue_policy,
          [
            [db.default_queue_policy, 'timeout_action'],
            [db, 'default_queue_policy'],
          ],
          'dynamic_batching.default_queue_policy',
        ],
        ...Object.entries(db.priority_queue_policy ?? {}).map(
          ([k, p]) =>
            [
              p,
              [
                [p, 'timeout_action'],
                [db, 'priority_queue_policy', k],
              ],
              `dynamic_batching.priority_queue_policy[${JSON.stringify(k)}]`,
            ] as [ModelQueuePolicy, [object | undefined, string, (number | string)?][], string],
        ),
      ];
      for (const [p, where, path] of policies) {
        if (p?.timeout_action === 'DELAY') {
          report(
            'error',
            'preserve-ordering',
            `Queue policy can not have DELAY as timeout action when 'preserve_ordering' is true for ${model}`,
            `${path}.timeout_action`,
            where,
          );
        }
      }
    }
  }

  // ---- ensembles ------------------------------------------------------------------------------
  const ens = config.ensemble_scheduling;
  if (ens && isEnsemble) validateEnsemble();

  function validateEnsemble() {
    const steps = ens!.step ?? [];
    if (!steps.length) {
      report('error', 'ensemble-step', `must specify 'step' for ensemble '${model}'`, 'ensemble_scheduling', [
        [config, 'ensemble_scheduling'],
      ]);
      return;
    }
    const inputs = new Set((config.input ?? []).map((t) => t.name ?? ''));
    const outputs = new Set((config.output ?? []).map((t) => t.name ?? ''));
    const producedBy = new Map<string, number>();
    const consumed = new Set<string>();
    steps.forEach((s, i) => {
      const at: [object | undefined, string, (number | string)?][] = [[ens, 'step', i]];
      const path = `ensemble_scheduling.step[${i}]`;
      if (!s.model_name)
        report('error', 'ensemble-step', `must specify 'model_name' in step ${i} of ensemble '${model}'`, path, at);
      if (!s.input_map || !Object.keys(s.input_map).length)
        report('error', 'ensemble-step', `must specify 'input_map' in step ${i} of ensemble '${model}'`, path, at);
      if (!s.output_map || !Object.keys(s.output_map).length)
        report('error', 'ensemble-step', `must specify 'output_map' in step ${i} of ensemble '${model}'`, path, at);
      for (const [key, tensor] of Object.entries(s.output_map ?? {})) {
        if (producedBy.has(tensor)) {
          const who =
            producedBy.get(tensor) === i
              ? `step ${i} writes it from more than one output`
              : `steps ${producedBy.get(tensor)} and ${i} both write it`;
          report(
            'error',
            'ensemble-tensor',
            `ensemble tensor '${tensor}' can appear in an output map only once for ensemble '${model}' (${who})`,
            `${path}.output_map[${JSON.stringify(key)}]`,
            [[s, 'output_map', key], ...at],
          );
        } else producedBy.set(tensor, i);
        if (inputs.has(tensor)) {
          report(
            'error',
            'ensemble-tensor',
            `step ${i} of ensemble '${model}' writes '${tensor}', which is an ensemble input`,
            `${path}.output_map[${JSON.stringify(key)}]`,
            [[s, 'output_map', key], ...at],
          );
        }
      }
    });
    steps.forEach((s, i) => {
      const path = `ensemble_scheduling.step[${i}]`;
      for (const [key, tensor] of Object.entries(s.input_map ?? {})) {
        consumed.add(tensor);
        if (!inputs.has(tensor) && !producedBy.has(tensor)) {
          report(
            'error',
            'ensemble-unknown-tensor',
            `step ${i} (model '${s.model_name ?? ''}') maps its input '${key}' from ensemble tensor '${tensor}', which is neither an input of ensemble '${model}' nor written by any step's output_map`,
            `${path}.input_map[${JSON.stringify(key)}]`,
            [
              [s, 'input_map', key],
              [ens, 'step', i],
            ],
          );
        }
      }
    });
    (config.input ?? []).forEach((t, i) => {
      if (t.name && !consumed.has(t.name)) {
        report(
          'error',
          'ensemble-unused-input',
          `ensemble input '${t.name}' for ensemble ${model} is not used by any step's input_map`,
          `input[${i}]`,
          [[config, 'input', i]],
        );
      }
    });
    (config.output ?? []).forEach((t, i) => {
      if (t.name && !producedBy.has(t.name)) {
        report(
          'error',
          'ensemble-unwritten-output',
          `output '${t.name}' for ensemble '${model}' is not written by any step's output_map`,
          `output[${i}]`,
          [[config, 'output', i]],
        );
      }
    });
    for (const [tensor, i] of producedBy) {
      if (!consumed.has(tensor) && !outputs.has(tensor)) {
        const s = steps[i];
        const key = Object.entries(s.output_map ?? {}).find(([, v]) => v === tensor)?.[0];
        report(
          'error',
          'ensemble-unused-tensor',
          `ensemble tensor '${tensor}' is unused in ensemble '${model}': step ${i} writes it but no step reads it and it is not an ensemble output`,
          `ensemble_scheduling.step[${i}].output_map`,
          [
            [s, 'output_map', key],
            [ens, 'step', i],
          ],
        );
      }
    }
  }

  // ---- version policy -------------------------------------------------------------------------
  const vp = config.version_policy;
  if (vp?.latest && (vp.latest.num_versions ?? 0) === 0) {
    report(
      'error',
      'version-policy',
      `version_policy latest { num_versions: 0 } selects no version, so the model never loads (use num_versions >= 1)`,
      'version_policy.latest.num_versions',
      [
        [vp.latest, 'num_versions'],
        [vp, 'latest'],
      ],
    );
  }
  if (vp?.specific) {
    const versions = vp.specific.versions ?? [];
    if (!versions.length) {
      report(
        'error',
        'version-policy',
        `version_policy specific { } lists no versions, so the model never loads`,
        'version_policy.specific',
        [[vp, 'specific']],
      );
    }
    const seen = new Set<number>();
    versions.forEach((v, k) => {
      const at: [object | undefined, string, (number | string)?][] = [[vp.specific, 'versions', k]];
      if (v <= 0)
        report(
          'warning',
          'version-policy',
          `version ${v} can never exist: version directories are positive integers (1, 2, ...)`,
          `version_policy.specific.versions[${k}]`,
          at,
        );
      else if (seen.has(v))
        report(
          'warning',
          'version-policy',
          `version ${v} is listed more than once`,
          `version_policy.specific.versions[${k}]`,
          at,
        );
      seen.add(v);
    });
  }

  // ---- batch inputs / outputs, metrics -------------------------------------------------------
  (config.batch_input ?? []).forEach((b, i) => {
    const n = (b.source_input ?? []).length;
    if (n !== 1) {
      report(
        'error',
        'batch-input',
        `batch input kind '${b.kind ?? 'BATCH_ELEMENT_COUNT'}' expects 1 source input, got ${n}`,
        `batch_input[${i}].source_input`,
        [
          [b, 'source_input', 0],
          [config, 'batch_input', i],
        ],
      );
    }
  });
  (config.batch_output ?? []).forEach((b, i) => {
    const n = (b.source_input ?? []).length;
    if (n !== 1) {
      report(
        'error',
        'batch-output',
        `batch output kind '${b.kind ?? 'BATCH_SCATTER_WITH_INPUT_SHAPE'}' expects 1 source input, got ${n}`,
        `batch_output[${i}].source_input`,
        [
          [b, 'source_input', 0],
          [config, 'batch_output', i],
        ],
      );
    }
  });
  (config.model_metrics?.metric_control ?? []).forEach((m, i) => {
    const at: [object | undefined, string, (number | string)?][] = [[config.model_metrics, 'metric_control', i]];
    const path = `model_metrics.metric_control[${i}]`;
    if (!m.metric_identifier)
      report('error', 'model-metrics', `metric control must specify 'metric_identifier'`, path, at);
    else if (!m.metric_identifier.family)
      report(
        'error',
        'model-metrics',
        `metric identifier must specify non-empty 'family'`,
        `${path}.metric_identifier`,
        [[m, 'metric_identifier'], ...at],
      );
    if (!m.histogram_options)
      report('error', 'model-metrics', `metric control must specify 'histogram_options'`, path, at);
    else if (!(m.histogram_options.buckets ?? []).length)
      report(
        'error',
        'model-metrics',
        `histogram options must specify non-empty 'buckets'`,
        `${path}.histogram_options`,
        [[m, 'histogram_options'], ...at],
      );
  });

  out.push(...unknownEnumValues(config, sources, file));
  return out;
}

/** `[-1,3,360,640]`, the way Triton prints shapes. */
export function shape(dims: number[]): string {
  return `[${dims.join(',')}]`;
}

/**
 * Triton's dims/reshape compatibility rule: equal element counts, or (with -1s) the same number of
 * variable-size dimensions and equal element counts of the fixed runs between them. An empty
 * reshape is allowed for dims of one element.
 */
function reshapeProblem(dims: number[], reshape: number[]): string | undefined {
  // Triton's GetElementCount: -1 with any wildcard, 0 for an empty shape.
  const count = (s: number[]) => (s.some((d) => d === -1) ? -1 : s.length ? s.reduce((a, b) => a * b, 1) : 0);
  const dc = count(dims);
  const rc = count(reshape);
  if (dc !== rc && (rc !== 0 || dc !== 1)) return 'has different size for dims and reshape';
  if (dc === -1) {
    const runs = (s: number[]) => {
      const r: number[] = [];
      let acc = 1;
      for (const d of s) {
        if (d === -1) {
          r.push(acc);
          acc = 1;
        } else acc *= Math.abs(d);
      }
      r.push(acc);
      return r;
    };
    const a = runs(dims);
    const b = runs(reshape);
    if (a.length !== b.length) return 'has different number of variable-size dimensions for dims and reshape';
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return 'has different size for dims and reshape';
  }
  return undefined;
}
