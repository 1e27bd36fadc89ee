/**
 * Integration over real loopback gRPC: the embedded server behaves as Triton does where its core,
 * gRPC server and ONNX Runtime backend sources decide (issue 10): failed loads leave the serving
 * version alone, configs that contradict the model file are refused at load, ensembles come back
 * with their parts, the request id prefix, the extensions list, preferred_batch_size without
 * batching, unknown trace/log keys, and BYTES through ONNX string tensors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { TritonClient, TritonError } from '../../electron/triton';
import { f32, makeRepository, readF32, type Repo } from './fixtures';

let repo: Repo;
let server: EmbeddedServer;
let client: TritonClient;

before(async () => {
  repo = makeRepository();
  server = await startEmbeddedServer({
    modelRepository: repo.dir,
    controlMode: 'explicit',
    loadModels: ['add_sub', 'pipeline', 'scaled', 'ints', 'strings'],
  });
  client = new TritonClient({ url: server.url, timeoutMs: 20_000 });
});

after(async () => {
  client?.close();
  await server?.close();
  repo?.cleanup();
});

async function rejects(p: Promise<unknown>, code: string, details: string | RegExp): Promise<string> {
  let message = '';
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof TritonError, `expected TritonError, got ${String(err)}`);
    assert.equal(err.code, code, `code for: ${err.details}`);
    if (typeof details === 'string') assert.equal(err.details, details);
    else assert.match(err.details, details);
    message = err.details;
    return true;
  });
  return message;
}

const addSubConfig = (patch: (c: any) => void = () => {}) => {
  const c: any = {
    name: 'add_sub',
    backend: 'onnxruntime',
    max_batch_size: 0,
    input: [
      { name: 'A', data_type: 'TYPE_FP32', dims: [4] },
      { name: 'B', data_type: 'TYPE_FP32', dims: [4] },
    ],
    output: [
      { name: 'SUM', data_type: 'TYPE_FP32', dims: [4] },
      { name: 'DIFF', data_type: 'TYPE_FP32', dims: [4] },
    ],
  };
  patch(c);
  return c;
};

const addInputs = (b = [10, 20, 30, 40]) => [
  { name: 'A', datatype: 'FP32', shape: [4], data: f32([1, 2, 3, 4]) },
  { name: 'B', datatype: 'FP32', shape: [4], data: f32(b) },
];

/** The serving add_sub (FP32) and the pipeline built on it are untouched. */
async function assertAddSubServingAsBefore(): Promise<void> {
  assert.equal(await client.modelReady('add_sub'), true);
  const cfg = await client.modelConfig('add_sub');
  assert.deepEqual(
    cfg.input?.map((i) => [i.name, i.data_type, i.dims]),
    [
      ['A', 'TYPE_FP32', [4]],
      ['B', 'TYPE_FP32', [4]],
    ],
  );
  assert.equal(cfg.dynamic_batching, undefined);
  const md = await client.modelMetadata('add_sub');
  assert.deepEqual(
    md.inputs.map((i) => [i.name, i.datatype, i.shape]),
    [
      ['A', 'FP32', [4]],
      ['B', 'FP32', [4]],
    ],
  );
  const r = await client.infer({ model: 'add_sub', inputs: addInputs() });
  assert.deepEqual(readF32(r.outputs.find((o) => o.name === 'SUM')!.data), [11, 22, 33, 44]);
  const index = await client.repositoryIndex();
  assert.deepEqual(
    index.filter((e) => e.name === 'add_sub' || e.name === 'pipeline').map((e) => [e.name, e.version, e.state]),
    [
      ['add_sub', '1', 'READY'],
      ['pipeline', '1', 'READY'],
    ],
  );
  assert.equal(await client.modelReady('pipeline'), true);
  const p = await client.infer({
    model: 'pipeline',
    inputs: [{ name: 'IN', datatype: 'FP32', shape: [4], data: f32([1, 2, 3, 4]) }],
  });
  assert.deepEqual(readF32(p.outputs[0].data), [3, 6, 9, 12]);
}

describe('loads that fail', () => {
  test('(1) an FP16 override against an FP32 model is refused in the backend wording; nothing serving changes', async () => {
    await assertAddSubServingAsBefore();
    const msg = await rejects(
      client.loadModel('add_sub', { config: addSubConfig((c) => (c.input[0].data_type = 'TYPE_FP16')) }),
      'INVALID_ARGUMENT',
      /unable to load model 'add_sub', configuration expects datatype TYPE_FP16 for input 'A', model provides TYPE_FP32/,
    );
    assert.match(msg, /^load failed for model 'add_sub': version 1 is at UNAVAILABLE state: /);
    await assertAddSubServingAsBefore();
    assert.equal(await client.serverReady(), true);
  });

  test('(7) config that contradicts the model file (name, output datatype, fixed dim) is refused at load', async () => {
    const cases: [(c: any) => void, RegExp][] = [
      [
        (c) => (c.input[0].dims = [5]),
        /model 'add_sub', tensor 'A': the model expects 1 dimensions \(shape \[4\]\) but the model configuration specifies 1 dimensions \(shape \[5\]\)/,
      ],
      [(c) => (c.input[1].name = 'Z'), /unexpected inference input 'Z', allowed inputs are: A, B/],
      [(c) => (c.output[1].name = 'PRODUCT'), /unexpected inference output 'PRODUCT', allowed outputs are: DIFF, SUM/],
      [
        (c) => (c.output[0].data_type = 'TYPE_FP16'),
        /configuration expects datatype TYPE_FP16 for output 'SUM', model provides TYPE_FP32/,
      ],
      [
        (c) => (c.output[0].dims = [-1]),
        /tensor 'SUM': the model expects 1 dimensions \(shape \[4\]\) but the model configuration specifies 1 dimensions \(shape \[-1\]\)/,
      ],
    ];
    for (const [patch, wording] of cases) {
      await rejects(client.loadModel('add_sub', { config: addSubConfig(patch) }), 'INVALID_ARGUMENT', wording);
      await assertAddSubServingAsBefore();
    }
    // So is a variable dim where the model's is fixed (the backend compares every dim the model fixes).
    await rejects(
      client.loadModel('add_sub', { config: addSubConfig((c) => (c.input[0].dims = [-1])) }),
      'INVALID_ARGUMENT',
      /tensor 'A': the model expects 1 dimensions \(shape \[4\]\) but the model configuration specifies 1 dimensions \(shape \[-1\]\)/,
    );
    // A config that agrees with the model still loads, and is what then serves.
    await client.loadModel('add_sub', {
      config: addSubConfig((c) => (c.instance_group = [{ kind: 'KIND_CPU', count: 2 }])),
    });
    assert.equal(((await client.modelConfig('add_sub')) as any).instance_group?.[0].count, 2);
    await client.loadModel('add_sub');
    await assertAddSubServingAsBefore();
  });

  test('(5) preferred_batch_size on a model without batching is refused, as Triton validation refuses it', async () => {
    await rejects(
      client.loadModel('add_sub', {
        config: addSubConfig((c) => (c.dynamic_batching = { preferred_batch_size: [4] })),
      }),
      'INTERNAL',
      "failed to load 'add_sub', failed to poll from model repository",
    );
    await assertAddSubServingAsBefore();
  });
});

describe('ensembles and their parts', () => {
  test('(2) unloading a composing model takes the ensemble down; loading it again brings the ensemble back READY', async () => {
    await client.unloadModel('add_sub');
    assert.equal(await client.modelReady('pipeline'), false);
    await client.loadModel('add_sub');
    assert.equal(await client.modelReady('pipeline'), true, 'the ensemble is READY again');
    await assertAddSubServingAsBefore();
  });
});

describe('request id prefix', () => {
  const cases: [string, () => any[], string, RegExp][] = [
    [
      'add_sub',
      () => [addInputs()[0], { name: 'B', datatype: 'FP32', shape: [5], data: f32([1, 2, 3, 4, 5]) }],
      'shape',
      /unexpected shape for input 'B'/,
    ],
    [
      'add_sub',
      () => [addInputs()[0], { name: 'B', datatype: 'FP64', shape: [4], data: new Uint8Array(32) }],
      'datatype',
      /data-type is 'FP64'/,
    ],
    [
      'add_sub',
      () => [addInputs()[0], { name: 'B', datatype: 'FP99', shape: [4], data: new Uint8Array(16) }],
      'invalid datatype',
      /data-type is '<invalid>'/,
    ],
    [
      'add_sub',
      () => [addInputs()[0], { name: 'B', datatype: 'FP32', shape: [4], data: new Uint8Array(12) }],
      'byte size',
      /input byte size mismatch/,
    ],
    [
      'scaled',
      () => [{ name: 'INPUT', datatype: 'FP32', shape: [9, 3], data: new Uint8Array(108) }],
      'batch size',
      /batch-size must be <= 8/,
    ],
    [
      'ints',
      () => [{ name: 'X', datatype: 'INT32', shape: [-1], data: new Uint8Array(0) }],
      'unspecified dims',
      /All input dimensions should be specified/,
    ],
  ];
  test('(3) unary: shape, datatype, <invalid>, byte size, batch size, unspecified dims errors start with [request id: <id>]', async () => {
    for (const [model, inputs, what, text] of cases) {
      const msg = await rejects(
        client.infer({ model, id: `rq-${what}`, inputs: inputs(), validate: false }),
        'INVALID_ARGUMENT',
        text,
      );
      assert.ok(msg.startsWith(`[request id: rq-${what}] `), msg);
      const anon = await rejects(client.infer({ model, inputs: inputs(), validate: false }), 'INVALID_ARGUMENT', text);
      assert.ok(anon.startsWith('[request id: <id_unknown>] '), anon);
    }
  });

  test('(3) streams carry the same prefix', async () => {
    const stream = client.streamInfer();
    for (const [model, inputs, what, text] of cases) {
      const err = await stream.infer({ model, id: `st-${what}`, inputs: inputs(), validate: false }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof TritonError, what);
      assert.match(err.details, text);
      assert.ok(err.details.startsWith(`[request id: st-${what}] `), err.details);
    }
    await stream.end();
  });
});

describe('server settings and metadata', () => {
  test("(4) ServerMetadata lists all of Triton's extensions in Triton's order", async () => {
    assert.deepEqual((await client.serverMetadata()).extensions, [
      'classification',
      'sequence',
      'model_repository',
      'model_repository(unload_dependents)',
      'schedule_policy',
      'model_configuration',
      'system_shared_memory',
      'cuda_shared_memory',
      'binary_tensor_data',
      'parameters',
      'statistics',
      'trace',
      'logging',
    ]);
  });

  test('(6) trace settings: unknown keys and levels are ignored, trace_file is UNSUPPORTED, bad numbers as Triton words them', async () => {
    const s = await client.traceSetting({ settings: { no_such_setting: 'x', trace_rate: '50' } });
    assert.deepEqual(s.trace_rate, ['50']);
    assert.equal(s.no_such_setting, undefined);
    assert.deepEqual((await client.traceSetting({ settings: { trace_level: ['TIMESTAMPS', 'LOUD'] } })).trace_level, [
      'TIMESTAMPS',
    ]);
    await rejects(
      client.traceSetting({ settings: { trace_file: '/tmp/x' } }),
      'UNIMPLEMENTED',
      'trace file location can not be updated through network protocol',
    );
    await rejects(
      client.traceSetting({ settings: { trace_count: 'many' } }),
      'INVALID_ARGUMENT',
      "Unable to parse 'trace_count', got: many",
    );
    await rejects(
      client.traceSetting({ settings: { trace_rate: ['1', '2'] } }),
      'INVALID_ARGUMENT',
      "expect only 1 value for 'trace_rate'",
    );
    await client.traceSetting({ settings: { trace_rate: null, trace_level: null } });
  });

  test('(6) log settings: unknown keys are ignored, log_file is UNSUPPORTED, wrong kinds as Triton words them', async () => {
    const s = await client.logSettings({ no_such_setting: true, log_verbose_level: 2 });
    assert.equal(s.log_verbose_level, 2);
    assert.equal(s.no_such_setting, undefined);
    await rejects(
      client.logSettings({ log_file: '/tmp/x' }),
      'UNIMPLEMENTED',
      'log file location can not be updated through network protocol',
    );
    await rejects(client.logSettings({ log_info: 'yes' }), 'INVALID_ARGUMENT', "expect boolean for 'log_info'");
    await rejects(
      client.logSettings({ log_verbose_level: true }),
      'INVALID_ARGUMENT',
      "expect int32 for 'log_verbose_level'",
    );
    await client.logSettings({ log_verbose_level: 0 });
  });
});

describe('BYTES through ONNX string tensors', () => {
  const bytesOf = (items: Buffer[]) => {
    const parts: Buffer[] = [];
    for (const b of items) {
      const len = Buffer.alloc(4);
      len.writeUInt32LE(b.length, 0);
      parts.push(len, b);
    }
    return new Uint8Array(Buffer.concat(parts));
  };
  const elements = (bytes: Uint8Array) => {
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: Buffer[] = [];
    for (let o = 0; o < b.length;) {
      const len = b.readUInt32LE(o);
      out.push(Buffer.from(b.subarray(o + 4, o + 4 + len)));
      o += 4 + len;
    }
    return out;
  };
  const send = (items: Buffer[]) =>
    client.infer({ model: 'strings', inputs: [{ name: 'X', datatype: 'BYTES', shape: [2], data: bytesOf(items) }] });

  test('(8) valid UTF-8 round-trips byte-exact; an element is cut at its first NUL, as a C string', async () => {
    const utf8 = Buffer.from('\uFEFFvoie ✓ 車線 🚗', 'utf8'); // a leading BOM is data too
    const r = await send([utf8, Buffer.from('ab\0cd', 'latin1')]);
    const [a, b] = elements(r.outputs[0].data);
    assert.ok(a.equals(utf8), a.toString('hex'));
    assert.ok(b.equals(Buffer.from('ab')), b.toString('hex'));
  });

  test('(8) elements that are not UTF-8 are refused with INVALID_ARGUMENT, never silently altered', async () => {
    await rejects(
      send([Buffer.from([0xff, 0xfe]), Buffer.from('ok')]),
      'INVALID_ARGUMENT',
      /element 0 of input 'X'.*not valid UTF-8.*onnxruntime-node/,
    );
    // Bytes after the first NUL do not matter (Triton never passes them on).
    const r = await send([Buffer.from([0x61, 0x00, 0xff]), Buffer.from('ok')]);
    assert.deepEqual(
      elements(r.outputs[0].data).map((e) => e.toString('hex')),
      ['61', Buffer.from('ok').toString('hex')],
    );
  });
});
