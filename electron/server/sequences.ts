/**
 * The sequence batcher's checks on each request to a model with `sequence_batching` (Triton's
 * SequenceBatchScheduler::Enqueue and Sequencer::SetupSequenceRequest): batch size 1, a correlation
 * ID (non-zero integer or non-empty string), and START on a sequence's first request. A sequence is
 * in progress from its START until its END, or until it has been idle for
 * max_sequence_idle_microseconds (Triton's reaper releases it then). The embedded server runs
 * the model statelessly; these checks make a client that would fail on Triton fail here too.
 */
import { invalidArg } from './tritonError';
import type { DecodedParam } from './inferRequest';

/** Triton's default for max_sequence_idle_microseconds (model_config_utils.cc). */
const DEFAULT_IDLE_US = 1_000_000;

export class SequenceTracker {
  /** Correlation key -> when its last request came (ms). */
  private readonly inProgress = new Map<string, number>();

  constructor(private readonly idleMicroseconds = DEFAULT_IDLE_US) {}

  check(model: string, parameters: Record<string, DecodedParam>, batchSize: number, now = Date.now()): void {
    if (batchSize > 1) {
      throw invalidArg(
        `inference request to model '${model}' must specify batch-size 1 due to requirements of sequence batcher`,
      );
    }
    const id = correlationId(parameters['sequence_id']);
    if (id === null)
      throw invalidArg(`inference request to model '${model}' must specify a non-zero or non-empty correlation ID`);
    this.forgetIdle(now);
    const start = parameters['sequence_start']?.bool_param === true;
    const end = parameters['sequence_end']?.bool_param === true;
    if (!start && !this.inProgress.has(id.key)) {
      throw invalidArg(
        `inference request for sequence ${id.text} to model '${model}' must specify the START flag on the first request of the sequence`,
      );
    }
    if (end) this.inProgress.delete(id.key);
    else this.inProgress.set(id.key, now);
  }

  private forgetIdle(now: number): void {
    const limitMs = this.idleMicroseconds / 1000;
    for (const [key, seen] of this.inProgress) if (now - seen > limitMs) this.inProgress.delete(key);
  }
}

/** The request's correlation ID as Triton keys it (uint64 or string); null when it has none (0 or ""). */
function correlationId(p: DecodedParam | undefined): { key: string; text: string } | null {
  if (p?.parameter_choice === 'string_param') {
    const text = p.string_param ?? '';
    return text === '' ? null : { key: `s:${text}`, text };
  }
  if (p?.parameter_choice === 'int64_param') {
    const value = BigInt.asUintN(64, BigInt(String(p.int64_param)));
    return value === 0n ? null : { key: `u:${value}`, text: value.toString() };
  }
  return null; // absent (the type of a present one was checked with the request)
}
