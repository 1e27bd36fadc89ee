/** What a model version looks like to the scheduler, whatever runs it. */

/** A tensor in protocol form: datatype string, full shape (incl. batch dim), raw little-endian bytes. */
export interface WireTensor {
  name: string;
  datatype: string;
  shape: number[];
  data: Buffer;
}

export interface ComputeTimings {
  computeInputNs: number;
  computeInferNs: number;
  computeOutputNs: number;
}

export interface ExecutionResult {
  outputs: WireTensor[];
  timings: ComputeTimings;
}

export interface VersionRunner {
  /** Runs one (already validated) request; `outputNames` are the outputs to produce. */
  execute(inputs: WireTensor[], outputNames: string[]): Promise<ExecutionResult>;
  close(): Promise<void>;
  /**
   * Called once if the runner dies by itself after loading (its worker thread crashed or exited),
   * so that the version stops being listed READY; not called for a close.
   */
  onDead?: (reason: string) => void;
}
