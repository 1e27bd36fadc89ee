/**
 * Runs `onnxruntime` / `onnxruntime_onnx` model versions with onnxruntime-node on CPU. Loading
 * checks the model's inputs/outputs against the configuration the way Triton's ORT backend does;
 * running converts protocol tensors to ORT tensors (FP16 travels as Uint16Array, BOOL as
 * Uint8Array, BYTES as strings) and back. `session.run` is asynchronous, so the event loop stays
 * free while a model computes.
 */
import ort from 'onnxruntime-node';
import { configToWire, ortToWire, wireElementSize, wireToOrt } from '../dtypes';
import { invalidArg, internal, TritonServerError } from '../tritonError';
import type { ServerModelConfig, TensorConfig } from '../modelConfig';
import type { ExecutionResult, VersionRunner, WireTensor } from './types';
import { checkOnnxIo, type OnnxIoInfo } from './onnxConfigCheck';

type OrtTensor = InstanceType<typeof ort.Tensor>;

export async function loadOnnxRunner(modelFile: string, config: ServerModelConfig): Promise<VersionRunner> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelFile, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      // ORT's intra-op threads spin-wait after each parallel section by default, burning a core
      // between runs. The embedded server shares a small machine with the app's own processes and
      // its other models: on 2 cores, spinning sessions slowed whatever ran next to them (the lane
      // models' bench: FP32 median 13-19 ms next to a spinning session, 8.3-9.8 ms without).
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  } catch (err) {
    // ORT's own words ("Load model from <file> failed: ..."), as Triton's ORT backend reports them.
    throw internal(`onnx runtime error: ${(err as Error).message.trimEnd()}`);
  }
  try {
    checkAgainstConfig(session, config);
  } catch (err) {
    await session.release().catch(() => {});
    throw err;
  }
  return new OnnxRunner(session, config);
}

function checkAgainstConfig(session: ort.InferenceSession, config: ServerModelConfig): void {
  const infos = (list: readonly ort.InferenceSession.ValueMetadata[]): OnnxIoInfo[] =>
    list.map((m) => ({
      name: m.name,
      isTensor: m.isTensor,
      type: m.isTensor ? m.type : '',
      shape: m.isTensor ? m.shape : [],
    }));
  checkOnnxIo(config, infos(session.inputMetadata), infos(session.outputMetadata));
}

class OnnxRunner implements VersionRunner {
  private readonly inputConfig: Map<string, TensorConfig>;
  private readonly outputConfig: Map<string, TensorConfig>;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly config: ServerModelConfig,
  ) {
    this.inputConfig = new Map((config.input ?? []).map((t) => [t.name, t]));
    this.outputConfig = new Map((config.output ?? []).map((t) => [t.name, t]));
  }

  async execute(inputs: WireTensor[], outputNames: string[]): Promise<ExecutionResult> {
    const mbs = this.config.max_batch_size ?? 0;
    const t0 = process.hrtime.bigint();
    const feeds: Record<string, OrtTensor> = {};
    let batch = 1;
    for (const input of inputs) {
      const cfg = this.inputConfig.get(input.name);
      let shape = input.shape;
      if (mbs > 0) batch = input.shape[0] ?? 1;
      if (cfg?.reshape) shape = mbs > 0 ? [batch, ...(cfg.reshape.shape ?? [])] : [...(cfg.reshape.shape ?? [])];
      feeds[input.name] = toOrtTensor(input, shape);
    }
    const t1 = process.hrtime.bigint();
    let results: Record<string, OrtTensor>;
    try {
      results = await this.session.run(feeds, outputNames);
    } catch (err) {
      throw internal(`onnx runtime error: ${(err as Error).message}`);
    }
    const t2 = process.hrtime.bigint();
    const outputs: WireTensor[] = outputNames.map((name) => {
      const tensor = results[name];
      if (!tensor) throw internal(`onnx runtime did not produce output '${name}'`);
      const cfg = this.outputConfig.get(name);
      let shape = tensor.dims.map(Number);
      // With `reshape`, clients see the configured dims, not the backend's shape.
      if (cfg?.reshape && cfg.dims && !cfg.dims.includes(-1)) shape = mbs > 0 ? [batch, ...cfg.dims] : [...cfg.dims];
      return fromOrtTensor(name, tensor, shape, configToWire(cfg?.data_type));
    });
    const t3 = process.hrtime.bigint();
    return {
      outputs,
      timings: {
        computeInputNs: Number(t1 - t0),
        computeInferNs: Number(t2 - t1),
        computeOutputNs: Number(t3 - t2),
      },
    };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** A typed-array view over `data`, copying only when the bytes are not suitably aligned. */
function view<T>(data: Buffer, size: number, make: (buf: ArrayBuffer, offset: number, length: number) => T): T {
  const length = data.byteLength / size;
  if (data.byteOffset % size === 0) return make(data.buffer as ArrayBuffer, data.byteOffset, length);
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return make(copy.buffer, 0, length);
}

function toOrtTensor(input: WireTensor, shape: number[]): OrtTensor {
  const type = wireToOrt(input.datatype);
  if (!type)
    throw invalidArg(
      `the embedded server cannot pass ${input.datatype} tensors to onnxruntime (input '${input.name}')`,
    );
  const d = input.data;
  switch (type) {
    case 'float32':
      return new ort.Tensor(
        'float32',
        view(d, 4, (b, o, l) => new Float32Array(b, o, l)),
        shape,
      );
    case 'float64':
      return new ort.Tensor(
        'float64',
        view(d, 8, (b, o, l) => new Float64Array(b, o, l)),
        shape,
      );
    case 'float16':
      return new ort.Tensor(
        'float16',
        view(d, 2, (b, o, l) => new Uint16Array(b, o, l)),
        shape,
      );
    case 'int8':
      return new ort.Tensor('int8', new Int8Array(d.buffer, d.byteOffset, d.byteLength), shape);
    case 'uint8':
      return new ort.Tensor('uint8', new Uint8Array(d.buffer, d.byteOffset, d.byteLength), shape);
    case 'bool':
      return new ort.Tensor('bool', new Uint8Array(d.buffer, d.byteOffset, d.byteLength), shape);
    case 'int16':
      return new ort.Tensor(
        'int16',
        view(d, 2, (b, o, l) => new Int16Array(b, o, l)),
        shape,
      );
    case 'uint16':
      return new ort.Tensor(
        'uint16',
        view(d, 2, (b, o, l) => new Uint16Array(b, o, l)),
        shape,
      );
    case 'int32':
      return new ort.Tensor(
        'int32',
        view(d, 4, (b, o, l) => new Int32Array(b, o, l)),
        shape,
      );
    case 'uint32':
      return new ort.Tensor(
        'uint32',
        view(d, 4, (b, o, l) => new Uint32Array(b, o, l)),
        shape,
      );
    case 'int64':
      return new ort.Tensor(
        'int64',
        view(d, 8, (b, o, l) => new BigInt64Array(b, o, l)),
        shape,
      );
    case 'uint64':
      return new ort.Tensor(
        'uint64',
        view(d, 8, (b, o, l) => new BigUint64Array(b, o, l)),
        shape,
      );
    case 'string':
      return new ort.Tensor('string', decodeBytesTensor(d, input.name), shape);
    default:
      throw invalidArg(`unsupported datatype ${input.datatype} for input '${input.name}'`);
  }
}

function fromOrtTensor(name: string, tensor: OrtTensor, shape: number[], configWire: string): WireTensor {
  const datatype = ortToWire(tensor.type) ?? configWire;
  if (tensor.type === 'string') {
    return { name, datatype: 'BYTES', shape, data: encodeBytesTensor(tensor.data as string[]) };
  }
  const data = tensor.data as ArrayBufferView;
  const size = wireElementSize(datatype);
  if (size === undefined)
    throw new TritonServerError('INTERNAL', `unsupported output datatype ${tensor.type} for '${name}'`);
  return { name, datatype, shape, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
}

// ignoreBOM keeps a leading U+FEFF as data (the default would drop it: not byte-exact).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * BYTES wire format (per element a uint32 LE length then the bytes) to the JS strings
 * onnxruntime-node takes for string tensors. Triton's ORT backend hands each element to ORT as a
 * NUL-terminated C string, so an element ends at its first NUL byte here too. Other bytes reach
 * ORT unchanged in Triton; a JS string can carry them unchanged only when they are UTF-8, so an
 * element that is not is refused rather than altered (U+FFFD replacement would be silent).
 */
export function decodeBytesTensor(data: Buffer, inputName = ''): string[] {
  const out: string[] = [];
  let offset = 0;
  while (offset + 4 <= data.byteLength) {
    const len = data.readUInt32LE(offset);
    offset += 4;
    let bytes = data.subarray(offset, offset + len);
    const nul = bytes.indexOf(0);
    if (nul >= 0) bytes = bytes.subarray(0, nul);
    try {
      out.push(strictUtf8.decode(bytes));
    } catch {
      throw invalidArg(
        `element ${out.length} of input '${inputName}' is not valid UTF-8: onnxruntime-node passes string tensors as JavaScript strings, so the embedded server can give ONNX string tensors only UTF-8 BYTES elements (Triton passes other bytes through unchanged)`,
      );
    }
    offset += len;
  }
  return out;
}

export function encodeBytesTensor(items: ReadonlyArray<string | Uint8Array>): Buffer {
  const parts: Buffer[] = [];
  for (const item of items) {
    const bytes = typeof item === 'string' ? Buffer.from(item, 'utf8') : Buffer.from(item);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(bytes.byteLength, 0);
    parts.push(len, bytes);
  }
  return Buffer.concat(parts);
}
