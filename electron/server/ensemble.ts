/**
 * Ensembles: load-time validation against the composing models' configurations (Triton's
 * ensemble_utils texts) and execution of the steps in dependency order, following input_map /
 * output_map (PROTOCOL.md §9 ensemble_scheduling).
 */
import type { ServerModelConfig, TensorConfig } from './modelConfig';
import type { ExecutionResult, VersionRunner, WireTensor } from './backends/types';
import { internal } from './tritonError';

export class EnsembleError extends Error {}

export function ensembleSteps(config: ServerModelConfig) {
  return config.ensemble_scheduling?.step ?? [];
}

/** Composing model names, in step order, without duplicates. */
export function composingModels(config: ServerModelConfig): string[] {
  return [
    ...new Set(
      ensembleSteps(config)
        .map((s) => s.model_name ?? '')
        .filter(Boolean),
    ),
  ];
}

const fullShape = (t: TensorConfig, mbs: number) => (mbs > 0 ? [-1, ...(t.dims ?? [])] : [...(t.dims ?? [])]);
const shapeText = (s: number[]) => `[${s.join(',')}]`;
const compatible = (a: number[], b: number[]) =>
  a.length === b.length && a.every((d, i) => d === -1 || b[i] === -1 || d === b[i]);

/**
 * Checks the ensemble against its composing models' configs. `composing(name)` returns the config
 * of the version the step would use. Throws EnsembleError with Triton's text.
 */
export function validateEnsemble(config: ServerModelConfig, composing: (name: string) => ServerModelConfig): void {
  const e = config.name!;
  const emb = config.max_batch_size ?? 0;
  const seen = new Map<string, { dtype: string; shape: number[]; from: string }>();
  const note = (tensor: string, dtype: string | undefined, shape: number[], from: string) => {
    const prev = seen.get(tensor);
    if (!prev) {
      seen.set(tensor, { dtype: dtype ?? 'TYPE_INVALID', shape, from });
      return;
    }
    if (prev.dtype !== dtype) {
      throw new EnsembleError(
        `in ensemble ${e}, ensemble tensor ${tensor}: inconsistent data type: ${prev.dtype} is inferred from model ${prev.from} while ${dtype} is inferred from model ${from}`,
      );
    }
    if (!compatible(prev.shape, shape)) {
      throw new EnsembleError(
        `in ensemble ${e}, ensemble tensor ${tensor}: inconsistent shape: ${shapeText(prev.shape)} is inferred from model ${prev.from} while ${shapeText(shape)} is inferred from model ${from}`,
      );
    }
  };
  for (const t of config.input ?? []) note(t.name, t.data_type, fullShape(t, emb), e);
  for (const step of ensembleSteps(config)) {
    const name = step.model_name!;
    const c = composing(name);
    const cmb = c.max_batch_size ?? 0;
    if (cmb !== 0 && cmb < emb) {
      throw new EnsembleError(
        `ensemble ${e} allows maximum batch size ${emb}, but it contains model ${name} which only allows maximum batch size to be ${cmb}`,
      );
    }
    const inputMap = step.input_map ?? {};
    const outputMap = step.output_map ?? {};
    for (const [key, tensor] of Object.entries(inputMap)) {
      const input = (c.input ?? []).find((t) => t.name === key);
      if (!input)
        throw new EnsembleError(
          `in ensemble ${e}, ensemble tensor ${tensor} is mapping to non-existing input ${key} in model ${name}`,
        );
      note(tensor, input.data_type, fullShape(input, cmb), name);
    }
    for (const input of c.input ?? []) {
      if (!input.optional && !(input.name in inputMap)) {
        throw new EnsembleError(
          `in ensemble ${e}, input ${input.name} in model ${name} is not mapped to any ensemble tensors`,
        );
      }
    }
    for (const [key, tensor] of Object.entries(outputMap)) {
      const output = (c.output ?? []).find((t) => t.name === key);
      if (!output)
        throw new EnsembleError(
          `in ensemble ${e}, ensemble tensor ${tensor} is mapped from non-existing output ${key} in model ${name}`,
        );
      note(tensor, output.data_type, fullShape(output, cmb), name);
    }
  }
  for (const t of config.output ?? []) note(t.name, t.data_type, fullShape(t, emb), e);
}

/** Executes one composing model (through the normal scheduler, so its statistics count). */
export type ComposingExecutor = (
  model: string,
  version: number,
  inputs: WireTensor[],
  outputs: string[],
) => Promise<ExecutionResult>;

export class EnsembleRunner implements VersionRunner {
  constructor(
    private readonly config: ServerModelConfig,
    private readonly execute_: ComposingExecutor,
  ) {}

  async execute(inputs: WireTensor[], outputNames: string[]): Promise<ExecutionResult> {
    const pool = new Map<string, WireTensor>(inputs.map((t) => [t.name, t]));
    const pending = ensembleSteps(this.config).map((step, index) => ({ step, index }));
    const totals = { computeInputNs: 0, computeInferNs: 0, computeOutputNs: 0 };
    while (pending.length > 0) {
      // All steps whose inputs are available run concurrently; the rest wait for the next round.
      const ready = pending.filter(({ step }) => Object.values(step.input_map ?? {}).every((t) => pool.has(t)));
      if (ready.length === 0) {
        throw internal(`ensemble '${this.config.name}' cannot make progress: no step has all of its inputs`);
      }
      for (const r of ready) pending.splice(pending.indexOf(r), 1);
      const results = await Promise.all(
        ready.map(async ({ step }) => {
          const stepInputs = Object.entries(step.input_map ?? {}).map(([key, tensor]) => ({
            ...pool.get(tensor)!,
            name: key,
          }));
          const outputKeys = Object.keys(step.output_map ?? {});
          const result = await this.execute_(step.model_name!, step.model_version ?? -1, stepInputs, outputKeys);
          return { step, result };
        }),
      );
      for (const { step, result } of results) {
        totals.computeInputNs += result.timings.computeInputNs;
        totals.computeInferNs += result.timings.computeInferNs;
        totals.computeOutputNs += result.timings.computeOutputNs;
        for (const out of result.outputs) {
          const tensor = step.output_map?.[out.name];
          if (tensor) pool.set(tensor, { ...out, name: tensor });
        }
      }
    }
    const outputs = outputNames.map((name) => {
      const t = pool.get(name);
      if (!t) throw internal(`ensemble '${this.config.name}' did not produce output '${name}'`);
      return t;
    });
    return { outputs, timings: totals };
  }

  async close(): Promise<void> {}
}
