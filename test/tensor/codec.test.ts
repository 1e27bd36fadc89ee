import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DATATYPES,
  configToDatatype,
  datatypeToConfig,
  elementByteSize,
  elementCount,
  isDatatype,
  TensorError,
} from '../../shared/tensor/datatypes';
import {
  bytesElementsToStrings,
  checkTensorData,
  decodeBytesElements,
  decodeTensor,
  encodeTensor,
  makeTensor,
  tensorValues,
} from '../../shared/tensor/codec';

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

test('datatype table: protocol string <-> config enum <-> element size', () => {
  assert.equal(DATATYPES.length, 14);
  assert.equal(datatypeToConfig('BYTES'), 'TYPE_STRING');
  assert.equal(configToDatatype('TYPE_STRING'), 'BYTES');
  assert.equal(configToDatatype(11), 'FP32');
  assert.equal(datatypeToConfig('BF16'), 'TYPE_BF16');
  for (const d of DATATYPES) {
    assert.equal(configToDatatype(datatypeToConfig(d.datatype)), d.datatype);
    assert.equal(`TYPE_${d.datatype}`.replace('TYPE_BYTES', 'TYPE_STRING'), d.configType);
  }
  assert.deepEqual(
    ['BOOL', 'INT8', 'UINT16', 'FP16', 'BF16', 'INT32', 'FP32', 'UINT64', 'FP64', 'BYTES'].map(elementByteSize),
    [1, 1, 2, 2, 2, 4, 4, 8, 8, null],
  );
  assert.equal(isDatatype('fp32'), false); // exact match, like Triton
  assert.throws(() => datatypeToConfig('fp32'), /unknown datatype 'fp32'/);
  assert.throws(() => configToDatatype('TYPE_INVALID'), TensorError);
});

test('exact little-endian bytes for every fixed-size datatype', () => {
  assert.equal(hex(encodeTensor('BOOL', [true, false, true])), '010001');
  assert.equal(hex(encodeTensor('UINT8', [0, 255])), '00ff');
  assert.equal(hex(encodeTensor('INT8', [-1, 127, -128])), 'ff7f80');
  assert.equal(hex(encodeTensor('UINT16', [0x1234])), '3412');
  assert.equal(hex(encodeTensor('INT16', [-2])), 'feff');
  assert.equal(hex(encodeTensor('UINT32', [0xdeadbeef])), 'efbeadde');
  assert.equal(hex(encodeTensor('INT32', [1, -1])), '01000000ffffffff');
  assert.equal(hex(encodeTensor('UINT64', [2n ** 64n - 1n, 1])), 'ffffffffffffffff0100000000000000');
  assert.equal(hex(encodeTensor('INT64', [-(2n ** 63n), 2n ** 63n - 1n])), '0000000000000080ffffffffffffff7f');
  assert.equal(hex(encodeTensor('FP16', [1, -2, 65504])), '003c00c0ff7b');
  assert.equal(hex(encodeTensor('BF16', [1, -2])), '803f00c0');
  assert.equal(hex(encodeTensor('FP32', [1, -0])), '0000803f00000080');
  assert.equal(hex(encodeTensor('FP64', [1])), '000000000000f03f');
});

test('BYTES: 4-byte LE length prefixes, the PROTOCOL.md example, UTF-8 and binary', () => {
  assert.equal(hex(encodeTensor('BYTES', ['ab', ''])), '02000000616200000000');
  const enc = encodeTensor('BYTES', ['héllo', new Uint8Array([0, 255, 10])]);
  const els = decodeTensor('BYTES', enc, { shape: [2] });
  assert.equal(bytesElementsToStrings([els[0]])[0], 'héllo');
  assert.deepEqual([...els[1]], [0, 255, 10]);
  assert.throws(() => decodeTensor('BYTES', enc, { shape: [3] }), /expected 3 string elements, got 2/);
  assert.throws(() => decodeBytesElements(new Uint8Array([5, 0, 0])), /incomplete length indicator for element 0/);
  assert.throws(
    () => decodeBytesElements(new Uint8Array([5, 0, 0, 0, 1, 2])),
    /declares 5 bytes at byte 0 but only 2 remain/,
  );
  assert.throws(() => bytesElementsToStrings([new Uint8Array([0xff, 0xfe])]), /not valid UTF-8/);
  assert.deepEqual(decodeTensor('BYTES', new Uint8Array(0), { shape: [0] }), []);
});

test('round trip of every datatype including extremes', () => {
  const cases: Array<[string, unknown[]]> = [
    ['BOOL', [true, false]],
    ['UINT8', [0, 1, 255]],
    ['INT8', [-128, 0, 127]],
    ['UINT16', [0, 65535]],
    ['INT16', [-32768, 32767]],
    ['UINT32', [0, 4294967295]],
    ['INT32', [-2147483648, 2147483647]],
    ['UINT64', [0n, 2n ** 64n - 1n, 12345678901234567890n]],
    ['INT64', [-(2n ** 63n), -1n, 2n ** 63n - 1n]],
    ['FP32', [0, -0, 1.5, Infinity, -Infinity, 3.4028234663852886e38, 2 ** -149]],
    ['FP64', [Math.PI, -Number.MAX_VALUE, Number.MIN_VALUE, -0]],
    ['FP16', [0, -0, 0.5, 65504, -65504, 2 ** -24, Infinity]],
    ['BF16', [1, -3.140625, 2 ** -133, -Infinity]],
  ];
  for (const [dt, values] of cases) {
    const bytes = encodeTensor(dt, values as number[]);
    const back = decodeTensor(dt, bytes, { shape: [values.length] });
    assert.equal(back.length, values.length, dt);
    for (let i = 0; i < values.length; i++)
      assert.ok(
        Object.is((back as ArrayLike<unknown>)[i], values[i]),
        `${dt}[${i}]: ${String((back as ArrayLike<unknown>)[i])} != ${String(values[i])}`,
      );
  }
  const nan = decodeTensor('FP16', encodeTensor('FP16', [NaN]));
  assert.ok(Number.isNaN(nan[0]));
  assert.ok(Number.isNaN(decodeTensor('BF16', encodeTensor('BF16', [NaN]))[0]));
  // 64-bit integers are exact beyond 2^53.
  const big = decodeTensor('INT64', encodeTensor('INT64', [2n ** 53n + 1n]));
  assert.equal(big[0], 9007199254740993n);
});

test('typed arrays of the wire type are encoded without a copy; decode views aligned data', () => {
  const f = new Float32Array([1, 2, 3]);
  const enc = encodeTensor('FP32', f);
  assert.equal(enc.buffer, f.buffer);
  const dec = decodeTensor('FP32', enc);
  assert.equal(dec.buffer, f.buffer, 'aligned decode is a view');
  const copied = decodeTensor('FP32', enc, { copy: true });
  assert.notEqual(copied.buffer, f.buffer);
  // Misaligned source (as happens with slices of a gRPC receive buffer) decodes correctly via one copy.
  const backing = new Uint8Array(13);
  backing.set(enc, 1);
  const misaligned = backing.subarray(1);
  assert.deepEqual([...decodeTensor('FP32', misaligned)], [1, 2, 3]);
  // Node Buffers: slice() is a view there, the copy must still be real.
  const pool = Buffer.alloc(64, 0xee);
  Buffer.from(enc).copy(pool, 5);
  const bufView = pool.subarray(5, 17);
  assert.deepEqual([...decodeTensor('FP32', bufView)], [1, 2, 3]);
  const copy = decodeTensor('FP32', Buffer.from(enc.buffer, 0, 12), { copy: true });
  assert.notEqual(copy.buffer, enc.buffer);
  const pool16 = Buffer.alloc(32, 0xee);
  Buffer.from(encodeTensor('FP16', [1, 2, 3])).copy(pool16, 3);
  assert.deepEqual([...decodeTensor('FP16', pool16.subarray(3, 9))], [1, 2, 3]);
  const poolBytes = Buffer.alloc(32, 0xee);
  Buffer.from(encodeTensor('BYTES', ['ab'])).copy(poolBytes, 1);
  const els = decodeTensor('BYTES', poolBytes.subarray(1, 7), { copy: true });
  poolBytes.fill(0);
  assert.deepEqual([...els[0]], [0x61, 0x62], 'copy: true detaches BYTES elements from the source');
  const backing16 = new Uint8Array(7);
  backing16.set(encodeTensor('FP16', [1, 2, 3]), 1);
  assert.deepEqual([...decodeTensor('FP16', backing16.subarray(1))], [1, 2, 3]);
  // Uint16Array is taken as pre-converted FP16 bit patterns.
  assert.equal(hex(encodeTensor('FP16', new Uint16Array([0x3c00]))), '003c');
  // A Float32Array given for FP16 is converted with rounding.
  assert.equal(hex(encodeTensor('FP16', new Float32Array([1 + 2 ** -11]))), '003c');
});

test('BF16 truncation mode matches tritonclient', () => {
  const x = new Float32Array([1.01171875]); // 0x3f818000
  assert.equal(hex(encodeTensor('BF16', x)), '823f');
  assert.equal(hex(encodeTensor('BF16', x, { bf16: 'truncate' })), '813f');
});

test('clear errors for bad values, shapes and byte sizes', () => {
  assert.throws(() => encodeTensor('UINT8', [256]), /element 0 \(256\) is not a UINT8 value/);
  assert.throws(() => encodeTensor('INT32', [1.5]), /not a INT32 value/);
  assert.throws(() => encodeTensor('INT64', [2n ** 63n]), /out of range for INT64/);
  assert.throws(() => encodeTensor('UINT64', [-1n]), /out of range for UINT64/);
  assert.throws(() => encodeTensor('INT64', [2 ** 60]), /bigint or safe integer/);
  assert.throws(() => encodeTensor('BOOL', [2]), /must be a boolean/);
  assert.throws(() => encodeTensor('FP32', ['1']), /must be a number/);
  assert.throws(() => encodeTensor('XYZ', [1]), /unknown datatype 'XYZ'/);
  assert.throws(
    () => decodeTensor('FP32', new Uint8Array(10)),
    /10 bytes is not a whole number of 4-byte FP32 elements/,
  );
  assert.throws(
    () => decodeTensor('FP32', new Uint8Array(8), { shape: [1, 3] }),
    /shape \[1,3\] needs 12 bytes, got 8/,
  );
  assert.throws(
    () => elementCount([1, -1, 3]),
    /dimension 1 of shape \[1,-1,3\] must be a non-negative integer, got -1/,
  );
  assert.throws(
    () => makeTensor('x', 'FP32', [2, 2], [1, 2, 3]),
    /tensor 'x': FP32 shape \[2,2\] needs 16 bytes, got 12/,
  );
  assert.throws(() => checkTensorData('BYTES', [2], encodeTensor('BYTES', ['a'])), /expected 2 string elements, got 1/);
  const t = makeTensor('y', 'INT16', [1, 2], [3, 4]);
  assert.deepEqual(t.shape, [1, 2]);
  assert.deepEqual([...(tensorValues(t) as Int16Array)], [3, 4]);
  assert.equal(elementCount([]), 1); // scalar
});
