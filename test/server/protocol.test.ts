/**
 * Integration: engineer 1's TritonClient against the embedded server over real loopback gRPC,
 * every RPC, success and error paths, with tiny real ONNX models in a temp repository.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync, mkdirSync, renameSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { TritonClient, TritonError } from '../../electron/triton';
import {
  CONFIGS,
  addSubModel,
  bytesTensor,
  decodeBytesTensor,
  f32,
  fp16,
  i32,
  makeRepository,
  readF32,
  type Repo,
} from './fixtures';

let repo: Repo;
let server: EmbeddedServer;
let client: TritonClient;

async function rejects(p: Promise<unknown>, code: string, details: string | RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof TritonError, `expected TritonError, got ${String(err)}`);
    assert.equal(err.code, code, `code for: ${err.details}`);
    if (typeof details === 'string') assert.equal(err.details, details);
    else assert.match(err.details, details);
    return true;
  });
}

const addInputs = (a = [1, 2, 3, 4], b = [10, 20, 30, 40]) => [
  { name: 'A', datatype: 'FP32', shape: [4], data: f32(a) },
  { name: 'B', datatype: 'FP32', shape: [4], data: f32(b) },
];

before(async () => {
  repo = makeRepository();
  server = await startEmbeddedServer({
    modelRepository: repo.dir,
    controlMode: 'explicit',
    loadModels: ['add_sub', 'scaled', 'half', 'ints', 'strings'],
  });
  client = new TritonClient({ url: server.url, timeoutMs: 20_000 });
});

after(async () => {
  client?.close();
  await server?.close();
  repo?.cleanup();
});

describe('health and metadata', () => {
  test('live, ready, health check, server metadata', async () => {
    assert.equal(await client.serverLive(), true);
    assert.equal(await client.serverReady(), true);
    assert.equal(await client.healthCheck(), 'SERVING');
    const md = await client.serverMetadata();
    assert.equal(md.name, 'triton');
    assert.match(md.version, /tritonscope/);
    assert.ok(md.extensions.includes('model_repository(unload_dependents)'));
    // Triton lists every extension whatever the flags (see conformance.test.ts for the full list).
    assert.ok(md.extensions.includes('system_shared_memory'));
  });

  test('model ready: true for loaded, false (not an error) for unknown / unloaded versions', async () => {
    assert.equal(await client.modelReady('add_sub'), true);
    assert.equal(await client.modelReady('add_sub', '1'), true);
    assert.equal(await client.modelReady('add_sub', '1abc'), true, 'std::stol ignores trailing junk');
    assert.equal(await client.modelReady('add_sub', '2'), false);
    assert.equal(await client.modelReady('nope'), false);
    assert.equal(await client.modelReady('pipeline'), false);
    await rejects(
      client.modelReady('add_sub', 'x1'),
      'INVALID_ARGUMENT',
      "failed to get model version from specified version string 'x1' (details: stol), version should be an integral value > 0",
    );
    await rejects(
      client.modelReady('add_sub', '-1'),
      'INVALID_ARGUMENT',
      "invalid model version specified '-1' , version should be an integral value > 0",
    );
  });

  test('model metadata: batch dim -1 prepended, platform/backend rule, versions', async () => {
    const md = await client.modelMetadata('scaled');
    assert.deepEqual(md.versions, ['1', '2']);
    assert.equal(md.platform, 'onnxruntime_onnx');
    assert.deepEqual(md.inputs, [{ name: 'INPUT', datatype: 'FP32', shape: [-1, 3] }]);
    assert.deepEqual(md.outputs, [{ name: 'OUTPUT', datatype: 'FP32', shape: [-1, 3] }]);
    const one = await client.modelMetadata('scaled', '1');
    assert.deepEqual(one.versions, ['1']);
    const add = await client.modelMetadata('add_sub');
    assert.equal(add.platform, 'onnxruntime_onnx', 'platform derived from backend onnxruntime');
    assert.deepEqual(
      add.inputs.map((t) => t.shape),
      [[4], [4]],
    );
    const strings = await client.modelMetadata('strings');
    assert.equal(strings.inputs[0].datatype, 'BYTES');
  });

  test("'Request for unknown model' variants", async () => {
    await rejects(client.modelMetadata('nope'), 'NOT_FOUND', "Request for unknown model: 'nope' is not found");
    await rejects(
      client.modelConfig('add_sub', '7'),
      'NOT_FOUND',
      "Request for unknown model: 'add_sub' version 7 is not found",
    );
    await rejects(
      client.modelMetadata('add_sub', 'abc'),
      'INVALID_ARGUMENT',
      /^failed to get model version from specified version string 'abc'/,
    );
  });
});

describe('model configuration', () => {
  test('auto-completed config', async () => {
    const c = (await client.modelConfig('add_sub')) as Record<string, any>;
    assert.equal(c.name, 'add_sub');
    assert.equal(c.backend, 'onnxruntime');
    assert.equal(c.platform, 'onnxruntime_onnx');
    assert.deepEqual(c.version_policy, { latest: { num_versions: 1 } });
    assert.equal(c.default_model_filename, 'model.onnx');
    assert.deepEqual(c.instance_group, [{ name: 'add_sub', count: 2, kind: 'KIND_CPU' }]);
    assert.deepEqual(c.optimization?.input_pinned_memory, { enable: true });
    assert.deepEqual(c.optimization?.output_pinned_memory, { enable: true });
    const s = (await client.modelConfig('scaled')) as Record<string, any>;
    assert.deepEqual(s.dynamic_batching?.preferred_batch_size, [8]);
    assert.deepEqual(s.version_policy, { all: {} });
    const h = (await client.modelConfig('half')) as Record<string, any>;
    assert.deepEqual(h.instance_group, [{ name: 'half_0', count: 1, kind: 'KIND_CPU' }]);
  });
});

describe('inference', () => {
  test('add/sub, outputs in request order, version echoed', async () => {
    const r = await client.infer({ model: 'add_sub', id: 'r1', inputs: addInputs() });
    assert.equal(r.model, 'add_sub');
    assert.equal(r.version, '1');
    assert.equal(r.id, 'r1');
    assert.deepEqual(
      r.outputs.map((o) => o.name),
      ['SUM', 'DIFF'],
    );
    assert.deepEqual(readF32(r.outputs[0].data), [11, 22, 33, 44]);
    assert.deepEqual(readF32(r.outputs[1].data), [-9, -18, -27, -36]);
    assert.deepEqual(r.outputs[0].shape, [4]);
    const only = await client.infer({ model: 'add_sub', inputs: addInputs(), outputs: ['DIFF'] });
    assert.deepEqual(
      only.outputs.map((o) => o.name),
      ['DIFF'],
    );
  });

  test('classification: top-k as BYTES with labels', async () => {
    const r = await client.infer({
      model: 'add_sub',
      inputs: addInputs([0, 5, 1, 3], [0, 0, 0, 0]),
      outputs: [{ name: 'SUM', parameters: { classification: 2 } }],
    });
    assert.equal(r.outputs[0].datatype, 'BYTES');
    assert.deepEqual(r.outputs[0].shape, [2]);
    assert.deepEqual(decodeBytesTensor(r.outputs[0].data), ['5.000000:1:one', '3.000000:3:three']);
  });

  test("classification writes values as C++'s std::to_string does; FP16 and BYTES outputs are refused", async () => {
    // Integers as integers, not "%f".
    const ints = await client.infer({
      model: 'ints',
      inputs: [{ name: 'X', datatype: 'INT32', shape: [3], data: i32([300, -7, 12]) }],
      outputs: [{ name: 'Y', parameters: { classification: 2 } }],
    });
    assert.deepEqual(decodeBytesTensor(ints.outputs[0].data), ['300:0', '12:2']);
    // "%f" of a large float is its whole decimal expansion (toFixed would write 1e+30).
    const large = await client.infer({
      model: 'add_sub',
      inputs: addInputs([1e30, 0, 0, 0], [0, 0, 0, 0]),
      outputs: [{ name: 'SUM', parameters: { classification: 1 } }],
    });
    assert.deepEqual(decodeBytesTensor(large.outputs[0].data), ['1000000015047466219876688855040.000000:0:zero']);
    // Exact binary ties round to even, as printf does (toFixed rounds them up): 65/128 = 0.5078125.
    const ties = await client.infer({
      model: 'add_sub',
      inputs: addInputs([0.5078125, 0.0078125, 2.5, -0.0078125], [0, 0, 0, 0]),
      outputs: [{ name: 'SUM', parameters: { classification: 4 } }],
    });
    assert.deepEqual(decodeBytesTensor(ties.outputs[0].data), [
      '2.500000:2:two',
      '0.507812:0:zero',
      '0.007812:1:one',
      '-0.007812:3:three',
    ]);
    const refused = (datatype: string) => `class result not available for output due to unsupported type '${datatype}'`;
    await rejects(
      client.infer({
        model: 'half',
        inputs: [{ name: 'X', datatype: 'FP16', shape: [2, 2], data: new Uint8Array(8) }],
        outputs: [{ name: 'Y', parameters: { classification: 1 } }],
      }),
      'INVALID_ARGUMENT',
      refused('FP16'),
    );
    await rejects(
      client.infer({
        model: 'strings',
        inputs: [{ name: 'X', datatype: 'BYTES', shape: [2], data: bytesTensor(['a', 'b']) }],
        outputs: [{ name: 'Y', parameters: { classification: 1 } }],
      }),
      'INVALID_ARGUMENT',
      refused('BYTES'),
    );
  });

  test('batched model: versions, batch dim, batch-size limit', async () => {
    const input = { name: 'INPUT', datatype: 'FP32', shape: [2, 3], data: f32([1, 2, 3, 4, 5, 6]) };
    const v1 = await client.infer({ model: 'scaled', version: '1', inputs: [input] });
    assert.deepEqual(readF32(v1.outputs[0].data), [2, 4, 6, 8, 10, 12]);
    assert.deepEqual(v1.outputs[0].shape, [2, 3]);
    const latest = await client.infer({ model: 'scaled', inputs: [input] });
    assert.equal(latest.version, '2');
    assert.deepEqual(readF32(latest.outputs[0].data), [3, 6, 9, 12, 15, 18]);
    await rejects(
      client.infer({
        model: 'scaled',
        inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [9, 3], data: f32(new Array(27).fill(0)) }],
      }),
      'INVALID_ARGUMENT',
      "[request id: <id_unknown>] inference request batch-size must be <= 8 for 'scaled'",
    );
    await rejects(
      client.infer({
        model: 'scaled',
        inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [3], data: f32([1, 2, 3]) }],
        validate: false,
      }),
      'INVALID_ARGUMENT',
      "[request id: <id_unknown>] unexpected shape for input 'INPUT' for model 'scaled'. Expected [-1,3], got [3]. NOTE: Setting a non-zero max_batch_size in the model config requires a batch dimension to be prepended to each input shape. If you want to specify the full shape including the batch dim in your input dims config, try setting max_batch_size to zero. See the model configuration docs for more info on max_batch_size.",
    );
  });

  test('FP16 travels as raw half bytes', async () => {
    const data = fp16([1, -2.5, 0.5, 65504]);
    const r = await client.infer({ model: 'half', inputs: [{ name: 'X', datatype: 'FP16', shape: [2, 2], data }] });
    assert.equal(r.outputs[0].datatype, 'FP16');
    assert.deepEqual(Array.from(r.outputs[0].data), Array.from(data));
  });

  test('BYTES tensors and their validation', async () => {
    const r = await client.infer({
      model: 'strings',
      inputs: [{ name: 'X', datatype: 'BYTES', shape: [2], data: bytesTensor(['ab', '']) }],
    });
    assert.deepEqual(decodeBytesTensor(r.outputs[0].data), ['ab', '']);
    await rejects(
      client.infer({
        model: 'strings',
        inputs: [{ name: 'X', datatype: 'BYTES', shape: [2], data: bytesTensor(['only one']) }],
        validate: false,
      }),
      'INVALID_ARGUMENT',
      "[request id: <id_unknown>] expected 2 string elements for inference input 'X' for model 'strings', got 1",
    );
    await rejects(
      client.infer({
        model: 'strings',
        inputs: [{ name: 'X', datatype: 'BYTES', shape: [2], data: new Uint8Array([2, 0]) }],
        validate: false,
      }),
      'INVALID_ARGUMENT',
      /^\[request id: <id_unknown>\] incomplete string length indicator for inference input 'X' for model 'strings', expecting 4 bytes but only 2 bytes available/,
    );
  });

  test('validation order and texts (4.4)', async () => {
    const bad = (req: Parameters<TritonClient['infer']>[0]) => client.infer({ ...req, validate: false });
    await rejects(bad({ model: 'nope', inputs: [] }), 'NOT_FOUND', "Request for unknown model: 'nope' is not found");
    await rejects(bad({ model: 'add_sub', version: 'v1', inputs: [] }), 'INVALID_ARGUMENT', /details: stol/);
    await rejects(
      bad({ model: 'add_sub', inputs: addInputs(), parameters: { triton_foo: true } }),
      'INVALID_ARGUMENT',
      "parameter keys starting with 'triton_' are reserved for Triton usage. Only the following keys starting with 'triton_' are allowed: triton_enable_empty_final_response",
    );
    await rejects(
      bad({ model: 'add_sub', inputs: addInputs(), parameters: { priority: -1 } }),
      'INVALID_ARGUMENT',
      "invalid value for 'priority', expected value >= 0.",
    );
    await rejects(
      bad({ model: 'add_sub', inputs: addInputs(), parameters: { custom: { uint64: 5 } } }),
      'INVALID_ARGUMENT',
      "invalid value type for 'custom' parameter, expected int64_param, bool_param, or string_param.",
    );
    await rejects(
      bad({ model: 'add_sub', id: 'dup', inputs: [...addInputs(), addInputs()[0]] }),
      'INVALID_ARGUMENT',
      "[request id: dup] input 'A' already exists in request",
    );
    await rejects(
      bad({ model: 'add_sub', inputs: addInputs(), outputs: ['NOPE'] }),
      'INVALID_ARGUMENT',
      "unexpected inference output 'NOPE' for model 'add_sub'",
    );
    await rejects(
      bad({ model: 'add_sub', inputs: [addInputs()[0]] }),
      'INVALID_ARGUMENT',
      "[request id: <id_unknown>] expected 2 inputs but got 1 inputs for model 'add_sub'. Got input(s) ['A'], but missing required input(s) ['B']. Please provide all required input(s).",
    );
    await rejects(
      bad({ model: 'add_sub', inputs: [addInputs()[0], { ...addInputs()[1], name: 'C' }] }),
      'INVALID_ARGUMENT',
      "unexpected inference input 'C' for model 'add_sub'",
    );
    await rejects(
      bad({
        model: 'add_sub',
        inputs: [addInputs()[0], { name: 'B', datatype: 'FP64', shape: [4], data: new Uint8Array(32) }],
      }),
      'INVALID_ARGUMENT',
      "[request id: <id_unknown>] inference input 'B' data-type is 'FP64', but model 'add_sub' expects 'FP32'",
    );
    await rejects(
      bad({
        model: 'add_sub',
        inputs: [addInputs()[0], { name: 'B', datatype: 'fp32', shape: [4], data: f32([1, 2, 3, 4]) }],
      }),
      'INVALID_ARGUMENT',
      "[request id: <id_unknown>] inference input 'B' data-type is '<invalid>', but model 'add_sub' expects 'FP32'",
    );
    await rejects(
      bad({
        model: 'add_sub',
        inputs: [addInputs()[0], { name: 'B', datatype: 'FP32', shape: [5], data: f32([1, 2, 3, 4, 5]) }],
      }),
      'INVALID_ARGUMENT',
      "[request id: <id_unknown>] unexpected shape for input 'B' for model 'add_sub'. Expected [4], got [5]. ",
    );
    await rejects(
      bad({ model: 'ints', inputs: [{ name: 'X', datatype: 'INT32', shape: [-1], data: i32([1]) }] }),
      'INVALID_ARGUMENT',
      "[request id: <id_unknown>] All input dimensions should be specified for input 'X' for model 'ints', got [-1]",
    );
    await rejects(
      bad({
        model: 'add_sub',
        inputs: [addInputs()[0], { name: 'B', datatype: 'FP32', shape: [4], data: new Uint8Array(12) }],
      }),
      'INVALID_ARGUMENT',
      "[request id: <id_unknown>] input byte size mismatch for input 'B' for model 'add_sub'. Expected 16, got 12",
    );
  });

  test('rejected requests do not count in statistics; successes do', async () => {
    const before = (await client.modelStatistics('ints'))[0];
    await rejects(
      client.infer({
        model: 'ints',
        inputs: [{ name: 'X', datatype: 'INT32', shape: [2], data: i32([1]) }],
        validate: false,
      }),
      'INVALID_ARGUMENT',
      "[request id: <id_unknown>] input byte size mismatch for input 'X' for model 'ints'. Expected 8, got 4",
    );
    const mid = (await client.modelStatistics('ints'))[0];
    assert.deepEqual(mid, before);
    await client.infer({ model: 'ints', inputs: [{ name: 'X', datatype: 'INT32', shape: [3], data: i32([7, 8, 9]) }] });
    const s = (await client.modelStatistics('ints'))[0];
    assert.equal(s.name, 'ints');
    assert.equal(s.version, '1');
    assert.equal(Number(s.inference_count), Number(before.inference_count) + 1);
    assert.equal(Number(s.execution_count), Number(before.execution_count) + 1);
    assert.equal(Number(s.inference_stats.success.count), Number(before.inference_stats.success.count) + 1);
    assert.ok(Number(s.inference_stats.compute_infer.ns) > 0);
    assert.equal(s.inference_stats.fail.count, '0');
    assert.ok(Math.abs(Number(s.last_inference) - Date.now()) < 60_000, 'last_inference is ms since epoch');
    assert.deepEqual(
      s.batch_stats.map((b) => b.batch_size),
      ['1'],
    );
  });

  test('batch statistics count batch elements', async () => {
    await client.infer({
      model: 'scaled',
      version: '1',
      inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [4, 3], data: f32(new Array(12).fill(1)) }],
    });
    const [s] = await client.modelStatistics('scaled', '1');
    assert.ok(s.batch_stats.some((b) => b.batch_size === '4' && b.compute_infer.count === '1'));
    assert.ok(Number(s.inference_count) >= 4);
    await rejects(client.modelStatistics('nope'), 'INVALID_ARGUMENT', "requested model 'nope' is not available");
    await rejects(
      client.modelStatistics('scaled', '5'),
      'INVALID_ARGUMENT',
      "requested model version is not available for model 'scaled'",
    );
    const all = await client.modelStatistics();
    assert.deepEqual(
      all.map((m) => `${m.name}/${m.version}`),
      ['add_sub/1', 'half/1', 'ints/1', 'scaled/1', 'scaled/2', 'strings/1'],
    );
  });

  test('typed contents: int_contents for INT32, mixing with raw is rejected', async () => {
    // TritonClient always sends raw bytes, so typed `contents` go through a plain grpc-js stub.
    const raw = await rawStub();
    const call = (req: object) => raw.call('ModelInfer', req);
    try {
      const r = await call({
        model_name: 'ints',
        inputs: [{ name: 'X', datatype: 'INT32', shape: [3], contents: { int_contents: [5, -6, 7] } }],
      });
      assert.deepEqual(Array.from(new Int32Array(new Uint8Array(r.raw_output_contents[0]).buffer)), [5, -6, 7]);
      await assert.rejects(
        call({
          model_name: 'ints',
          inputs: [{ name: 'X', datatype: 'INT32', shape: [1], contents: { fp32_contents: [1] } }],
        }),
        (e: any) =>
          e.code === 3 &&
          e.details ===
            "unexpected explicit tensor data for input tensor 'X' for model 'ints' of type 'FP32', expected datatype 'INT32'",
      );
      await assert.rejects(
        call({
          model_name: 'ints',
          inputs: [{ name: 'X', datatype: 'INT32', shape: [1], contents: { int_contents: [1] } }],
          raw_input_contents: [Buffer.alloc(4)],
        }),
        (e: any) =>
          e.details === "contents field must not be specified when using raw_input_contents for 'X' for model 'ints'",
      );
      await assert.rejects(
        call({ model_name: 'ints', inputs: [{ name: 'X', datatype: 'INT32', shape: [1] }] }),
        (e: any) => e.details === "unable to find data for input tensor 'X' for model 'ints' in request.",
      );
    } finally {
      raw.close();
    }
  });

  test('concurrent requests on different models', async () => {
    const results = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) =>
        client.infer({ model: 'add_sub', inputs: addInputs([i, 0, 0, 0], [0, 0, 0, 0]) }),
      ),
      ...Array.from({ length: 6 }, () =>
        client.infer({
          model: 'scaled',
          version: '1',
          inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [1, 3], data: f32([1, 1, 1]) }],
        }),
      ),
    ]);
    assert.deepEqual(
      results.slice(0, 6).map((r) => readF32(r.outputs[0].data)[0]),
      [0, 1, 2, 3, 4, 5],
    );
    assert.ok(results.slice(6).every((r) => readF32(r.outputs[0].data)[0] === 2));
  });
});

describe('streaming', () => {
  test('responses carry triton_final_response; errors arrive inside the stream', async () => {
    const stream = client.streamInfer();
    const ok = stream.infer({ model: 'add_sub', id: 's1', inputs: addInputs() });
    const bad = stream.infer({ model: 'nope', id: 's2', inputs: [] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const r = await ok;
    assert.equal(r.parameters.triton_final_response, true);
    assert.deepEqual(readF32(r.outputs[0].data), [11, 22, 33, 44]);
    const err = await bad;
    assert.ok(err instanceof TritonError, 'the bad request is rejected on its own');
    assert.equal(err.details, "Request for unknown model: 'nope' is not found");
    const after = await stream.infer({ model: 'add_sub', id: 's3', inputs: addInputs([1, 1, 1, 1], [1, 1, 1, 1]) });
    assert.deepEqual(readF32(after.outputs[0].data), [2, 2, 2, 2], 'the stream survives an error');
    await stream.end();
  });

  test('triton_grpc_error header: first error ends the stream with a gRPC status', async () => {
    const stream = client.streamInfer({ grpcErrors: true });
    const bad = stream.infer({ model: 'add_sub', id: 'g1', inputs: [addInputs()[0]], validate: false });
    await assert.rejects(
      bad,
      (e: any) =>
        e instanceof TritonError && e.code === 'INVALID_ARGUMENT' && /expected 2 inputs but got 1/.test(e.details),
    );
    await assert.rejects(stream.end(), (e: any) => e.code === 'INVALID_ARGUMENT');
  });
});

describe('repository', () => {
  test('index: sorted, name-only for never-loaded, per-version state, ready filter', async () => {
    const index = await client.repositoryIndex();
    assert.deepEqual(
      index.map((e) => e.name),
      [
        'add_sub',
        'bad_pipeline',
        'bad_syntax',
        'broken_onnx',
        'half',
        'ints',
        'no_versions',
        'pipeline',
        'scaled',
        'scaled',
        'strings',
        'trt',
      ],
    );
    assert.deepEqual(
      index.find((e) => e.name === 'trt'),
      { name: 'trt', version: '', state: '', reason: '' },
    );
    assert.deepEqual(
      index.filter((e) => e.name === 'scaled').map((e) => [e.version, e.state]),
      [
        ['1', 'READY'],
        ['2', 'READY'],
      ],
    );
    const ready = await client.repositoryIndex({ ready: true });
    assert.ok(ready.every((e) => e.state === 'READY'));
    assert.ok(!ready.some((e) => e.name === 'trt'));
  });

  test('load failures: ORT reason, non-runnable backend, poll failure, no versions', async () => {
    await rejects(
      client.loadModel('broken_onnx'),
      'INVALID_ARGUMENT',
      /^load failed for model 'broken_onnx': version 1 is at UNAVAILABLE state: Internal: onnx runtime error: .*ModelProto does not have a graph.*;\n$/s,
    );
    await rejects(
      client.loadModel('trt'),
      'INVALID_ARGUMENT',
      "load failed for model 'trt': version 1 is at UNAVAILABLE state: Unavailable: the embedded server cannot run 'tensorrt' models (model.plan); connect to a real Triton to run them;\n",
    );
    await rejects(
      client.loadModel('bad_syntax'),
      'INTERNAL',
      "failed to load 'bad_syntax', failed to poll from model repository",
    );
    await rejects(
      client.loadModel('missing_dir'),
      'INTERNAL',
      "failed to load 'missing_dir', failed to poll from model repository",
    );
    await rejects(
      client.loadModel('no_versions'),
      'INVALID_ARGUMENT',
      "load failed for model 'no_versions': at least one version must be available under the version policy of model 'no_versions'\n",
    );
    const index = await client.repositoryIndex();
    const trt = index.find((e) => e.name === 'trt')!;
    assert.equal(trt.state, 'UNAVAILABLE');
    assert.match(trt.reason, /cannot run 'tensorrt' models/);
    assert.ok(!index.some((e) => e.name === 'no_versions'), 'a record without versions has no index entry');
    assert.equal(await client.serverReady(), false, 'strict readiness: failed loads make the server not ready');
    await client.unloadModel('broken_onnx');
    await client.unloadModel('trt');
    await client.unloadModel('no_versions');
  });

  test('load parameter validation order and texts', async () => {
    await rejects(
      client.loadModel('add_sub', { parameters: { foo: 'x' } }),
      'INVALID_ARGUMENT',
      "unrecognized load parameter 'foo'.",
    );
    await rejects(
      client.loadModel('add_sub', { parameters: { config: true } }),
      'INVALID_ARGUMENT',
      "invalid value type for load parameter 'config', expected string_param.",
    );
    await rejects(
      client.loadModel(''),
      'INVALID_ARGUMENT',
      'Model name cannot be empty. Please enter a valid name to deploy.',
    );
    await rejects(
      client.loadModel('../etc'),
      'INVALID_ARGUMENT',
      "invalid model name '../etc', model name must not contain path traversal characters",
    );
    await rejects(
      client.loadModel('add_sub', { config: '{ not json' }),
      'INTERNAL',
      "failed to load 'add_sub', failed to poll from model repository",
    );
    await rejects(
      client.loadModel('add_sub', { config: { name: 'other', backend: 'onnxruntime' } }),
      'INTERNAL',
      "failed to load 'add_sub', failed to poll from model repository",
    );
    assert.equal(await client.modelReady('add_sub'), true, 'a failed reload keeps the loaded version serving');
  });

  test('config override replaces config.pbtxt; a load without it keeps it until the files change or an unload', async () => {
    const override = {
      name: 'scaled',
      backend: 'onnxruntime',
      max_batch_size: 4,
      version_policy: { specific: { versions: [1] } },
      input: [{ name: 'INPUT', data_type: 'TYPE_FP32', dims: [3] }],
      output: [{ name: 'OUTPUT', data_type: 'TYPE_FP32', dims: [3] }],
    };
    await client.loadModel('scaled', { config: override });
    const c = (await client.modelConfig('scaled')) as Record<string, any>;
    assert.equal(c.max_batch_size, 4);
    assert.deepEqual((await client.modelMetadata('scaled')).versions, ['1']);
    const index = await client.repositoryIndex();
    assert.deepEqual(
      index.filter((e) => e.name === 'scaled').map((e) => [e.version, e.state, e.reason]),
      [
        ['1', 'READY', ''],
        ['2', 'UNAVAILABLE', 'unloaded'],
      ],
    );
    // Triton's L0_lifecycle test_config_override: the files did not change, so nothing is loaded.
    await client.loadModel('scaled');
    assert.equal(((await client.modelConfig('scaled')) as Record<string, any>).max_batch_size, 4);
    assert.deepEqual((await client.modelMetadata('scaled')).versions, ['1']);
    // A newer file is a change: the load reads the repository again.
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(repo.dir, 'scaled', 'config.pbtxt'), later, later);
    await client.loadModel('scaled');
    assert.equal(((await client.modelConfig('scaled')) as Record<string, any>).max_batch_size, 8);
    assert.deepEqual((await client.modelMetadata('scaled')).versions, ['1', '2']);
    // Unload + load (what Triton's tests do to undo an override) reads the repository too.
    await client.loadModel('scaled', { config: override });
    await client.unloadModel('scaled');
    await client.loadModel('scaled');
    assert.equal(((await client.modelConfig('scaled')) as Record<string, any>).max_batch_size, 8);
  });

  test('a load of a serving model whose files did not change loads nothing: its statistics stay', async () => {
    await client.infer({ model: 'ints', inputs: [{ name: 'X', datatype: 'INT32', shape: [3], data: i32([7, 8, 9]) }] });
    const [before] = await client.modelStatistics('ints');
    assert.ok(Number(before.inference_count) > 0);
    await client.loadModel('ints');
    const [after] = await client.modelStatistics('ints');
    assert.equal(after.inference_count, before.inference_count, 'not reloaded');
    // A changed file in a version directory reloads it, and a reload starts new statistics.
    const later = new Date(Date.now() + 5_000);
    const versionDir = join(repo.dir, 'ints', '1');
    utimesSync(versionDir, later, later);
    await client.loadModel('ints');
    const [reloaded] = await client.modelStatistics('ints');
    assert.equal(Number(reloaded.inference_count), 0, 'reloaded');
    // A directory that is gone is polled (and the poll fails), not taken as unchanged.
    renameSync(join(repo.dir, 'ints'), join(repo.dir, 'ints-away'));
    try {
      await rejects(
        client.loadModel('ints'),
        'INTERNAL',
        "failed to load 'ints', failed to poll from model repository",
      );
    } finally {
      renameSync(join(repo.dir, 'ints-away'), join(repo.dir, 'ints'));
    }
    assert.equal(await client.modelReady('ints'), true, 'a failed poll keeps the loaded version serving');
  });

  test('a config override without a name takes the model name, as Triton fills it in', async () => {
    // Triton's own L0_lifecycle test_config_override sends `{"backend": ..., "version_policy": ...}`.
    const config = {
      backend: 'onnxruntime',
      max_batch_size: 4,
      input: [{ name: 'INPUT', data_type: 'TYPE_FP32', dims: [3] }],
      output: [{ name: 'OUTPUT', data_type: 'TYPE_FP32', dims: [3] }],
    };
    await client.loadModel('scaled', { config });
    assert.equal(((await client.modelConfig('scaled')) as Record<string, any>).max_batch_size, 4);
    assert.equal(((await client.modelConfig('scaled')) as Record<string, any>).name, 'scaled');
    await client.unloadModel('scaled');
    await client.loadModel('scaled');
  });

  test('file override: model files from the request (config mandatory)', async () => {
    const config = {
      name: 'uploaded',
      backend: 'onnxruntime',
      input: [
        { name: 'A', data_type: 'TYPE_FP32', dims: [4] },
        { name: 'B', data_type: 'TYPE_FP32', dims: [4] },
      ],
      output: [
        { name: 'SUM', data_type: 'TYPE_FP32', dims: [4] },
        { name: 'DIFF', data_type: 'TYPE_FP32', dims: [4] },
      ],
    };
    await rejects(
      client.loadModel('uploaded', { files: { '1/model.onnx': addSubModel() } }),
      'INTERNAL',
      "failed to load 'uploaded', failed to poll from model repository",
    );
    await client.loadModel('uploaded', { config, files: { '1/model.onnx': addSubModel() } });
    const r = await client.infer({ model: 'uploaded', inputs: addInputs() });
    assert.deepEqual(readF32(r.outputs[0].data), [11, 22, 33, 44]);
    await client.unloadModel('uploaded');
  });

  test('ensemble: loads composing models, runs steps, unload_dependents', async () => {
    await client.unloadModel('add_sub');
    assert.equal(await client.modelReady('add_sub'), false);
    await client.loadModel('pipeline');
    assert.equal(await client.modelReady('add_sub'), true, 'composing model loaded implicitly');
    const md = await client.modelMetadata('pipeline');
    assert.equal(md.platform, 'ensemble');
    const c = (await client.modelConfig('pipeline')) as Record<string, any>;
    assert.deepEqual(c.model_transaction_policy, { decoupled: false });
    assert.equal(c.instance_group, undefined);
    const r = await client.infer({
      model: 'pipeline',
      inputs: [{ name: 'IN', datatype: 'FP32', shape: [4], data: f32([1, 2, 3, 4]) }],
    });
    assert.deepEqual(readF32(r.outputs[0].data), [3, 6, 9, 12]);
    const [es] = await client.modelStatistics('pipeline');
    assert.equal(es.inference_stats.success.count, '1');
    const [cs] = await client.modelStatistics('add_sub');
    assert.ok(Number(cs.execution_count) >= 2, 'composing executions are counted on the composing model');
    await client.unloadModel('pipeline', { unloadDependents: true });
    assert.equal(await client.modelReady('pipeline'), false);
    assert.equal(
      await client.modelReady('add_sub'),
      false,
      'implicitly loaded composing model unloaded with dependents',
    );
    await rejects(
      client.unloadModel('pipeline', {}).then(() => client.infer({ model: 'pipeline', inputs: [] })),
      'NOT_FOUND',
      "Request for unknown model: 'pipeline' has no available versions",
    );
    await rejects(
      client.modelConfig('pipeline', '1'),
      'UNAVAILABLE',
      "Request for unknown model: 'pipeline' version 1 is not at ready state",
    );
  });

  test('ensemble: unloading a composing model unloads the ensemble; dtype mismatch fails the load', async () => {
    await client.loadModel('add_sub');
    await client.loadModel('pipeline');
    await client.unloadModel('add_sub');
    assert.equal(await client.modelReady('pipeline'), false);
    await client.loadModel('add_sub');
    await rejects(
      client.loadModel('bad_pipeline'),
      'INVALID_ARGUMENT',
      "load failed for model 'bad_pipeline': in ensemble bad_pipeline, ensemble tensor IN: inconsistent data type: TYPE_INT32 is inferred from model bad_pipeline while TYPE_FP32 is inferred from model add_sub\n",
    );
    // Triton's dependency graph keeps an invalid ensemble out of the model lifecycle: the index lists
    // it by name alone, and it does not make the server un-ready (the reason is in the load's answer).
    const entries = (await client.repositoryIndex()).filter((e) => e.name === 'bad_pipeline');
    assert.deepEqual(entries, [{ name: 'bad_pipeline', version: '', state: '', reason: '' }]);
    assert.equal(await client.serverReady(), true, 'an invalid ensemble does not make the server un-ready');
    await client.unloadModel('bad_pipeline');
  });

  test('unload: unknown model succeeds silently, unload_dependents type check, repository_name rule', async () => {
    await client.unloadModel('never_heard_of_it');
    // TritonClient only sends well-formed parameters; malformed ones go through a plain grpc-js stub.
    const raw = await rawStub();
    try {
      await assert.rejects(
        raw.call('RepositoryModelUnload', {
          model_name: 'add_sub',
          parameters: { unload_dependents: { string_param: 'yes' } },
        }),
        (e: any) =>
          e.code === 3 && e.details === "invalid value type for 'unload_dependents' parameter, expected bool_param.",
      );
      await assert.rejects(
        raw.call('RepositoryIndex', { repository_name: 'models' }),
        (e: any) => e.code === 12 && e.details === "'repository_name' specification is not supported",
      );
      await assert.rejects(
        raw.call('RepositoryModelLoad', { repository_name: 'models', model_name: 'add_sub' }),
        (e: any) => e.code === 12 && e.details === "'repository_name' specification is not supported",
      );
      await assert.rejects(
        raw.call('RepositoryModelLoad', {
          model_name: 'add_sub',
          parameters: { 'file:1/model.onnx': { string_param: 'x' } },
        }),
        (e: any) =>
          e.code === 3 &&
          e.details === "invalid value type for load parameter 'file:1/model.onnx', expected bytes_param.",
      );
    } finally {
      raw.close();
    }
    assert.equal(await client.modelReady('add_sub'), true);
    assert.equal(await client.serverReady(), true, 'explicitly unloaded models do not make the server un-ready');
  });
});

async function rawStub() {
  const grpc = await import('@grpc/grpc-js');
  const { loadTritonPackageDefinition } = await import('../../electron/triton');
  const pkg = grpc.loadPackageDefinition(loadTritonPackageDefinition()) as any;
  const stub = new pkg.inference.GRPCInferenceService(server.url, grpc.credentials.createInsecure());
  return {
    call: (rpc: string, req: object) =>
      new Promise<any>((resolve, reject) => stub[rpc](req, (e: any, r: any) => (e ? reject(e) : resolve(r)))),
    close: () => stub.close(),
  };
}

describe('shared memory, trace and log settings', () => {
  test('client shared memory disabled by default; CUDA lists nothing', async () => {
    assert.deepEqual(await client.systemSharedMemoryStatus(), []);
    const disabled = "Client shared memory is disabled. Start the server with '--allow-client-shm=true' to enable.";
    await rejects(client.systemSharedMemoryRegister({ name: 'r', key: '/r', byteSize: 16 }), 'UNIMPLEMENTED', disabled);
    await rejects(client.systemSharedMemoryUnregister('r'), 'UNIMPLEMENTED', disabled);
    assert.deepEqual(await client.cudaSharedMemoryStatus(), []);
    // As Triton built without GPU support answers over gRPC, --allow-client-shm or not.
    await rejects(
      client.cudaSharedMemoryRegister({ name: 'c', rawHandle: new Uint8Array(64), deviceId: 0, byteSize: 16 }),
      'INVALID_ARGUMENT',
      "failed to register CUDA shared memory region: 'c', GPUs not supported",
    );
    await rejects(client.systemSharedMemoryStatus('r'), 'NOT_FOUND', "Unable to find system shared memory region: 'r'");
    await rejects(
      client.infer({
        model: 'ints',
        inputs: [
          {
            name: 'X',
            datatype: 'INT32',
            shape: [1],
            data: new Uint8Array(0),
            parameters: { shared_memory_region: 'r', shared_memory_byte_size: 4 },
          },
        ],
      }),
      'NOT_FOUND',
      "Unable to find shared memory region: 'r'",
    );
  });

  test('trace and log settings are stored and returned', async () => {
    const t0 = await client.traceSetting();
    assert.deepEqual(t0.trace_level, ['OFF']);
    const t1 = await client.traceSetting({ settings: { trace_level: ['TIMESTAMPS'], trace_rate: '10' } });
    assert.deepEqual(t1.trace_level, ['TIMESTAMPS']);
    assert.deepEqual(t1.trace_rate, ['10']);
    const m = await client.traceSetting({ model: 'add_sub', settings: { trace_count: '5' } });
    assert.deepEqual(m.trace_count, ['5']);
    assert.deepEqual(
      (await client.traceSetting()).trace_count,
      ['-1'],
      'model-level setting does not change the global one',
    );
    const l0 = await client.logSettings();
    assert.equal(l0.log_info, true);
    const l1 = await client.logSettings({ log_verbose_level: 2, log_info: false });
    assert.equal(l1.log_verbose_level, 2);
    assert.equal(l1.log_info, false);
    await rejects(client.logSettings({ log_info: 'yes' }), 'INVALID_ARGUMENT', "expect boolean for 'log_info'");
  });
});

describe('repository_name and control mode', () => {
  test("'none' mode loads everything and refuses load/unload", async () => {
    mkdirSync(repo.dir + '/none_mode_extra', { recursive: true });
    writeFileSync(
      repo.dir + '/none_mode_extra/config.pbtxt',
      CONFIGS.add_sub.replace('"add_sub"', '"none_mode_extra"'),
    );
    mkdirSync(repo.dir + '/none_mode_extra/1');
    writeFileSync(repo.dir + '/none_mode_extra/1/model.onnx', addSubModel());
    const none = await startEmbeddedServer({ modelRepository: repo.dir, controlMode: 'none' });
    const c2 = new TritonClient({ url: none.url });
    try {
      assert.equal(await c2.modelReady('none_mode_extra'), true, "'none' mode loads every model at start-up");
      await rejects(
        c2.loadModel('add_sub'),
        'UNAVAILABLE',
        'explicit model load / unload is not allowed if polling is enabled',
      );
      await rejects(
        c2.unloadModel('add_sub'),
        'UNAVAILABLE',
        'explicit model load / unload is not allowed if polling is enabled',
      );
      await rejects(
        c2.loadModel('add_sub', { parameters: { bogus: 1 } }),
        'INVALID_ARGUMENT',
        "unrecognized load parameter 'bogus'.",
      );
      assert.equal(await c2.serverReady(), false, 'broken models in the repository make a strict server un-ready');
    } finally {
      c2.close();
      await none.close();
      rmSync(repo.dir + '/none_mode_extra', { recursive: true, force: true });
    }
  });
});
