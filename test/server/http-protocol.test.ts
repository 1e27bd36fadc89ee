/**
 * Integration over real loopback HTTP: our HTTP/REST client (HttpTritonClient) against the embedded
 * server's HTTP front end, every route, success and error paths, with tiny real ONNX models; the
 * same answers as over gRPC from the one model manager; and the wire details Triton's http_server.cc
 * fixes (status codes, {"error": ...} bodies, methods, binary framing, compression) checked with raw
 * requests.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { HttpTritonClient, TritonClient, TritonError, createTritonClient } from '../../electron/triton';
import { canonicalModelConfig } from '../../electron/triton/http/modelConfigJson';
import {
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
let client: HttpTritonClient;
let grpcClient: TritonClient;
let base: string;

async function rejects(
  p: Promise<unknown>,
  code: string,
  details: string | RegExp,
  httpStatus?: number,
): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof TritonError, `expected TritonError, got ${String(err)}`);
    assert.equal(err.code, code, `code for: ${err.details}`);
    if (typeof details === 'string') assert.equal(err.details, details);
    else assert.match(err.details, details);
    if (httpStatus !== undefined) assert.equal(err.httpStatus, httpStatus);
    return true;
  });
}

const addInputs = (a = [1, 2, 3, 4], b = [10, 20, 30, 40]) => [
  { name: 'A', datatype: 'FP32', shape: [4], data: f32(a) },
  { name: 'B', datatype: 'FP32', shape: [4], data: f32(b) },
];

/** A raw request, for what the typed client never sends. */
async function raw(
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const res = await fetch(`${base}${path}`, { method, body, headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

before(async () => {
  repo = makeRepository();
  server = await startEmbeddedServer({
    modelRepository: repo.dir,
    controlMode: 'explicit',
    loadModels: ['add_sub', 'scaled', 'half', 'ints', 'strings'],
    httpPort: 0,
    allowClientShm: false,
  });
  assert.ok(server.httpUrl);
  base = `http://${server.httpUrl}`;
  client = new HttpTritonClient({ url: server.httpUrl, timeoutMs: 20_000 });
  grpcClient = new TritonClient({ url: server.url, timeoutMs: 20_000 });
});

after(async () => {
  client?.close();
  grpcClient?.close();
  await server?.close();
  repo?.cleanup();
});

describe('health and metadata', () => {
  test('live, ready, server metadata', async () => {
    assert.equal(await client.serverLive(), true);
    assert.equal(await client.serverReady(), true);
    const md = await client.serverMetadata();
    assert.equal(md.name, 'triton');
    assert.match(md.version, /tritonscope/);
    assert.deepEqual(md, await grpcClient.serverMetadata());
  });

  test('health answers 200 with no body; /v2 is the metadata', async () => {
    const live = await raw('GET', '/v2/health/live');
    assert.equal(live.status, 200);
    assert.equal(live.body.length, 0);
    const md = await raw('GET', '/v2');
    assert.equal(md.headers.get('content-type'), 'application/json');
    assert.deepEqual(Object.keys(JSON.parse(md.body.toString()) as object), ['name', 'version', 'extensions']);
  });

  test('model ready: true, and false (HTTP 400 "Model version not ready") for unknown or unloaded', async () => {
    assert.equal(await client.modelReady('add_sub'), true);
    assert.equal(await client.modelReady('add_sub', '1'), true);
    assert.equal(await client.modelReady('add_sub', '2'), false);
    assert.equal(await client.modelReady('nope'), false);
    const r = await raw('GET', '/v2/models/pipeline/ready');
    assert.equal(r.status, 400);
    assert.deepEqual(JSON.parse(r.body.toString()), { error: 'Model version not ready' });
  });

  test('model metadata equals the gRPC answer (batch dimension -1, READY versions)', async () => {
    const md = await client.modelMetadata('scaled');
    assert.deepEqual(md.versions, ['1', '2']);
    assert.deepEqual(md.inputs, [{ name: 'INPUT', datatype: 'FP32', shape: [-1, 3] }]);
    assert.equal(md.platform, 'onnxruntime_onnx');
    assert.deepEqual(md, await grpcClient.modelMetadata('scaled'));
    assert.deepEqual((await client.modelMetadata('scaled', '2')).versions, ['2']);
    await rejects(client.modelMetadata('nope'), 'NOT_FOUND', "Request for unknown model: 'nope' is not found", 404);
    await rejects(
      client.modelMetadata('scaled', '7'),
      'NOT_FOUND',
      "Request for unknown model: 'scaled' version 7 is not found",
    );
  });
});

describe('configuration and statistics', () => {
  test('config: every primitive printed on the wire, the canonical object from the client (= gRPC)', async () => {
    const wire = JSON.parse((await raw('GET', '/v2/models/add_sub/config')).body.toString()) as Record<string, unknown>;
    assert.equal(wire['max_batch_size'], 0, 'defaults are printed, as protobuf always_print_primitive_fields');
    assert.equal(wire['platform'], 'onnxruntime_onnx');
    assert.deepEqual((wire['input'] as Array<{ dims: unknown }>)[0].dims, [4], 'int64 dims as JSON numbers');
    const cfg = await client.modelConfig('add_sub');
    // Our gRPC server also sends values that equal their default; as protobuf drops those, compare canonically.
    assert.deepEqual(cfg, canonicalModelConfig(await grpcClient.modelConfig('add_sub')));
    assert.deepEqual(cfg.instance_group, [{ name: 'add_sub', kind: 'KIND_CPU', count: 2 }]);
    assert.equal(cfg.name, 'add_sub');
    assert.equal('max_batch_size' in cfg, false, 'the canonical shape omits defaults');
    await rejects(client.modelConfig('pipeline'), 'NOT_FOUND', /Request for unknown model: 'pipeline'/);
  });

  test('statistics count an inference; counters are decimal strings, as over gRPC', async () => {
    await client.infer({ model: 'add_sub', inputs: addInputs() });
    const [s] = await client.modelStatistics('add_sub');
    assert.equal(s.name, 'add_sub');
    assert.equal(s.version, '1');
    assert.equal(typeof s.inference_count, 'string');
    assert.ok(Number(s.inference_count) >= 1);
    assert.ok(Number(s.inference_stats.success.ns) > 0);
    const viaGrpc = await grpcClient.modelStatistics('add_sub');
    assert.deepEqual(viaGrpc[0].inference_count, s.inference_count);
    const all = await client.modelStatistics();
    assert.deepEqual(
      all.map((m) => `${m.name}/${m.version}`),
      (await grpcClient.modelStatistics()).map((m) => `${m.name}/${m.version}`),
    );
    assert.deepEqual(
      (await client.modelStatistics('scaled', '2')).map((m) => m.version),
      ['2'],
    );
    await rejects(
      client.modelStatistics('pipeline'),
      'INVALID_ARGUMENT',
      "requested model 'pipeline' is not available",
      400,
    );
  });
});

describe('repository', () => {
  test('index: all entries or READY only, equal to gRPC; absent fields stay absent on the wire', async () => {
    const index = await client.repositoryIndex();
    assert.deepEqual(index, await grpcClient.repositoryIndex());
    assert.ok(index.some((e) => e.name === 'trt' && e.state === '' && e.version === ''));
    const ready = await client.repositoryIndex({ ready: true });
    assert.ok(ready.every((e) => e.state === 'READY'));
    const wire = JSON.parse((await raw('POST', '/v2/repository/index', '')).body.toString()) as Array<
      Record<string, string>
    >;
    assert.deepEqual(
      wire.find((e) => e.name === 'trt'),
      { name: 'trt' },
    );
    assert.deepEqual(
      wire.find((e) => e.name === 'add_sub'),
      { name: 'add_sub', version: '1', state: 'READY' },
    );
    const bad = await raw('POST', '/v2/repository/index', '{"ready": 1}');
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body.toString()), { error: "Invalid value for 'ready': expected a boolean" });
  });

  test('load and unload, a failed load with its reason, a config override and file: contents', async () => {
    await client.loadModel('pipeline');
    assert.equal(await client.modelReady('pipeline'), true);
    const out = await client.infer({
      model: 'pipeline',
      inputs: [{ name: 'IN', datatype: 'FP32', shape: [4], data: f32([1, 2, 3, 4]) }],
    });
    assert.deepEqual(readF32(out.outputs[0].data), [3, 6, 9, 12]);
    await client.unloadModel('pipeline');
    assert.equal(await client.modelReady('pipeline'), false);

    await rejects(client.loadModel('broken_onnx'), 'INVALID_ARGUMENT', /load failed for model 'broken_onnx'/, 400);
    await rejects(
      client.loadModel('nope'),
      'INTERNAL',
      "failed to load 'nope', failed to poll from model repository",
      500,
    );

    // A config override served from file: contents (base64 on the wire), as Triton's HTTP API does.
    const config = {
      name: 'add_sub_copy',
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
    await client.loadModel('add_sub_copy', { config, files: { '1/model.onnx': addSubModel() } });
    const r = await client.infer({ model: 'add_sub_copy', inputs: addInputs([1, 1, 1, 1], [2, 2, 2, 2]) });
    assert.deepEqual(readF32(r.outputs.find((o) => o.name === 'DIFF')!.data), [-1, -1, -1, -1]);
    await client.unloadModel('add_sub_copy');
    await rejects(
      client.loadModel('uploaded', { files: { '1/model.onnx': addSubModel() } }),
      'INTERNAL',
      "failed to load 'uploaded', failed to poll from model repository",
      500,
    );
  });

  test('load parameters that are not strings, or unknown, are refused as Triton does', async () => {
    const notString = await raw('POST', '/v2/repository/models/add_sub/load', '{"parameters": {"config": 5}}');
    assert.equal(notString.status, 500);
    assert.deepEqual(JSON.parse(notString.body.toString()), { error: 'attempt to access JSON non-string as string' });
    const unknown = await raw('POST', '/v2/repository/models/add_sub/load', '{"parameters": {"colour": "red"}}');
    assert.equal(unknown.status, 500);
    // Triton lists the members of 'parameters': a string there fails; nothing is loaded.
    const notObject = await raw('POST', '/v2/repository/models/add_sub/load', '{"parameters": "x"}');
    assert.equal(notObject.status, 500);
    assert.deepEqual(JSON.parse(notObject.body.toString()), { error: 'attempt to get members for non-object' });
    // It only looks members up in the index body: an array there finds nothing, so all models are listed.
    // Every JSON body is held to --http-max-input-size (64 MiB), a load's base64 file overrides too.
    const huge = Buffer.alloc((1 << 26) + 1, 0x20);
    huge.write('{}');
    const tooLarge = await raw('POST', '/v2/repository/models/add_sub/load', huge);
    assert.equal(tooLarge.status, 400);
    assert.deepEqual(JSON.parse(tooLarge.body.toString()), {
      error: `request JSON size of ${(1 << 26) + 1} bytes exceeds the maximum allowed input size of ${1 << 26} bytes. Use --http-max-input-size to increase the limit.`,
    });
    const arrayBody = await raw('POST', '/v2/repository/index', '[]');
    assert.equal(arrayBody.status, 200, arrayBody.body.toString());
    assert.ok((JSON.parse(arrayBody.body.toString()) as unknown[]).length > 0);
    const repoName = await raw('POST', '/v2/repository/other/models/add_sub/load', '{}');
    assert.equal(repoName.status, 501);
    assert.deepEqual(JSON.parse(repoName.body.toString()), {
      error: "'repository_name' specification is not supported",
    });
  });
});

describe('inference', () => {
  test('binary tensors both ways: Inference-Header-Content-Length framing, binary_data_size', async () => {
    const res = await client.infer({ model: 'add_sub', id: 'req-7', inputs: addInputs() });
    assert.equal(res.id, 'req-7');
    assert.equal(res.model, 'add_sub');
    assert.equal(res.version, '1');
    assert.deepEqual(readF32(res.outputs.find((o) => o.name === 'SUM')!.data), [11, 22, 33, 44]);
    assert.deepEqual(readF32(res.outputs.find((o) => o.name === 'DIFF')!.data), [-9, -18, -27, -36]);
    assert.deepEqual(res.outputs[0].parameters, {}, 'binary_data_size is framing, not a parameter');

    const header = Buffer.from(
      JSON.stringify({
        inputs: [
          { name: 'A', datatype: 'FP32', shape: [4], parameters: { binary_data_size: 16 } },
          { name: 'B', datatype: 'FP32', shape: [4], parameters: { binary_data_size: 16 } },
        ],
        outputs: [{ name: 'SUM', parameters: { binary_data: true } }, { name: 'DIFF' }],
      }),
    );
    const r = await raw(
      'POST',
      '/v2/models/add_sub/infer',
      Buffer.concat([header, f32([1, 2, 3, 4]), f32([1, 1, 1, 1])]),
      {
        'Inference-Header-Content-Length': String(header.length),
      },
    );
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/octet-stream');
    const jsonLength = Number(r.headers.get('inference-header-content-length'));
    const json = JSON.parse(r.body.subarray(0, jsonLength).toString()) as {
      outputs: Array<{ name: string; parameters?: { binary_data_size: number }; data?: number[] }>;
    };
    assert.deepEqual(json.outputs[0].parameters, { binary_data_size: 16 });
    assert.deepEqual(json.outputs[1].data, [0, 1, 2, 3], 'an output without binary_data comes back as JSON');
    assert.deepEqual(readF32(r.body.subarray(jsonLength)), [2, 3, 4, 5]);
  });

  test("FP16 in and out as binary; JSON refuses FP16 with Triton's text", async () => {
    const x = fp16([1, -2, 0.5, 65504]);
    const r = await client.infer({ model: 'half', inputs: [{ name: 'X', datatype: 'FP16', shape: [2, 2], data: x }] });
    assert.deepEqual(Buffer.from(r.outputs[0].data), Buffer.from(x));
    const body = JSON.stringify({ inputs: [{ name: 'X', datatype: 'FP16', shape: [2, 2], data: [1, 2, 3, 4] }] });
    const bad = await raw('POST', '/v2/models/half/infer', body);
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body.toString()), {
      error: 'receiving FP16 data via JSON is not supported. Please use the binary data format for input X',
    });
    await assert.rejects(
      client.infer(
        { model: 'half', inputs: [{ name: 'X', datatype: 'FP16', shape: [2, 2], data: x }] },
        { tensorEncoding: 'json' },
      ),
      /FP16 cannot travel as JSON/,
    );
  });

  test('JSON tensors both ways (tensorEncoding json): INT32, BYTES, FP32', async () => {
    const ints = await client.infer(
      { model: 'ints', inputs: [{ name: 'X', datatype: 'INT32', shape: [3], data: i32([-5, 0, 2147483647]) }] },
      { tensorEncoding: 'json' },
    );
    assert.deepEqual(Array.from(new Int32Array(ints.outputs[0].data.slice().buffer)), [-5, 0, 2147483647]);
    const strings = await client.infer(
      { model: 'strings', inputs: [{ name: 'X', datatype: 'BYTES', shape: [2], data: bytesTensor(['héllo', '']) }] },
      { tensorEncoding: 'json' },
    );
    assert.deepEqual(decodeBytesTensor(strings.outputs[0].data), ['héllo', '']);
    const sum = await client.infer(
      { model: 'add_sub', inputs: addInputs([0.1, 2, 3, 4]), outputs: ['SUM'] },
      { tensorEncoding: 'json' },
    );
    assert.deepEqual(readF32(sum.outputs[0].data), [Math.fround(10.1), 22, 33, 44]);
    // NaN and ±Infinity are numbers both ways, as Triton's rapidjson flags make them.
    const nonFinite = await client.infer(
      { model: 'add_sub', inputs: addInputs([NaN, Infinity, -Infinity, 4]), outputs: ['SUM'] },
      { tensorEncoding: 'json' },
    );
    assert.deepEqual(readF32(nonFinite.outputs[0].data), [NaN, Infinity, -Infinity, 44]);
    // What Python's json.dumps sends, and the tokens on the wire coming back.
    const python = await raw(
      'POST',
      '/v2/models/add_sub/infer',
      '{"inputs": [{"name": "A", "datatype": "FP32", "shape": [4], "data": [NaN, Infinity, -Infinity, 1.5]},' +
        ' {"name": "B", "datatype": "FP32", "shape": [4], "data": [1, 2, 3, 4]}], "outputs": [{"name": "DIFF"}]}',
    );
    assert.equal(python.status, 200, python.body.toString());
    assert.match(python.body.toString(), /"data":\[NaN,Infinity,-Infinity,-2\.5\]/);
    // Binary BYTES as well.
    const bin = await client.infer({
      model: 'strings',
      inputs: [{ name: 'X', datatype: 'BYTES', shape: [2], data: bytesTensor(['a', 'bc']) }],
    });
    assert.deepEqual(decodeBytesTensor(bin.outputs[0].data), ['a', 'bc']);
  });

  test('a raw binary body (Inference-Header-Content-Length: 0) is the one input, typed and shaped by the config', async () => {
    const rawInfer = (model: string, body: Buffer) =>
      raw('POST', `/v2/models/${model}/infer`, body, { 'Inference-Header-Content-Length': '0' });
    // ints: INT32 dims [-1]; the variable dimension comes from the byte size.
    const ints = await rawInfer('ints', Buffer.from(i32([4, 5, 6])));
    assert.equal(ints.status, 200, ints.body.toString());
    const answer = JSON.parse(ints.body.toString()) as { outputs: { name: string; shape: number[]; data: number[] }[] };
    assert.deepEqual(answer.outputs[0], { name: 'Y', datatype: 'INT32', shape: [3], data: [4, 5, 6] });
    // Two inputs cannot be deduced; a BYTES input must have shape [1].
    const two = await rawInfer('add_sub', Buffer.from(f32([1, 2, 3, 4])));
    assert.equal(two.status, 400);
    assert.deepEqual(JSON.parse(two.body.toString()), {
      error:
        "[request id: <id_unknown>] Raw request must only have 1 input (found 1) to be deduced but got 2 inputs in 'add_sub' model configuration",
    });
    const bytes = await rawInfer('strings', Buffer.from('ab'));
    assert.equal(bytes.status, 400);
    assert.match(
      JSON.parse(bytes.body.toString()).error,
      /For BYTE datatype raw input 'X', the model must have input shape \[1\]/,
    );
  });

  test('gzip and deflate request and response bodies, as tritonclient.http sends them', async () => {
    for (const algorithm of ['gzip', 'deflate'] as const) {
      const compressed = new HttpTritonClient({
        url: server.httpUrl!,
        compression: { request: algorithm, response: algorithm },
      });
      try {
        const r = await compressed.infer({ model: 'add_sub', inputs: addInputs() });
        assert.deepEqual(readF32(r.outputs[0].data), [11, 22, 33, 44]);
      } finally {
        compressed.close();
      }
    }
    const header = Buffer.from(JSON.stringify({ inputs: addInputs().map((t) => ({ ...t, data: readF32(t.data) })) }));
    const gz = await raw('POST', '/v2/models/add_sub/infer', gzipSync(header), {
      'Content-Encoding': 'gzip',
      'Accept-Encoding': 'identity;q=0.5, deflate;q=0.9, gzip;q=0.1',
    });
    assert.equal(gz.status, 200);
    // fetch decodes the body itself; the server chose deflate by q-value.
    assert.equal(gz.headers.get('content-encoding'), 'deflate');
    assert.deepEqual(
      (JSON.parse(gz.body.toString()) as { outputs: Array<{ data: number[] }> }).outputs[0].data,
      [11, 22, 33, 44],
    );
    const unknown = await raw('POST', '/v2/models/add_sub/infer', header, { 'Content-Encoding': 'br' });
    assert.equal(unknown.status, 501);
    assert.equal(unknown.headers.get('accept-encoding'), 'gzip, deflate');
    assert.deepEqual(JSON.parse(unknown.body.toString()), { error: 'Unsupported compression type' });
  });

  test("validation errors carry Triton's texts and HTTP codes", async () => {
    await rejects(
      client.infer({ model: 'nope', inputs: addInputs() }),
      'NOT_FOUND',
      "Request for unknown model: 'nope' is not found",
      404,
    );
    await rejects(
      client.infer({
        model: 'add_sub',
        inputs: [{ name: 'A', datatype: 'INT32', shape: [4], data: i32([1, 2, 3, 4]) }, addInputs()[1]],
      }),
      'INVALID_ARGUMENT',
      "[request id: <id_unknown>] inference input 'A' data-type is 'INT32', but model 'add_sub' expects 'FP32'",
      400,
    );
    const both = JSON.stringify({
      inputs: [{ name: 'A', datatype: 'FP32', shape: [4], data: [1, 2, 3, 4], parameters: { binary_data_size: 16 } }],
    });
    const r = await raw('POST', '/v2/models/add_sub/infer', both);
    assert.deepEqual(JSON.parse(r.body.toString()), {
      error:
        "Input must set only one of the following fields: 'data', 'binary_data_size' in 'parameters', 'shared_memory_region' in 'parameters'. But set 'data' 'binary_data_size'",
    });
    const short = Buffer.from(
      JSON.stringify({ inputs: [{ name: 'A', datatype: 'FP32', shape: [4], parameters: { binary_data_size: 16 } }] }),
    );
    const s = await raw('POST', '/v2/models/add_sub/infer', Buffer.concat([short, f32([1, 2])]), {
      'Inference-Header-Content-Length': String(short.length),
    });
    assert.equal(s.status, 400);
    assert.deepEqual(JSON.parse(s.body.toString()), {
      error: "unexpected size for input 'A', expecting 8 additional bytes for model 'add_sub'",
    });
    const extra = await raw('POST', '/v2/models/add_sub/infer', Buffer.concat([short, f32([1, 2, 3, 4, 5])]), {
      'Inference-Header-Content-Length': String(short.length),
    });
    assert.deepEqual(JSON.parse(extra.body.toString()), {
      error: "unexpected additional input data for model 'add_sub'",
    });
    const badLen = await raw('POST', '/v2/models/add_sub/infer', short, { 'Inference-Header-Content-Length': '99999' });
    assert.deepEqual(JSON.parse(badLen.body.toString()), {
      error: `inference header size should be in range (0, ${short.length}), got: 99999`,
    });
    const reserved = await raw(
      'POST',
      '/v2/models/add_sub/infer',
      JSON.stringify({ inputs: [], parameters: { triton_x: 1 } }),
    );
    assert.deepEqual(JSON.parse(reserved.body.toString()), {
      error: "parameter keys starting with 'triton_' are reserved for Triton usage and should not be specified.",
    });
    const notJson = await raw('POST', '/v2/models/add_sub/infer', '{inputs');
    assert.equal(notJson.status, 500);
    assert.match(JSON.parse(notJson.body.toString()).error as string, /^failed to parse the request JSON buffer: /);
  });

  test('batched model, explicit version, classification outputs', async () => {
    const r = await client.infer({
      model: 'scaled',
      version: '2',
      inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [2, 3], data: f32([1, 2, 3, 4, 5, 6]) }],
    });
    assert.equal(r.version, '2');
    assert.deepEqual(r.outputs[0].shape, [2, 3]);
    assert.deepEqual(readF32(r.outputs[0].data), [3, 6, 9, 12, 15, 18]);
    const cls = await client.infer({
      model: 'add_sub',
      inputs: addInputs(),
      outputs: [{ name: 'SUM', parameters: { classification: 2 } }],
    });
    assert.equal(cls.outputs[0].datatype, 'BYTES');
    assert.deepEqual(decodeBytesTensor(cls.outputs[0].data), ['44.000000:3:three', '33.000000:2:two']);
  });
});

describe('settings and shared memory', () => {
  test('trace settings: read, update, model level, clear; trace_file cannot change', async () => {
    const initial = await client.traceSetting();
    assert.deepEqual(initial['trace_level'], ['OFF']);
    assert.deepEqual(initial['trace_rate'], ['1000']);
    const updated = await client.traceSetting({ settings: { trace_rate: '5', trace_level: ['TIMESTAMPS'] } });
    assert.deepEqual(updated['trace_rate'], ['5']);
    assert.deepEqual(updated['trace_level'], ['TIMESTAMPS']);
    const model = await client.traceSetting({ model: 'add_sub', settings: { trace_count: '3' } });
    assert.deepEqual(model['trace_count'], ['3']);
    assert.deepEqual(
      (await client.traceSetting({ model: 'add_sub', settings: { trace_count: null } }))['trace_count'],
      ['-1'],
    );
    assert.deepEqual(await grpcClient.traceSetting(), await client.traceSetting(), 'one store behind both protocols');
    await rejects(
      client.traceSetting({ settings: { trace_file: 'x' } }),
      'UNIMPLEMENTED',
      'trace file location can not be updated through network protocol',
      501,
    );
    await rejects(
      client.traceSetting({ model: 'nope', settings: {} }),
      'INVALID_ARGUMENT',
      'Request for unknown model : nope',
    );
    await client.traceSetting({ settings: { trace_rate: null, trace_level: null } });
  });

  test("log settings: read and update; a bad format is UNAVAILABLE as in Triton's HTTP handler", async () => {
    const initial = await client.logSettings();
    assert.deepEqual(initial, {
      log_file: '',
      log_info: true,
      log_warning: true,
      log_error: true,
      log_verbose_level: 0,
      log_format: 'default',
    });
    const updated = await client.logSettings({ log_verbose_level: 2, log_info: false });
    assert.equal(updated['log_verbose_level'], 2);
    assert.equal(updated['log_info'], false);
    await rejects(
      client.logSettings({ log_format: 'xml' }),
      'UNAVAILABLE',
      'invalid argument for --log_format, got: xml',
      503,
    );
    await client.logSettings({ log_verbose_level: 0, log_info: true });
  });

  test('shared memory: status lists nothing; registration is refused while client shm is disabled', async () => {
    assert.deepEqual(await client.systemSharedMemoryStatus(), []);
    assert.deepEqual(await client.cudaSharedMemoryStatus(), []);
    await rejects(
      client.systemSharedMemoryRegister({ name: 'r', key: 'k', byteSize: 16 }),
      'UNIMPLEMENTED',
      "Client shared memory is disabled. Start the server with '--allow-client-shm=true' to enable.",
      501,
    );
    await rejects(client.systemSharedMemoryStatus('r'), 'NOT_FOUND', "Unable to find system shared memory region: 'r'");
    await rejects(client.systemSharedMemoryUnregister(), 'UNIMPLEMENTED', /Client shared memory is disabled/);
  });
});

describe('wire rules', () => {
  test('unknown routes are 404 {"error":"Not Found"}; wrong methods 405', async () => {
    const nf = await raw('GET', '/v2/nothing');
    assert.equal(nf.status, 404);
    assert.deepEqual(JSON.parse(nf.body.toString()), { error: 'Not Found' });
    const versionTrace = await raw('GET', '/v2/models/add_sub/versions/1/trace/setting');
    assert.equal(versionTrace.status, 404, 'trace settings have no version level');
    const m = await raw('POST', '/v2/health/live');
    assert.equal(m.status, 405);
    assert.deepEqual(JSON.parse(m.body.toString()), { error: 'Method Not Allowed' });
    assert.equal((await raw('GET', '/v2/models/add_sub/infer')).status, 405);
    assert.equal((await raw('GET', '/v2/repository/index')).status, 405);
    assert.equal((await raw('POST', '/v2/systemsharedmemory/status')).status, 405);
  });

  test('bound to loopback: a web page (Origin) or a DNS-rebinding Host is refused with 403, nothing done', async () => {
    const port = Number(server.httpUrl!.split(':').pop());
    const post = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end('{}');
      });
    // What a page's fetch('http://127.0.0.1:PORT/...', {method: 'POST', body}) sends: a simple request.
    const fromPage = await post('/v2/repository/models/add_sub/unload', {
      origin: 'http://evil.example',
      'content-type': 'text/plain',
    });
    assert.equal(fromPage.status, 403);
    assert.match(JSON.parse(fromPage.body).error, /requests from web pages \(Origin: http:\/\/evil\.example\)/);
    const rebound = await post('/v2/repository/models/add_sub/unload', { host: `evil.example:${port}` });
    assert.equal(rebound.status, 403);
    assert.match(JSON.parse(rebound.body).error, /loopback names only \(Host: evil\.example/);
    assert.equal(await client.modelReady('add_sub'), true, 'still loaded');
    // Loopback names, as clients send them, are served.
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost']) {
      const r = await post('/v2/repository/models/add_sub/load', { host });
      assert.equal(r.status, 200, `${host}: ${r.body}`);
    }
  });

  test('a body declared huge but not sent reserves no memory for it', async () => {
    const port = Number(server.httpUrl!.split(':').pop());
    const before = process.memoryUsage().arrayBuffers;
    const socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(
      `POST /v2/models/add_sub/infer HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 1500000000\r\n\r\n{"inputs":`,
    );
    await new Promise((r) => setTimeout(r, 300));
    const grown = process.memoryUsage().arrayBuffers - before;
    socket.destroy();
    assert.ok(grown < 100 * 2 ** 20, `ArrayBuffer memory grew by ${(grown / 2 ** 20).toFixed(0)} MB`);
    assert.equal(await client.serverLive(), true);
  });

  test('createTritonClient picks HTTP for http:// URLs and for protocol "http"', async () => {
    const byUrl = createTritonClient({ url: `http://${server.httpUrl}` });
    const byOption = createTritonClient({ url: server.httpUrl!, protocol: 'http' });
    try {
      assert.equal(byUrl.protocol, 'http');
      assert.equal(byOption.protocol, 'http');
      assert.equal(await byUrl.serverLive(), true);
      assert.deepEqual(await byOption.serverMetadata(), await client.serverMetadata());
      assert.throws(() => createTritonClient({ url: `http://${server.httpUrl}`, protocol: 'grpc' }), /contradicts/);
    } finally {
      byUrl.close();
      byOption.close();
    }
  });

  test("connection failures, deadlines and cancellation are the gRPC client's errors", async () => {
    const none = new HttpTritonClient({ url: '127.0.0.1:1', timeoutMs: 2000 });
    await rejects(none.serverLive(), 'UNAVAILABLE', /ECONNREFUSED/);
    await assert.rejects(
      none.serverLive(),
      /UNAVAILABLE: cannot connect to Triton at 127\.0\.0\.1:1 \(connection refused/,
    );
    none.close();
    // A server that accepts and never answers: the call ends at its deadline.
    const silent = createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const port = (silent.address() as AddressInfo).port;
    const slow = new HttpTritonClient({ url: `127.0.0.1:${port}`, timeoutMs: 300 });
    try {
      await rejects(slow.serverLive(), 'DEADLINE_EXCEEDED', 'Deadline Exceeded');
      await assert.rejects(
        slow.modelMetadata('m', '', { timeoutMs: 200 }),
        new RegExp(
          `^TritonError: DEADLINE_EXCEEDED: GET /v2/models/m did not complete after 200 ms \\(server 127\\.0\\.0\\.1:${port}\\)$`,
        ),
      );
    } finally {
      slow.close();
      silent.closeAllConnections();
      silent.close();
    }
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      client.serverLive({ signal: controller.signal }),
      /CANCELLED: GET \/v2\/health\/live was cancelled/,
    );
    const closed = new HttpTritonClient({ url: server.httpUrl! });
    closed.close();
    await assert.rejects(closed.serverLive(), /CANCELLED/);
  });
});
