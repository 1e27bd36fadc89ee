/**
 * TritonClient decodes ModelInferResponse in one pass (electron/triton/inferResponseCodec.ts). It
 * must give exactly what the generic path gives (proto-loader's deserializer under our loader
 * options, then convert.ts's toInferResponse, which the stream still uses), for every shape of
 * response a server may send: absent and present-but-empty scalars, parameters of every kind,
 * 64-bit dims beyond 2^53, typed `contents` of every kind, raw contents, several outputs, an empty
 * response, and wire forms protobufjs's encoder never makes (unpacked shapes, unknown fields, a
 * field sent twice).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeInferResponse } from '../../electron/triton/inferResponseCodec';
import { toInferResponse, type InferResponseMessage } from '../../electron/triton/convert';
import { loadTritonPackageDefinition, loadTritonRoot } from '../../electron/triton/protos';

const ResponseType = loadTritonRoot().lookupType('inference.ModelInferResponse');
const protoLoaderDeserialize = (
  loadTritonPackageDefinition()['inference.GRPCInferenceService'] as unknown as Record<
    string,
    { responseDeserialize: (b: Buffer) => unknown }
  >
)['ModelInfer'].responseDeserialize;
const genericDecode = (bytes: Buffer) => toInferResponse(protoLoaderDeserialize(bytes) as InferResponseMessage);

function wire(response: Record<string, unknown>): Buffer {
  const message = ResponseType.fromObject(response);
  const err = ResponseType.verify(message);
  if (err) throw new Error(err);
  return Buffer.from(ResponseType.encode(message).finish());
}

const RESPONSES: Record<string, Record<string, unknown>> = {
  empty: {},
  'empty strings on the wire': { model_name: '', model_version: '', id: '' },
  'LaneATT-like raw outputs': {
    model_name: 'laneDetect_model',
    model_version: '1',
    id: 'frame-17',
    outputs: [
      { name: 'predict_lanes', datatype: 'FP32', shape: [1, 2784, 77] },
      { name: '914', datatype: 'FP32', shape: [1, 2784] },
    ],
    raw_output_contents: [Buffer.alloc(2784 * 77 * 4, 7), Buffer.alloc(2784 * 4, 9)],
  },
  'parameters of every kind': {
    parameters: {
      flag: { bool_param: true },
      count: { int64_param: '-9007199254740993' },
      size: { uint64_param: '18446744073709551615' },
      label: { string_param: 'x' },
      scale: { double_param: 0.25 },
    },
    outputs: [
      {
        name: 'o',
        datatype: 'INT8',
        shape: ['9007199254740993', -1, 0],
        parameters: { binary_data_size: { int64_param: 12 }, sequence_end: { bool_param: false } },
      },
    ],
    raw_output_contents: [Buffer.from([1, 2, 3])],
  },
  'typed contents of every kind': {
    outputs: [
      { name: 'b', datatype: 'BOOL', shape: [2], contents: { bool_contents: [true, false] } },
      { name: 'i', datatype: 'INT32', shape: [2], contents: { int_contents: [-5, 7] } },
      {
        name: 'l',
        datatype: 'INT64',
        shape: [2],
        contents: { int64_contents: ['-9223372036854775808', '9223372036854775807'] },
      },
      { name: 'u', datatype: 'UINT32', shape: [1], contents: { uint_contents: [4294967295] } },
      { name: 'ul', datatype: 'UINT64', shape: [1], contents: { uint64_contents: ['18446744073709551615'] } },
      { name: 'f', datatype: 'FP32', shape: [2], contents: { fp32_contents: [1.5, -0] } },
      { name: 'd', datatype: 'FP64', shape: [1], contents: { fp64_contents: [Math.PI] } },
      {
        name: 's',
        datatype: 'BYTES',
        shape: [2],
        contents: { bytes_contents: [Buffer.from('ab'), Buffer.from([0xff, 0])] },
      },
      { name: 'none', datatype: 'FP32', shape: [], contents: {} },
    ],
  },
};

for (const [label, response] of Object.entries(RESPONSES)) {
  test(`decodeInferResponse equals the generic path: ${label}`, () => {
    const bytes = wire(response);
    assert.deepStrictEqual(decodeInferResponse(bytes), genericDecode(bytes));
  });
}

/** A field's key (tag) byte sequence and a varint, for hand-made wire forms. */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const field = (num: number, wireType: number) => varint((num << 3) | wireType);
const lengthDelimited = (num: number, body: number[]) => [...field(num, 2), ...varint(body.length), ...body];
const text = (s: string) => [...Buffer.from(s)];

test('decodeInferResponse equals the generic path on wire forms protobufjs never writes', () => {
  // an output whose shape is sent unpacked (one varint per dim), with an unknown field in it
  const output = [
    ...lengthDelimited(1, text('o')),
    ...field(3, 0),
    ...varint(2),
    ...field(3, 0),
    ...varint(3),
    ...lengthDelimited(2, text('UINT8')),
    ...lengthDelimited(15, [1, 2, 3]),
  ];
  const bytes = Buffer.from([
    ...lengthDelimited(1, text('first')),
    ...lengthDelimited(1, text('second')), // a scalar sent twice: the last wins
    ...field(9, 0), // unknown varint field
    ...varint(300),
    ...lengthDelimited(5, output),
    ...lengthDelimited(6, [0, 1, 2, 3, 4, 5]),
    ...field(10, 5), // unknown fixed32 field
    1,
    2,
    3,
    4,
  ]);
  const decoded = decodeInferResponse(bytes);
  assert.deepStrictEqual(decoded, genericDecode(bytes));
  assert.equal(decoded.model, 'second');
  assert.deepEqual(decoded.outputs[0].shape, [2, 3]);
});

test('decodeInferResponse refuses a truncated message as the generic path does', () => {
  const bytes = wire(RESPONSES['LaneATT-like raw outputs']).subarray(0, 200);
  assert.throws(() => genericDecode(bytes), RangeError);
  assert.throws(() => decodeInferResponse(bytes), RangeError);
});

test('decodeInferResponse hands raw outputs over as views into the received message', () => {
  const bytes = wire(RESPONSES['LaneATT-like raw outputs']);
  const decoded = decodeInferResponse(bytes);
  assert.equal(decoded.outputs.length, 2);
  for (const output of decoded.outputs) assert.equal(output.data.buffer, bytes.buffer);
  assert.deepEqual(decoded.outputs[0].shape, [1, 2784, 77]);
});
