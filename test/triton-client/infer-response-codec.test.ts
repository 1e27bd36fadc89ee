/**
 * TritonClient decodes ModelInferResponse with its own lean conversion (electron/triton/
 * inferResponseCodec.ts). It must give exactly what proto-loader's generic deserializer gives under
 * our loader options, for every shape of response a server may send: absent and present-but-empty
 * scalars, parameters of every kind, 64-bit dims beyond 2^53, typed `contents` of every kind, raw
 * contents, several outputs, and an empty response.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeInferResponse } from '../../electron/triton/inferResponseCodec';
import { loadTritonPackageDefinition, loadTritonRoot } from '../../electron/triton/protos';

const ResponseType = loadTritonRoot().lookupType('inference.ModelInferResponse');
const referenceDeserialize = (
  loadTritonPackageDefinition()['inference.GRPCInferenceService'] as unknown as Record<
    string,
    { responseDeserialize: (b: Buffer) => unknown }
  >
)['ModelInfer'].responseDeserialize;

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
  test(`decodeInferResponse equals proto-loader's deserializer: ${label}`, () => {
    const bytes = wire(response);
    assert.deepStrictEqual(decodeInferResponse(bytes), referenceDeserialize(bytes));
  });
}

test('decodeInferResponse hands raw outputs over as views into the received message', () => {
  const bytes = wire(RESPONSES['LaneATT-like raw outputs']);
  const decoded = decodeInferResponse(bytes);
  assert.equal(decoded.raw_output_contents.length, 2);
  for (const raw of decoded.raw_output_contents) assert.equal(raw.buffer, bytes.buffer);
  assert.deepEqual(decoded.outputs[0].shape, ['1', '2784', '77']);
});
