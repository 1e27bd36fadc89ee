/**
 * Client overhead of TritonClient.infer vs the floor: a raw grpc-js unary call of the same
 * ModelInfer (request pre-serialized once, identity serializer and deserializer), against the
 * embedded server and a model that costs the server almost nothing (Reshape/Slice of the input to a
 * LaneATT-sized [1,2784,77] output), so what differs is client work: building and serializing the
 * request, decoding the response into tensors.
 *
 * Inputs 1x3x360x640 FP32 (2,764,800 B) and FP16 (1,382,400 B). Calls alternate between the two
 * clients (warm-up first) so drift hits both equally; the goal is median(ours) <= 1.1 x median(floor).
 * The median of the per-pair ratios is printed too: on a loaded machine (other processes on the two
 * cores) it shows whether a miss is client overhead or scheduling noise.
 */
import * as grpc from '@grpc/grpc-js';
import { startEmbeddedServer } from '../electron/server';
import { TritonClient } from '../electron/triton';
import { MAX_MESSAGE_BYTES } from '../electron/triton/connection';
import { loadTritonRoot } from '../electron/triton/protos';
import { buildInferRequest } from '../electron/triton/client';
import { makeTensor } from '../shared/tensor/codec';
import { makeLaneStubRepo } from '../test/triton-client/helpers/laneStubRepo';

const WARMUP = 30;
const ITERATIONS = Number(process.env['INFER_BENCH_ITERATIONS'] ?? 300);
const GOAL = 1.1;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const repo = makeLaneStubRepo();
const server = await startEmbeddedServer({ modelRepository: repo.dir, loadAll: true });
const ours = new TritonClient({ url: server.url, timeoutMs: 60_000 });
const identity = (b: Buffer) => b;
const raw = new grpc.Client(server.url, grpc.credentials.createInsecure(), {
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
});
const RequestType = loadTritonRoot().lookupType('inference.ModelInferRequest');

function rawCall(bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    raw.makeUnaryRequest('/inference.GRPCInferenceService/ModelInfer', identity, identity, bytes, new grpc.Metadata(), { deadline: Date.now() + 60_000 },
      (err, res) => (err ? reject(err) : resolve(res!)));
  });
}

let failed = false;
try {
  for (const [model, dtype, elementBytes] of [['lane_stub', 'FP32', 4], ['lane_stub_fp16', 'FP16', 2]] as const) {
    const n = 3 * 360 * 640;
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = (i % 251) / 251;
    const input = makeTensor('input', dtype, [1, 3, 360, 640], values);
    const request = { model, inputs: [input] };
    // The floor sends exactly the bytes our client would produce for this request.
    const preSerialized = Buffer.from(RequestType.encode(RequestType.fromObject(buildInferRequest(request))).finish());
    const check = await ours.infer(request);
    const checkRaw = await rawCall(preSerialized);
    if (check.outputs[0]!.data.length !== 2784 * 77 * elementBytes) throw new Error(`unexpected output size ${check.outputs[0]!.data.length}`);

    const tOurs: number[] = [];
    const tRaw: number[] = [];
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      // Alternate which goes first so neither always follows the other's garbage.
      const order = i % 2 === 0 ? ['ours', 'raw'] : ['raw', 'ours'];
      for (const which of order) {
        const t0 = performance.now();
        if (which === 'ours') await ours.infer(request);
        else await rawCall(preSerialized);
        const dt = performance.now() - t0;
        if (i >= WARMUP) (which === 'ours' ? tOurs : tRaw).push(dt);
      }
    }
    const paired = median(tOurs.map((t, k) => t / tRaw[k]!));
    const mOurs = median(tOurs);
    const mRaw = median(tRaw);
    const ratio = mOurs / mRaw;
    const ok = ratio <= GOAL;
    if (!ok) failed = true;
    process.stdout.write(
      `infer ${dtype} 1x3x360x640 (request ${preSerialized.length} B, response ${checkRaw.length} B), ${ITERATIONS} iterations after ${WARMUP} warm-up:\n` +
      `  TritonClient.infer  median ${mOurs.toFixed(3)} ms\n` +
      `  raw grpc-js (floor) median ${mRaw.toFixed(3)} ms\n` +
      `  ratio ${ratio.toFixed(3)} (goal <= ${GOAL}) ${ok ? 'OK' : 'MISSED'}; median of paired ratios ${paired.toFixed(3)}\n`,
    );
  }
} finally {
  ours.close();
  raw.close();
  await server.close();
  repo.cleanup();
}
process.exitCode = failed ? 1 : 0;
