// test-process: shared (pure: no servers, browsers or global state; see scripts/run-tests.mjs)
/**
 * The contract: schemas accept what the services/renderer send and refuse malformed payloads with a
 * message naming the field; the WebSocket framing round-trips binary tensors exactly.
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
  decodeFrame,
  FrameError,
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
