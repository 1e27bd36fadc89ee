/**
 * Infer over HTTP/REST with binary tensor data beside gRPC, in one run, against the same embedded
 * server (`tritonscope serve --port 0 --http-port 0` in a child process, so neither client shares
 * the server's event loop) and the same model: a 1x3x360x640 FP16 frame (1,382,400 B) into a
 * LaneATT-sized stub ([1,2784,77] FP16 out, 428,736 B), which costs the server almost nothing, so
 * what differs is the protocol: HTTP/1.1 with a JSON header and the binary extension vs gRPC's
 * protobuf over HTTP/2. Both clients send an input from allocateInput (no copy of the frame on
 * the client). Calls alternate (which protocol goes first rotates) so drift hits both alike.
 *
 * Goal: HTTP <= 1.5 x gRPC, for both the ratio of medians and the median of per-pair ratios.
 */
import { HttpTritonClient, TritonClient } from '../electron/triton';
import { makeTensor } from '../shared/tensor/codec';
import { makeLaneStubRepo } from '../test/triton-client/helpers/laneStubRepo';
import { serveInChild } from './refClient';
import { median } from './stats';

const WARMUP = 30;
const ITERATIONS = Number(process.env['INFER_HTTP_BENCH_ITERATIONS'] ?? 200);
const GOAL = 1.5;
const SHAPE = [1, 3, 360, 640];

const repo = makeLaneStubRepo();
const child = await serveInChild(repo.dir, { http: true });
if (!child.httpUrl) throw new Error('tritonscope serve did not report its HTTP/REST port');
const grpc = new TritonClient({ url: child.url, timeoutMs: 60_000 });
const http = new HttpTritonClient({ url: child.httpUrl, timeoutMs: 60_000 });

let failed = false;
try {
  const n = 3 * 360 * 640;
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = (i % 251) / 251;
  const plain = makeTensor('input', 'FP16', SHAPE, values);
  const grpcInput = grpc.allocateInput('input', 'FP16', SHAPE);
  grpcInput.data.set(plain.data);
  const httpInput = http.allocateInput('input', 'FP16', SHAPE);
  httpInput.data.set(plain.data);
  const grpcRequest = { model: 'lane_stub_fp16', inputs: [grpcInput] };
  const httpRequest = { model: 'lane_stub_fp16', inputs: [httpInput] };

  // Same answer both ways, byte for byte.
  const a = await grpc.infer(grpcRequest);
  const b = await http.infer(httpRequest);
  if (Buffer.compare(Buffer.from(a.outputs[0].data), Buffer.from(b.outputs[0].data)) !== 0)
    throw new Error('gRPC and HTTP returned different output bytes');
  if (b.outputs[0].data.byteLength !== 2784 * 77 * 2)
    throw new Error(`unexpected output size ${b.outputs[0].data.byteLength}`);

  const tGrpc: number[] = [];
  const tHttp: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    for (const which of i % 2 ? (['grpc', 'http'] as const) : (['http', 'grpc'] as const)) {
      const t0 = performance.now();
      if (which === 'grpc') await grpc.infer(grpcRequest);
      else await http.infer(httpRequest);
      const dt = performance.now() - t0;
      if (i >= WARMUP) (which === 'grpc' ? tGrpc : tHttp).push(dt);
    }
  }
  const mGrpc = median(tGrpc);
  const mHttp = median(tHttp);
  const ratio = mHttp / mGrpc;
  const paired = median(tHttp.map((t, k) => t / tGrpc[k]));
  const ok = ratio <= GOAL && paired <= GOAL;
  if (!ok) failed = true;
  process.stdout.write(
    `infer FP16 1x3x360x640 (input ${plain.data.byteLength} B, output ${b.outputs[0].data.byteLength} B), server in its own process, ${ITERATIONS} iterations after ${WARMUP} warm-up:\n` +
      `  gRPC  TritonClient.infer      median ${mGrpc.toFixed(3)} ms\n` +
      `  HTTP  HttpTritonClient.infer  median ${mHttp.toFixed(3)} ms (binary tensor data)\n` +
      `  HTTP/gRPC: ratio of medians ${ratio.toFixed(3)}, median of paired ratios ${paired.toFixed(3)} (goal: both <= ${GOAL}) ${ok ? 'OK' : 'MISSED'}\n`,
  );
} finally {
  grpc.close();
  http.close();
  await child.stop();
  repo.cleanup();
}
process.exitCode = failed ? 1 : 0;
