/**
 * Bounded error texts and Triton's codes for invalid shapes (issue 11): a 100,000-character model
 * name must not push the error text past gRPC's metadata limit (the client would see
 * RESOURCE_EXHAUSTED instead of Triton's answer), and negative dimensions other than the wildcard
 * are INVALID_ARGUMENT before execution, in Triton's words, instead of ONNX Runtime's INTERNAL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { TritonClient, TritonError } from '../../electron/triton';
import { bytesTensor, f32, identityModel, makeRepository, type Repo } from './fixtures';

let repo: Repo;
let server: EmbeddedServer;
let client: TritonClient;

before(async () => {
  repo = makeRepository();
  mkdirSync(join(repo.dir, 'matrix', '1'), { recursive: true });
  writeFileSync(
    join(repo.dir, 'matrix', 'config.pbtxt'),
    'name: "matrix"\nbackend: "onnxruntime"\ninput [ { name: "X" data_type: TYPE_FP32 dims: [ -1, -1 ] } ]\noutput [ { name: "Y" data_type: TYPE_FP32 dims: [ -1, -1 ] } ]\n',
  );
  writeFileSync(join(repo.dir, 'matrix', '1', 'model.onnx'), identityModel('float', ['a', 'b']));
  server = await startEmbeddedServer({
    modelRepository: repo.dir,
    controlMode: 'explicit',
    loadModels: ['matrix', 'strings'],
  });
  client = new TritonClient({ url: server.url });
});
after(async () => {
  client?.close();
  await server?.close();
  repo?.cleanup();
});

const MAX_DETAILS_BYTES = 2048 + 64;

async function failure(p: Promise<unknown>): Promise<TritonError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof TritonError, `expected a TritonError, got ${String(err)}`);
  return err;
}

test('a 100,000-character model name gets Triton’s answer, with a bounded text', async () => {
  const name = 'm'.repeat(100_000);
  const infer = await failure(
    client.infer({ model: name, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 1], data: f32([1]) }] }),
  );
  assert.equal(infer.code, 'NOT_FOUND', infer.details.slice(0, 200));
  assert.ok(infer.details.startsWith("Request for unknown model: 'mmm"), infer.details.slice(0, 80));
  assert.ok(Buffer.byteLength(infer.details) <= MAX_DETAILS_BYTES, `details are ${infer.details.length} chars`);
  assert.match(infer.details, /characters omitted/);

  const wide = '模'.repeat(50_000); // 3 UTF-8 bytes each, 9 characters each once percent-encoded
  const load = await failure(client.loadModel(wide));
  assert.equal(load.code, 'INTERNAL');
  assert.ok(Buffer.byteLength(load.details) <= MAX_DETAILS_BYTES);
  const meta = await failure(client.modelMetadata(wide));
  assert.equal(meta.code, 'NOT_FOUND');
  assert.equal(await client.serverLive(), true);
});

/** A plain grpc-js stub: TritonClient itself refuses negative dims before sending. */
async function rawInfer(req: object): Promise<{ code: number; details: string }> {
  const grpc = await import('@grpc/grpc-js');
  const { loadTritonPackageDefinition } = await import('../../electron/triton');

  const pkg = grpc.loadPackageDefinition(loadTritonPackageDefinition()) as any;
  const stub = new pkg.inference.GRPCInferenceService(server.url, grpc.credentials.createInsecure());
  try {
    return await new Promise((resolve) =>
      stub.ModelInfer(req, (e: { code: number; details: string } | null) =>
        resolve(e ? { code: e.code, details: e.details } : { code: 0, details: '' }),
      ),
    );
  } finally {
    stub.close();
  }
}

const INVALID_ARGUMENT = 3;

test("negative dimensions are INVALID_ARGUMENT before execution, in Triton's words", async () => {
  const input = (datatype: string, shape: number[]) => ({ name: 'X', datatype, shape });
  const neg = await rawInfer({
    model_name: 'matrix',
    inputs: [input('FP32', [-2, -2])],
    raw_input_contents: [Buffer.from(f32([1, 2, 3, 4]))],
  });
  assert.equal(neg.code, INVALID_ARGUMENT, neg.details);
  assert.equal(neg.details, "tensor 'X' contains an invalid dimension [-2,-2]");
  const str = await rawInfer({
    model_name: 'strings',
    inputs: [input('BYTES', [-2])],
    raw_input_contents: [Buffer.from(bytesTensor(['a', 'b']))],
  });
  // A fixed dimension is compared first, as in Triton.
  assert.equal(str.code, INVALID_ARGUMENT, str.details);
  assert.equal(
    str.details,
    "[request id: <id_unknown>] unexpected shape for input 'X' for model 'strings'. Expected [2], got [-2]. ",
  );
  // The wildcard itself keeps Triton's own message.
  const wild = await rawInfer({
    model_name: 'matrix',
    inputs: [input('FP32', [-1, 2])],
    raw_input_contents: [Buffer.from(f32([1, 2]))],
  });
  assert.equal(wild.code, INVALID_ARGUMENT);
  assert.match(
    wild.details,
    /^\[request id: <id_unknown>\] All input dimensions should be specified for input 'X' for model 'matrix', got \[-1,2\]/,
  );
});
