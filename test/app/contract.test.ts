/**
 * The contract: schemas accept what the services/renderer send and refuse malformed payloads with a
 * message naming the field; the WebSocket framing round-trips binary tensors exactly, also when a
 * large frame travels in parts, and refuses malformed frames and parts with errors that say why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiMethods,
  apiEvents,
  API_METHOD_NAMES,
  parseRequest,
  parseResponse,
  isApiMethod,
  encodeFrame,
  encodeFrameParts,
  decodeFrame,
  FrameAssembler,
  FrameError,
  readFrameHeader,
  frameSegments,
  planFrame,
  createWebSocketTransport,
  type WebSocketLike,
  ApiError,
  serializeError,
  deserializeError,
  type WireMessage,
} from '../../shared/contract';

function expectInvalid(fn: () => unknown, fieldText: RegExp) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApiError, 'throws ApiError');
    assert.equal(err.code, 'INVALID_ARGUMENT');
    assert.match(err.message, fieldText);
    return true;
  });
}

test('every method has request and response schemas; events have schemas', () => {
  assert.ok(API_METHOD_NAMES.length >= 25);
  for (const name of API_METHOD_NAMES) {
    assert.ok(apiMethods[name].request, name);
    assert.ok(apiMethods[name].response, name);
  }
  assert.deepEqual(Object.keys(apiEvents).sort(), [
    'connectionStatus',
    'connectionsChanged',
    'demoStatus',
    'menuCommand',
    'repositoriesChanged',
  ]);
});

test('isApiMethod only accepts own method names (no prototype keys)', () => {
  assert.equal(isApiMethod('infer'), true);
  for (const bad of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '', 42, null]) {
    assert.equal(isApiMethod(bad), false, String(bad));
  }
});

test('infer request: valid tensors pass, byte size must match shape x datatype', () => {
  const data = new Uint8Array(2 * 3 * 4);
  const req = parseRequest('infer', {
    connectionId: 'c1',
    model: 'lanes',
    inputs: [{ name: 'images', datatype: 'FP32', shape: [2, 3], data }],
  });
  assert.equal(req.inputs[0].data, data, 'bytes are not copied by validation');
  expectInvalid(
    () =>
      parseRequest('infer', {
        connectionId: 'c1',
        model: 'lanes',
        inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 3], data: new Uint8Array(23) }],
      }),
    /inputs\[0\]\.data: tensor 'x': shape \[2,3\] of FP32 needs 24 bytes, got 23/,
  );
  expectInvalid(
    () =>
      parseRequest('infer', {
        connectionId: 'c1',
        model: 'lanes',
        inputs: [{ name: 'x', datatype: 'FP33', shape: [1], data: new Uint8Array(4) }],
      }),
    /inputs\[0\]\.datatype/,
  );
  expectInvalid(
    () =>
      parseRequest('infer', {
        connectionId: 'c1',
        model: 'lanes',
        inputs: [{ name: 'x', datatype: 'FP32', shape: [1], data: [0, 0, 0, 0] }],
      }),
    /inputs\[0\]\.data: Expected a Uint8Array/,
  );
  // Node Buffers are Uint8Arrays and are accepted.
  parseRequest('infer', {
    connectionId: 'c',
    model: 'm',
    inputs: [{ name: 'x', datatype: 'UINT8', shape: [3], data: Buffer.from([1, 2, 3]) }],
  });
});

test('infer request: an image as 8-bit planes is checked against its shape; a request needs some input', () => {
  const image = {
    name: 'input',
    datatype: 'FP16',
    shape: [1, 3, 2, 4],
    planes: new Uint8Array(24),
    scale: 1 / 255,
    mean: [0, 0, 0],
    std: [1, 1, 1],
  };
  const req = parseRequest('infer', { connectionId: 'c', model: 'm', inputs: [], image });
  assert.equal(req.image?.planes, image.planes, 'planes are not copied by validation');
  expectInvalid(
    () =>
      parseRequest('infer', {
        connectionId: 'c',
        model: 'm',
        inputs: [],
        image: { ...image, planes: new Uint8Array(23) },
      }),
    /image\.planes: image 'input': shape \[1,3,2,4\] needs 24 8-bit samples in 3 planes, got 23 bytes/,
  );
  expectInvalid(
    () => parseRequest('infer', { connectionId: 'c', model: 'm', inputs: [], image: { ...image, std: [1, 0, 1] } }),
    /image\.std: std must be non-zero/,
  );
  expectInvalid(
    () => parseRequest('infer', { connectionId: 'c', model: 'm', inputs: [], image: { ...image, datatype: 'UINT8' } }),
    /image\.datatype/,
  );
  expectInvalid(
    () =>
      parseRequest('infer', { connectionId: 'c', model: 'm', inputs: [], image: { ...image, mean: [0, 0, Infinity] } }),
    /image\.mean/,
  );
  expectInvalid(
    () => parseRequest('infer', { connectionId: 'c', model: 'm', inputs: [] }),
    /inputs: a request needs at least one input \(inputs or image\)/,
  );
});

test('requests are strict: unknown keys and wrong types are refused, naming the field', () => {
  expectInvalid(() => parseRequest('connect', { id: 'a', extra: 1 }), /extra|Unrecognized key/i);
  expectInvalid(() => parseRequest('connect', {}), /id:/);
  expectInvalid(
    () => parseRequest('saveConnection', { name: 'orin', url: 'orin:99999' }),
    /url: port '99999' is not a number from 1 to 65535/,
  );
  expectInvalid(
    () => parseRequest('modelMetadata', { connectionId: 'c', model: 'm', version: 'v1' }),
    /version: version must be a decimal/,
  );
  expectInvalid(() => parseRequest('appInfo', { sneaky: true }), /sneaky|Unrecognized key/i);
  expectInvalid(() => parseRequest('readDemoMedia', { name: '../secret' }), /name: a file name or folder\/file/);
  expectInvalid(
    () => parseRequest('readDemoMedia', { name: 'video/../../secret' }),
    /name: a file name or folder\/file/,
  );
  expectInvalid(() => parseRequest('readDemoMedia', { name: '/etc/passwd' }), /name: a file name or folder\/file/);
  expectInvalid(() => parseRequest('readDemoMedia', { name: 'a\\b' }), /name: a file name or folder\/file/);
  assert.deepEqual(parseRequest('readDemoMedia', { name: 'video/road.webm' }), { name: 'video/road.webm' });
  expectInvalid(
    () => parseRequest('loadModel', { connectionId: 'c', model: 'm', configOverride: { pbtxt: 'x', json: {} } }),
    /configOverride/,
  );
  // methods without arguments accept undefined and {}
  assert.equal(parseRequest('appInfo', undefined), undefined);
  assert.deepEqual(parseRequest('listConnections', {}), {});
  const p = parseRequest('saveConnection', {
    name: 'orin',
    url: '10.0.0.5:8001',
    tls: { enabled: true, caPath: '/etc/ca.pem', certPath: '/c.pem', keyPath: '/k.pem' },
  });
  assert.equal(p.tls?.caPath, '/etc/ca.pem');
  parseRequest('saveConnection', { name: 'v6', url: '[::1]:8001' });
});

test('responses are validated too', () => {
  const status = {
    id: 'c1',
    state: 'connected',
    live: true,
    ready: true,
    metadata: { name: 'triton', version: '2.50.0', extensions: ['statistics'] },
    error: null,
    lastCheckedAt: 1,
    latencyMs: 0.5,
    nextCheckInMs: 2000,
    consecutiveFailures: 0,
  };
  assert.deepEqual(parseResponse('connect', status), status);
  expectInvalid(() => parseResponse('connect', { ...status, state: 'happy' }), /invalid response from connect: state/);
});

test('errors serialize to {code, message} and back', () => {
  const e = deserializeError(serializeError(new ApiError('CONFLICT', 'changed on disk')));
  assert.ok(e instanceof ApiError);
  assert.equal(e.code, 'CONFLICT');
  assert.equal(e.message, 'changed on disk');
  const fsErr = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
  assert.deepEqual(serializeError(fsErr), { code: 'NOT_FOUND', message: 'ENOENT: no such file' });
  const grpcLike = Object.assign(new Error("Request for unknown model: 'x' is not found"), {
    code: 'NOT_FOUND',
    grpcCode: 5,
  });
  assert.equal(serializeError(grpcLike).code, 'NOT_FOUND');
  assert.deepEqual(serializeError('boom'), { code: 'INTERNAL', message: 'boom' });
});

test('framing round-trips nested binary blobs exactly, aligned for typed-array views', () => {
  const a = new Float32Array([1.5, -2, Math.PI, 1e-30]);
  const b = new Uint8Array([1, 2, 3]); // odd length: the next blob must still be aligned
  const c = new Float64Array([Number.MAX_VALUE, -0]);
  const msg: WireMessage = {
    t: 'result',
    id: 7,
    ok: true,
    payload: {
      outputs: [
        { name: 'a', datatype: 'FP32', shape: [4], data: new Uint8Array(a.buffer) },
        { name: 'b', datatype: 'UINT8', shape: [3], data: b },
        { name: 'c', datatype: 'FP64', shape: [2], data: new Uint8Array(c.buffer) },
      ],
      timing: { encodeMs: 0.1 },
      text: 'héllo ✓',
    },
  };
  const frame = encodeFrame(msg);
  // decode from a fresh ArrayBuffer, as a browser WebSocket delivers it
  const copy = frame.slice().buffer;
  const back = decodeFrame(copy) as Extract<WireMessage, { t: 'result'; ok: true }>;
  const outs = (back.payload as { outputs: { data: Uint8Array }[]; text: string }).outputs;
  assert.equal((back.payload as { text: string }).text, 'héllo ✓');
  for (const o of outs) assert.equal(o.data.byteOffset % 8, 0, 'blob aligned');
  assert.deepEqual([...new Float32Array(outs[0].data.buffer, outs[0].data.byteOffset, 4)], [...a]);
  assert.deepEqual([...outs[1].data], [1, 2, 3]);
  assert.deepEqual([...new Float64Array(outs[2].data.buffer, outs[2].data.byteOffset, 2)], [...c]);
  // and from a Node Buffer at an odd offset (ws may hand us a slice)
  const padded = Buffer.alloc(frame.byteLength + 3);
  padded.set(frame, 3);
  const back2 = decodeFrame(padded.subarray(3)) as typeof back;
  assert.deepEqual([...(back2.payload as { outputs: { data: Uint8Array }[] }).outputs[1].data], [1, 2, 3]);
});

test('framing keeps a "__proto__" key as an own field: nothing inherited from what the sender put there', () => {
  const header = new TextEncoder().encode(
    JSON.stringify({ m: { t: 'call', id: 1, method: 'listModels', payload: { a: 1 } }, blobs: [] }).replace(
      '{"a":1}',
      '{"__proto__":{"connectionId":"planted"},"a":1}',
    ),
  );
  const frame = new Uint8Array(Math.ceil((4 + header.byteLength) / 8) * 8);
  new DataView(frame.buffer).setUint32(0, header.byteLength, true);
  frame.set(header, 4);
  const payload = (decodeFrame(frame) as { payload: Record<string, unknown> }).payload;
  assert.equal(Object.getPrototypeOf(payload), Object.prototype);
  assert.equal(payload.connectionId, undefined, 'not inherited');
  assert.ok(Object.hasOwn(payload, '__proto__'));
  assert.deepEqual(Object.keys(payload), ['__proto__', 'a']);
  // and encoding keeps it the same way
  const back = decodeFrame(encodeFrame({ t: 'call', id: 2, method: 'listModels', payload })) as {
    payload: Record<string, unknown>;
  };
  assert.deepEqual(Object.keys(back.payload), ['__proto__', 'a']);
  assert.equal(back.payload.connectionId, undefined);
});

test('framing refuses malformed frames with FrameError', () => {
  assert.throws(() => decodeFrame(new Uint8Array(2)), FrameError);
  const lying = new Uint8Array(8);
  new DataView(lying.buffer).setUint32(0, 1000, true);
  assert.throws(() => decodeFrame(lying), /header length beyond/);
  const enc = new TextEncoder();
  const mk = (json: string) => {
    const h = enc.encode(json);
    const f = new Uint8Array(8 + h.byteLength + 8);
    new DataView(f.buffer).setUint32(0, h.byteLength, true);
    f.set(h, 4);
    return f;
  };
  assert.throws(() => decodeFrame(mk('{not json')), /not UTF-8 JSON/);
  assert.throws(() => decodeFrame(mk('{"m":{"t":"call"}}')), /blob table/);
  assert.throws(() => decodeFrame(mk('{"m":{"t":"call","x":{"$bin":3}},"blobs":[1]}')), /invalid blob reference/);
  assert.throws(() => decodeFrame(mk('{"m":{"t":"call"},"blobs":[100000]}')), /blob table does not match/);
  assert.throws(() => decodeFrame(mk('{"m":{},"blobs":[]}')), /lacks its type/);
  assert.throws(() => encodeFrame({ t: 'event', event: 'x', payload: { $bin: 1 } }), /reserved/);
  assert.throws(() => encodeFrame({ t: 'event', event: 'x', payload: new Float32Array(2) }), /only Uint8Array/);
});

/** An infer call whose tensor has `n` bytes of a recognisable pattern. */
function bigCall(n: number): WireMessage {
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = (i * 7 + 3) & 255;
  return { t: 'call', id: 9, method: 'infer', payload: { inputs: [{ name: 'input', data }], model: 'm' } };
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

test('framing into a reused buffer: the same bytes as a fresh frame, whatever the buffer held before', () => {
  const msg = bigCall(1001); // odd length: padding after the blob
  const fresh = encodeFrame(msg);
  const dirty = new Uint8Array(fresh.byteLength + 100).fill(0xab);
  const reused = encodeFrame(msg, () => dirty);
  assert.equal(reused.buffer, dirty.buffer, 'written into the given buffer');
  assert.equal(reused.byteLength, fresh.byteLength);
  assert.deepEqual(reused, fresh, 'every byte written, paddings zeroed');
});

test('frame segments: the frame in pieces without copying its blobs, joined exactly the encoded frame', () => {
  for (const n of [0, 1, 7, 8, 1001]) {
    const msg = bigCall(n);
    const segments = frameSegments(planFrame(msg));
    assert.deepEqual(join(segments), encodeFrame(msg), `blob of ${n} bytes`);
    const blob = (msg as { payload: { inputs: { data: Uint8Array }[] } }).payload.inputs[0].data;
    if (n) assert.ok(segments.includes(blob), 'the blob itself, not a copy');
    assert.deepEqual(decodeFrame(join(segments)), msg);
  }
});

test('a large frame travels in parts of at most chunkBytes and is put back together exactly', () => {
  const chunk = 64 * 1024;
  const small = encodeFrameParts(bigCall(1000), { chunkBytes: chunk });
  assert.equal(small.length, 1);
  assert.deepEqual(small[0], encodeFrame(bigCall(1000)), 'a frame that fits is the plain frame');
  assert.equal(readFrameHeader(small[0]).parts, 1);

  const msg = bigCall(300_000);
  const parts = encodeFrameParts(msg, { chunkBytes: chunk });
  assert.equal(parts.length, Math.ceil(join(parts).byteLength / chunk));
  assert.ok(parts.length >= 5);
  assert.ok(parts.every((p) => p.byteLength > 0 && p.byteLength <= chunk));
  assert.equal(readFrameHeader(parts[0]).parts, parts.length, 'the first part says how many follow');
  const assembler = new FrameAssembler();
  for (const p of parts.slice(0, -1)) {
    assert.equal(assembler.push(p.slice()), null, 'nothing until the last part');
    assert.equal(assembler.incomplete, true);
  }
  const back = assembler.push(parts.at(-1)!.slice()) as Extract<WireMessage, { t: 'call' }>;
  assert.equal(assembler.incomplete, false);
  assert.deepEqual(back, msg);
  // The same assembler then takes a plain frame.
  assert.deepEqual(assembler.push(encodeFrame(bigCall(10))), bigCall(10));
});

test('frame parts: the count settles when saying it lengthens the header past a part boundary', () => {
  const chunk = 64 * 1024;
  // Find tensor sizes whose plain frame ends just under a multiple of the part size.
  let tested = 0;
  for (let n = 3 * chunk - 300; n < 3 * chunk; n += 8) {
    const plain = encodeFrame(bigCall(n)).byteLength;
    const parts = encodeFrameParts(bigCall(n), { chunkBytes: chunk });
    const whole = join(parts);
    assert.equal(parts.length, Math.ceil(whole.byteLength / chunk), `n=${n}`);
    assert.equal(readFrameHeader(whole).parts, parts.length);
    if (Math.ceil(plain / chunk) !== parts.length) tested++;
    const a = new FrameAssembler();
    let out: WireMessage | null = null;
    for (const p of parts) out = a.push(p);
    assert.deepEqual(out, bigCall(n));
  }
  assert.ok(tested > 0, 'some size needed one more part once the header said so');
});

test('frame parts: malformed or inconsistent parts are refused with FrameError saying why', () => {
  const chunk = 64 * 1024;
  const parts = encodeFrameParts(bigCall(200_000), { chunkBytes: chunk });
  const n = parts.length;
  // A part running past the frame's length.
  let a = new FrameAssembler();
  for (const p of parts.slice(0, -1)) a.push(p);
  assert.throws(
    () => a.push(join([parts.at(-1)!, new Uint8Array(8)])),
    /part \d+ of \d+ runs past the frame's \d+ bytes/,
  );
  // The last part too short.
  a = new FrameAssembler();
  for (const p of parts.slice(0, -1)) a.push(p);
  assert.throws(
    () => a.push(parts.at(-1)!.subarray(0, 5)),
    new RegExp(`the ${n} parts hold \\d+ of the frame's \\d+ bytes`),
  );
  // An empty part in the middle.
  a = new FrameAssembler();
  a.push(parts[0]);
  assert.throws(() => a.push(new Uint8Array(0)), /an empty part in the middle/);
  // A frame said to come in parts that arrives whole.
  assert.throws(() => new FrameAssembler().push(join(parts)), /said to come in \d+ parts arrived whole/);
  // The parts count itself.
  const withParts = (parts: unknown) => {
    const h = new TextEncoder().encode(JSON.stringify({ m: { t: 'call' }, blobs: [100], parts }));
    const f = new Uint8Array(8 + h.byteLength);
    new DataView(f.buffer).setUint32(0, h.byteLength, true);
    f.set(h, 4);
    return f;
  };
  for (const bad of [0, 1.5, '2', 5000])
    assert.throws(() => new FrameAssembler().push(withParts(bad)), /'parts' must be an integer from 1 to 4096/);
  // Everything decodeFrame refuses, the assembler refuses too.
  assert.throws(() => new FrameAssembler().push(new Uint8Array(2)), /shorter than its length prefix/);
});

test('transport with a socket that copies what it sends: one reused buffer, queued frames keep their own bytes', () => {
  const sent: Uint8Array[] = [];
  const buffers = new Set<ArrayBufferLike>();
  const socket: WebSocketLike = {
    binaryType: 'arraybuffer',
    readyState: 0,
    send(data) {
      buffers.add(data.buffer);
      sent.push(data.slice()); // what a browser does: it snapshots the bytes
    },
    close() {},
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  const transport = createWebSocketTransport({
    url: 'ws://test',
    createSocket: () => socket,
    sendCopiesData: true,
    chunkBytes: 64 * 1024,
    reconnect: false,
  });
  // Two calls before the socket is open are queued, each with bytes of its own.
  void transport.call('infer', (bigCall(70_000) as { payload: unknown }).payload).catch(() => {});
  void transport.call('infer', (bigCall(10) as { payload: unknown }).payload).catch(() => {});
  (socket as { readyState: number }).readyState = 1;
  socket.onopen!({});
  // Then two more while open: written into the reused buffer, sent at once.
  void transport.call('infer', (bigCall(150_000) as { payload: unknown }).payload).catch(() => {});
  void transport.call('infer', (bigCall(20) as { payload: unknown }).payload).catch(() => {});
  const assembler = new FrameAssembler();
  const calls = sent.map((p) => assembler.push(p)).filter((m): m is WireMessage => m !== null);
  assert.deepEqual(
    calls.map((m) => (m as { payload: { inputs: { data: Uint8Array }[] } }).payload.inputs[0].data.byteLength),
    [70_000, 10, 150_000, 20],
  );
  for (const [i, m] of calls.entries())
    assert.deepEqual(
      (m as { payload: unknown }).payload,
      (bigCall([70_000, 10, 150_000, 20][i]) as { payload: unknown }).payload,
    );
  assert.equal(sent.length, 2 + 1 + 3 + 1, 'the 70 KB and 150 KB calls went in 2 and 3 parts');
  // One buffer per queued call, and one for both calls made while open.
  assert.equal(buffers.size, 3, 'the calls made while open shared one buffer');
  transport.close();
});
