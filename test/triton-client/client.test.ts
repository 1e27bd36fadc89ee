/**
 * TritonClient over real loopback gRPC against a small peer server (helpers/peerServer.ts):
 * every RPC's conversions, what goes on the wire, error mapping, deadlines, streaming.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import net from 'node:net';
import { TritonClient, TritonError, parseTritonUrl } from '../../electron/triton';
import { decodeTensor, encodeTensor, makeTensor } from '../../shared/tensor/codec';
import { startPeerServer, type PeerServer } from './helpers/peerServer';

let peer: PeerServer;
let client: TritonClient;

before(async () => {
  peer = await startPeerServer();
  client = new TritonClient({ url: peer.url, timeoutMs: 5000 });
});
after(async () => {
  client.close();
  await peer.close();
});

const last = (rpc: string) => [...peer.received].reverse().find((r) => r.rpc === rpc)!.request;

test('health and metadata RPCs', async () => {
  assert.equal(await client.serverLive(), true);
  assert.equal(await client.serverReady(), false); // absent bool on the wire -> false, not undefined
  assert.deepEqual(await client.serverMetadata(), {
    name: 'triton',
    version: '2.61.0',
    extensions: ['model_repository', 'statistics'],
  });
  assert.equal(await client.modelReady('echo'), true);
  assert.equal(await client.modelReady('other', '3'), false);
  assert.deepEqual(last('ModelReady'), { name: 'other', version: '3' });
  const md = await client.modelMetadata('echo');
  assert.deepEqual(md.inputs[0], { name: 'x', datatype: 'FP32', shape: [-1, 3, 360, 640] });
  assert.deepEqual(md.outputs[0].shape, [-1, 2784, 77]);
  assert.equal(await client.healthCheck(), 'SERVING');
});

test('modelConfig: proto names, enum names, int64 as numbers, defaults omitted', async () => {
  const cfg = await client.modelConfig('echo');
  assert.equal(cfg.max_batch_size, 8);
  assert.deepEqual(cfg.input, [{ name: 'x', data_type: 'TYPE_FP32', format: 'FORMAT_NCHW', dims: [3, 360, 640] }]);
  assert.deepEqual(cfg.dynamic_batching, { max_queue_delay_microseconds: 100, preferred_batch_size: [4, 8] });
  assert.deepEqual(cfg.instance_group, [{ name: 'echo_0', kind: 'KIND_CPU', count: 2 }]);
  assert.deepEqual(cfg.parameters, { k: { string_value: 'v' } });
  assert.equal('batch_input' in cfg, false, 'empty repeated fields are omitted');
  assert.equal('runtime' in cfg, false, 'default scalars are omitted');
});

test('modelStatistics keeps uint64 counters exact as strings and fills absent durations', async () => {
  const [s] = await client.modelStatistics('echo');
  assert.equal(s.inference_count, '18446744073709551615');
  assert.deepEqual(s.inference_stats.success, { count: '3', ns: '9007199254740993' });
  assert.deepEqual(s.inference_stats.fail, { count: '0', ns: '0' });
  assert.deepEqual(s.batch_stats[0].compute_infer, { count: '3', ns: '42' });
  assert.deepEqual(s.batch_stats[0].compute_input, { count: '0', ns: '0' });
  assert.equal(s.batch_stats[0].batch_size, '1');
  assert.deepEqual(s.response_stats['0'].success, { count: '1', ns: '5' });
  assert.equal(s.last_inference, '1700000000000');
});

test('repositoryIndex normalises name-only entries', async () => {
  const idx = await client.repositoryIndex({ ready: true });
  assert.deepEqual(idx[1], { name: 'never_loaded', version: '', state: '', reason: '' });
  assert.equal(idx[2].reason, 'unable to find backend');
  assert.deepEqual(last('RepositoryIndex'), { repository_name: '', ready: true });
});

test('loadModel sends config as JSON string_param and files as bytes_param file:<path>', async () => {
  const config = { name: 'echo', backend: 'onnxruntime', max_batch_size: 8 };
  await client.loadModel('echo', { config, files: { '1/model.onnx': new Uint8Array([1, 2, 3]) } });
  const req = last('RepositoryModelLoad');
  assert.equal(req.model_name, 'echo');
  assert.equal(req.parameters.config.parameter_choice, 'string_param');
  assert.deepEqual(JSON.parse(req.parameters.config.string_param), config);
  assert.equal(req.parameters['file:1/model.onnx'].parameter_choice, 'bytes_param');
  assert.deepEqual([...req.parameters['file:1/model.onnx'].bytes_param], [1, 2, 3]);
  await client.loadModel('echo', { config: '{"name":"echo"}' });
  assert.equal(last('RepositoryModelLoad').parameters.config.string_param, '{"name":"echo"}');
  await client.loadModel('echo');
  assert.deepEqual(last('RepositoryModelLoad').parameters, {});
  await client.unloadModel('echo', { unloadDependents: true });
  assert.deepEqual(last('RepositoryModelUnload').parameters, {
    unload_dependents: { bool_param: true, parameter_choice: 'bool_param' },
  });
});

test('errors carry code name, number and Triton text, with a one-line message', async () => {
  await assert.rejects(client.modelMetadata('foo'), (e: unknown) => {
    assert.ok(e instanceof TritonError);
    assert.equal(e.code, 'NOT_FOUND');
    assert.equal(e.grpcCode, 5);
    assert.equal(e.details, "Request for unknown model: 'foo' is not found");
    assert.equal(e.message, "NOT_FOUND: Request for unknown model: 'foo' is not found");
    assert.equal(e.rpc, 'ModelMetadata');
    return true;
  });
  await assert.rejects(client.loadModel('bad'), (e: TritonError) => {
    assert.equal(e.code, 'INVALID_ARGUMENT');
    assert.ok(e.details.endsWith(';\n'), 'details keep the server text verbatim');
    assert.equal(
      e.message,
      "INVALID_ARGUMENT: load failed for model 'bad': version 1 is at UNAVAILABLE state: Internal: boom;",
    );
    return true;
  });
});

test('infer: raw bytes out and in, shapes as numbers, parameters both ways, requested outputs', async () => {
  const x = makeTensor('x', 'FP32', [1, 2, 3], new Float32Array([1, 2, 3, 4, 5, 6]));
  const b = makeTensor('b', 'BYTES', [2], ['ab', '']);
  const r = await client.infer({
    model: 'echo',
    id: 'req-1',
    inputs: [x, b],
    parameters: { flag: true, count: 7, big: 2n ** 62n, ratio: 0.5, label: 'hi', u: { uint64: 2n ** 64n - 1n } },
  });
  assert.equal(r.id, 'req-1');
  assert.equal(r.model, 'echo');
  assert.equal(r.version, '1');
  assert.deepEqual(
    r.outputs.map((o) => [o.name, o.datatype, o.shape]),
    [
      ['x_out', 'FP32', [1, 2, 3]],
      ['b_out', 'BYTES', [2]],
    ],
  );
  assert.deepEqual([...decodeTensor('FP32', r.outputs[0].data)], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Buffer.from(r.outputs[1].data), Buffer.from(encodeTensor('BYTES', ['ab', ''])));
  assert.deepEqual(r.parameters, {
    flag: true,
    count: 7,
    big: String(2n ** 62n),
    ratio: 0.5,
    label: 'hi',
    u: '18446744073709551615',
  });
  const sent = last('ModelInfer');
  assert.deepEqual(
    sent.inputs.map((i: { shape: string[] }) => i.shape),
    [['1', '2', '3'], ['2']],
  );
  assert.equal(sent.raw_input_contents.length, 2);
  assert.equal(sent.parameters.count.parameter_choice, 'int64_param');
  assert.equal(sent.parameters.ratio.parameter_choice, 'double_param');
  const only = await client.infer({ model: 'echo', inputs: [x, b], outputs: ['b_out'] });
  assert.deepEqual(
    only.outputs.map((o) => o.name),
    ['b_out'],
  );
  assert.deepEqual(last('ModelInfer').outputs, [{ name: 'b_out', parameters: {} }]);
});

test('infer validates inputs client-side unless told not to', async () => {
  const bad = { name: 'x', datatype: 'FP32', shape: [1, 3], data: new Uint8Array(8) };
  await assert.rejects(
    client.infer({ model: 'echo', inputs: [bad] }),
    /input 'x': FP32 shape \[1,3\] needs 12 bytes, got 8/,
  );
  const r = await client.infer({ model: 'echo', inputs: [bad], validate: false });
  assert.equal(r.outputs[0].data.length, 8);
});

test('infer of 1x3x360x640 FP32 (2.7 MB) passes the 4 MiB default limit both ways', async () => {
  const big = new Float32Array(3 * 360 * 640 * 2).map((_, i) => i % 1000); // 5.5 MB > 4 MiB
  const r = await client.infer({ model: 'echo', inputs: [makeTensor('x', 'FP32', [2, 3, 360, 640], big)] });
  const back = decodeTensor('FP32', r.outputs[0].data);
  assert.equal(back.length, big.length);
  assert.equal(back[123457], big[123457]);
});

test('per-call deadline overrides the default and names the time', async () => {
  const t0 = Date.now();
  await assert.rejects(client.infer({ model: 'slow', inputs: [] }, { timeoutMs: 100 }), (e: TritonError) => {
    assert.equal(e.code, 'DEADLINE_EXCEEDED');
    assert.equal(e.grpcCode, 4);
    assert.match(e.message, /^DEADLINE_EXCEEDED: ModelInfer did not complete after 100 ms/);
    return true;
  });
  assert.ok(Date.now() - t0 < 380, 'the deadline fired before the server answered');
  const quick = new TritonClient({ url: peer.url, timeoutMs: 50 });
  try {
    await assert.rejects(quick.infer({ model: 'slow', inputs: [] }), /after 50 ms/);
    const r = await quick.infer({ model: 'slow', inputs: [] }, { timeoutMs: 3000 });
    assert.equal(r.model, 'slow');
  } finally {
    quick.close();
  }
});

test('an AbortSignal cancels a call', async () => {
  const ac = new AbortController();
  const p = client.infer({ model: 'slow', inputs: [] }, { signal: ac.signal });
  setTimeout(() => ac.abort(), 30);
  await assert.rejects(p, (e: TritonError) => e.code === 'CANCELLED' && /ModelInfer was cancelled/.test(e.message));
});

test('connection refused gives a clear UNAVAILABLE naming the URL', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const dead = new TritonClient({ url: `127.0.0.1:${port}`, timeoutMs: 3000 });
  try {
    await assert.rejects(dead.serverLive(), (e: TritonError) => {
      assert.equal(e.code, 'UNAVAILABLE');
      assert.equal(e.grpcCode, 14);
      assert.equal(
        e.message,
        `UNAVAILABLE: cannot connect to Triton at 127.0.0.1:${port} (connection refused; is the server running and is the port right?)`,
      );
      return true;
    });
  } finally {
    dead.close();
  }
});

test('shared memory (system and CUDA) RPCs', async () => {
  assert.deepEqual(await client.systemSharedMemoryStatus(), []);
  await client.systemSharedMemoryRegister({ name: 'in0', key: '/in0', byteSize: 1024 });
  await assert.rejects(
    client.systemSharedMemoryRegister({ name: 'in0', key: '/in0', byteSize: 1 }),
    /ALREADY_EXISTS: shared memory region 'in0' already in manager/,
  );
  assert.deepEqual(await client.systemSharedMemoryStatus('in0'), [
    { name: 'in0', key: '/in0', offset: 0, byteSize: 1024 },
  ]);
  await client.systemSharedMemoryUnregister();
  await assert.rejects(client.systemSharedMemoryStatus('in0'), (e: TritonError) => e.code === 'NOT_FOUND');
  assert.deepEqual(await client.cudaSharedMemoryStatus(), [{ name: 'gpu0', deviceId: 0, byteSize: 4096 }]);
  await assert.rejects(
    client.cudaSharedMemoryRegister({ name: 'g', rawHandle: new Uint8Array(64), deviceId: 0, byteSize: 16 }),
    (e: TritonError) => e.code === 'UNIMPLEMENTED' && e.grpcCode === 12,
  );
  assert.equal(last('CudaSharedMemoryRegister').raw_handle.length, 64);
  await client.cudaSharedMemoryUnregister('g');
});

test('trace and log settings', async () => {
  assert.deepEqual(await client.traceSetting(), { trace_level: ['OFF'], trace_rate: ['1000'] });
  const t = await client.traceSetting({
    settings: { trace_level: ['TIMESTAMPS', 'TENSORS'], trace_rate: '10', trace_count: null },
    model: 'echo',
  });
  assert.deepEqual(t.trace_level, ['TIMESTAMPS', 'TENSORS']);
  assert.deepEqual(t.trace_count, []);
  assert.equal(last('TraceSetting').model_name, 'echo');
  assert.deepEqual(await client.logSettings(), { log_info: true, log_verbose_level: 0, log_format: 'default' });
  assert.deepEqual(await client.logSettings({ log_verbose_level: 2, log_info: false, log_file: 'x.log' }), {
    log_info: false,
    log_verbose_level: 2,
    log_format: 'default',
    log_file: 'x.log',
  });
  await assert.rejects(client.logSettings({ log_verbose_level: -1 }), /not a uint32/);
});

test('streamInfer matches out-of-order responses by id and keeps going after in-stream errors', async () => {
  const stream = client.streamInfer();
  const x = makeTensor('x', 'INT32', [2], [7, 8]);
  const events: string[] = [];
  stream.on((e) => events.push(`${e.id}:${e.error ? 'error' : 'ok'}`));
  const slow = stream.infer({ model: 'echo', id: 'a', inputs: [x], parameters: { delay_ms: 150 } });
  const fast = stream.infer({ model: 'echo', inputs: [makeTensor('x', 'INT32', [1], [9])] });
  const bad = stream.infer({ model: 'nope', id: 'c', inputs: [x] });
  await assert.rejects(bad, /ModelStreamInfer: Request for unknown model: 'nope' is not found/);
  const [ra, rb] = await Promise.all([slow, fast]);
  assert.equal(ra.id, 'a');
  assert.deepEqual([...decodeTensor('INT32', ra.outputs[0].data)], [7, 8]);
  assert.deepEqual([...decodeTensor('INT32', rb.outputs[0].data)], [9]);
  assert.notEqual(rb.id, '', 'an id was generated');
  assert.ok(events.indexOf('a:ok') > events.indexOf(`${rb.id}:ok`), 'the later request was answered first');
  assert.equal(stream.inFlight, 0);
  await stream.end();
});

test('streams that ended leave no listener on a long-lived abort signal; an abort still cancels an open one', async () => {
  const controller = new AbortController();
  const x = makeTensor('x', 'INT32', [1], [1]);
  for (let i = 0; i < 5; i++) {
    const stream = client.streamInfer({}, { signal: controller.signal });
    await stream.infer({ model: 'echo', inputs: [x] });
    await stream.end();
  }
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  const open = client.streamInfer({}, { signal: controller.signal });
  const pending = open.infer({ model: 'echo', inputs: [x], parameters: { delay_ms: 2000 } });
  controller.abort();
  await assert.rejects(pending, /CANCELLED/);
});

test('streamInfer collects all responses of a decoupled model and iterates events', async () => {
  const stream = client.streamInfer();
  const seen: Array<{ id: string; final: boolean; has: boolean }> = [];
  const iterating = (async () => {
    for await (const e of stream) seen.push({ id: e.id, final: e.final, has: Boolean(e.response) });
  })();
  const all = await stream.inferAll({ model: 'decoupled', id: 'd', inputs: [makeTensor('x', 'UINT8', [1], [1])] });
  assert.deepEqual(
    all.map((r) => r.parameters['step']),
    [0, 1, 2],
  );
  await stream.end();
  await iterating;
  assert.deepEqual(seen, [
    { id: 'd', final: false, has: true },
    { id: 'd', final: false, has: true },
    { id: 'd', final: false, has: true },
    { id: 'd', final: true, has: false },
  ]);
});

test('streamInfer with grpcErrors ends the stream with a gRPC status', async () => {
  const stream = client.streamInfer({ grpcErrors: true });
  const p = stream.infer({ model: 'nope', id: 'z', inputs: [] });
  await assert.rejects(
    p,
    (e: TritonError) =>
      e.code === 'NOT_FOUND' && e.message === "NOT_FOUND: Request for unknown model: 'nope' is not found",
  );
  assert.equal(last('ModelStreamInfer').model_name, 'nope');
  assert.throws(() => stream.send({ model: 'echo', inputs: [] }), /NOT_FOUND/);
});

test('URL parsing and option validation', () => {
  assert.deepEqual(parseTritonUrl('localhost'), {
    target: 'localhost:8001',
    host: 'localhost',
    port: 8001,
    tls: false,
  });
  assert.deepEqual(parseTritonUrl('grpcs://triton.local:443/'), {
    target: 'triton.local:443',
    host: 'triton.local',
    port: 443,
    tls: true,
  });
  assert.equal(parseTritonUrl('[::1]:9000').target, '[::1]:9000');
  assert.throws(() => parseTritonUrl('http://x:8000'), /unsupported URL scheme 'http:\/\/'.*gRPC endpoint/);
  assert.throws(() => parseTritonUrl('x:99999'), /invalid port '99999'/);
  assert.throws(() => parseTritonUrl('::1:8001'), /must be in brackets/);
  assert.throws(
    () => new TritonClient({ url: 'x:1', tls: { cert: '/nonexistent/c.pem', key: '/nonexistent/k.pem' } }),
    /cannot read TLS client certificate file '\/nonexistent\/c.pem': ENOENT/,
  );
  assert.throws(() => new TritonClient({ url: 'x:1', maxMessageBytes: 2 ** 31 }), /maxMessageBytes/);
});

test('hot-path request encoding is byte-identical to protobufjs and safe with pooled buffers', async () => {
  const { encodeInferRequest, BufferPool } = await import('../../electron/triton/inferCodec');
  const { buildInferRequest } = await import('../../electron/triton/client');
  const { loadTritonRoot } = await import('../../electron/triton/protos');
  const T = loadTritonRoot().lookupType('inference.ModelInferRequest');
  const req = {
    model: 'echo',
    version: '2',
    id: 'q',
    parameters: { p: 1, s: 'x' },
    outputs: ['a_out', { name: 'b_out', parameters: { classification: 3 } }],
    inputs: [
      makeTensor('a', 'FP32', [2, 70000], new Float32Array(140000).fill(1.5)),
      makeTensor('b', 'BYTES', [1], ['z']),
      { ...makeTensor('c', 'FP32', [1], [0]), parameters: { shared_memory_region: 'r', shared_memory_byte_size: 4 } },
    ],
  };
  const msg = buildInferRequest(req);
  assert.equal(msg.raw_input_contents.length, 2, 'the shared-memory input carries no raw entry');
  const pool = new BufferPool();
  const ours = encodeInferRequest(msg, pool);
  const reference = Buffer.from(T.encode(T.fromObject(msg)).finish());
  assert.equal(Buffer.compare(ours, reference), 0);
  // Without parameters the header is encoded without fromObject's pass: still byte-identical.
  const plain = buildInferRequest({
    model: 'echo',
    version: '3',
    id: 'r',
    outputs: ['a_out', { name: 'b_out' }],
    inputs: [makeTensor('a', 'FP32', [2, 3], new Float32Array(6)), makeTensor('b', 'BYTES', [1], ['z'])],
  });
  assert.equal(Buffer.compare(encodeInferRequest(plain), Buffer.from(T.encode(T.fromObject(plain)).finish())), 0);
  const unchecked = buildInferRequest({
    model: 'echo',
    inputs: [{ name: 'big', datatype: 'FP32', shape: [2 ** 40, -1], data: new Uint8Array(4) }],
    validate: false,
  });
  assert.equal(
    Buffer.compare(encodeInferRequest(unchecked), Buffer.from(T.encode(T.fromObject(unchecked)).finish())),
    0,
  );
  // Headers are cached per model/version/id/names/shapes: requests that differ only where a naive
  // key would run fields together each keep their own bytes, first encode and again from the cache.
  const lookalikes = [
    { model: 'ab', id: 'c', inputs: [makeTensor('x', 'FP32', [1, 2], new Float32Array(2))] },
    { model: 'a', id: 'bc', inputs: [makeTensor('x', 'FP32', [1, 2], new Float32Array(2))] },
    { model: 'a', id: 'bc', inputs: [makeTensor('x', 'FP32', [12], new Float32Array(12))] },
    { model: 'a', id: 'bc', inputs: [makeTensor('x', 'FP32', [1, 2], new Float32Array(2))], outputs: ['y'] },
    { model: 'a', id: 'bc', inputs: [makeTensor('x', 'FP32', [1, 2], new Float32Array(2))], outputs: ['y', 'z'] },
    { model: 'a', id: 'bc', inputs: [makeTensor('x', 'INT32', [1, 2], new Int32Array(2))] },
    { model: 'a', version: '1', id: 'bc', inputs: [makeTensor('x', 'FP32', [1, 2], new Float32Array(2))] },
  ];
  for (let round = 0; round < 2; round++)
    for (const r of lookalikes) {
      const m = buildInferRequest(r);
      assert.equal(
        Buffer.compare(encodeInferRequest(m), Buffer.from(T.encode(T.fromObject(m)).finish())),
        0,
        `${JSON.stringify({ ...r, inputs: r.inputs.map((t) => [t.name, t.datatype, t.shape]) })}, round ${round + 1}`,
      );
    }
  pool.release(ours);
  assert.equal(encodeInferRequest(msg, pool), ours, 'a released buffer of the same size is reused');
  assert.notEqual(encodeInferRequest(msg, pool), ours, 'a buffer in use is not handed out twice');
  // Concurrent calls of the same size each keep their own bytes until they complete.
  const results = await Promise.all(
    [1, 2, 3, 4].map((k) =>
      client.infer({ model: 'echo', inputs: [makeTensor('x', 'FP32', [100000], new Float32Array(100000).fill(k))] }),
    ),
  );
  results.forEach((r, k) => {
    const v = decodeTensor('FP32', r.outputs[0].data);
    assert.ok(
      v.every((x) => x === k + 1),
      `call ${k + 1} got its own data`,
    );
  });
});

test('allocateInput: the request is sent from the tensor memory itself and decodes to the same message', async () => {
  const { BufferPool, encodeInferRequestInPlace, releaseRequestBytes } =
    await import('../../electron/triton/inferCodec');
  const { buildInferRequest } = await import('../../electron/triton/client');
  const { loadTritonRoot } = await import('../../electron/triton/protos');
  const T = loadTritonRoot().lookupType('inference.ModelInferRequest');
  const input = client.allocateInput('x', 'FP32', [3, 1000]);
  assert.equal(input.data.length, 12000);
  new Float32Array(input.data.buffer, input.data.byteOffset, 3000).fill(2.5);
  const msg = buildInferRequest({ model: 'echo', version: '1', id: 'z', parameters: { p: 1 }, inputs: [input] });
  const inPlace = encodeInferRequestInPlace(msg)!;
  assert.ok(inPlace, 'a lone arena input is encoded in place');
  assert.equal(inPlace.buffer, input.data.buffer, 'no copy: the bytes are a view of the arena');
  assert.equal(
    Buffer.compare(inPlace, Buffer.from(T.encode(T.fromObject(msg)).finish())),
    0,
    'byte-identical to protobufjs',
  );
  assert.equal(encodeInferRequestInPlace(msg), undefined, 'a busy arena is not encoded in place twice');
  releaseRequestBytes(inPlace, new BufferPool());
  assert.ok(encodeInferRequestInPlace(msg), 'released, the arena is encoded in place again');
  releaseRequestBytes(inPlace, new BufferPool());
  // A copy of the data, or a request with two inputs, takes the copying path.
  assert.equal(
    encodeInferRequestInPlace(buildInferRequest({ model: 'echo', inputs: [makeTensor('x', 'FP32', [1], [1])] })),
    undefined,
  );
  assert.equal(encodeInferRequestInPlace(buildInferRequest({ model: 'echo', inputs: [input, input] })), undefined);

  // Over the wire: the server sees the values; concurrent calls with the same tensor all succeed,
  // and the arena can be refilled for the next frame once they are done.
  const [a, b] = await Promise.all([
    client.infer({ model: 'echo', inputs: [input] }),
    client.infer({ model: 'echo', inputs: [input] }),
  ]);
  for (const r of [a, b]) assert.ok(decodeTensor('FP32', r.outputs[0].data).every((v) => v === 2.5));
  new Float32Array(input.data.buffer, input.data.byteOffset, 3000).fill(-1);
  const c = await client.infer({ model: 'echo', inputs: [input] });
  assert.ok(decodeTensor('FP32', c.outputs[0].data).every((v) => v === -1));
  assert.throws(() => client.allocateInput('s', 'BYTES', [1]), /no fixed element size/);
});
