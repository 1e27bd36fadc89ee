/**
 * ModelInferResponse from the wire straight to the client's InferResponse, for TritonClient.infer.
 *
 * The generic path (proto-loader's deserializer, then toInferResponse in convert.ts) builds a
 * message object per output, a Long and then a decimal string per dimension, then converts it all
 * again: ~35 µs of a LaneATT response on this machine, on a path the app runs for every video
 * frame, where the whole client budget is a few % of a ~2 ms call. This reads the message's fields
 * in one pass with protobufjs's Reader and builds the result once. The rare nested messages
 * (InferParameter, InferTensorContents) still go through their generated decoders and the same
 * conversions as the generic path, so they match it by construction; test/triton-client/
 * infer-response-codec.test.ts compares the whole result with the generic path on varied responses.
 *
 * raw_output_contents are views into the received message (no copy).
 */
import protobuf from 'protobufjs';
import { contentsToBytes, fromParameters, type ContentsMessage, type ParamMessage } from './convert';
import { LOADER_OPTIONS, loadTritonRoot } from './protos';
import type { InferOutput, InferResponse } from './types';

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

let types: { parameter: protobuf.Type; contents: protobuf.Type } | undefined;

function messageTypes() {
  if (!types) {
    const root = loadTritonRoot();
    types = {
      parameter: root.lookupType('inference.InferParameter'),
      contents: root.lookupType('inference.InferTensorContents'),
    };
  }
  return types;
}

/**
 * int64 as protobufjs's Reader returns it (a Long when long.js is present; high word signed, low
 * word's bits) -> the nearest number, with one rounding, as Number() of its decimal string gives.
 */
function int64ToNumber(v: number | protobuf.Long): number {
  return typeof v === 'number' ? v : v.high * 4294967296 + (v.low >>> 0);
}

/** One `map<string, InferParameter>` entry into `into` (the last entry for a key wins, as in protobuf). */
function readParameterEntry(reader: protobuf.Reader, into: Record<string, ParamMessage>): void {
  const end = reader.uint32() + reader.pos;
  let key = '';
  let value: ParamMessage = {};
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1) key = reader.string();
    else if (tag >>> 3 === 2) {
      const { parameter } = messageTypes();
      value = parameter.toObject(parameter.decode(reader, reader.uint32()), LOADER_OPTIONS);
    } else reader.skipType(tag & 7);
  }
  into[key] = value;
}

interface OutputFields {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, ParamMessage>;
  contents?: ContentsMessage;
}

function readOutput(reader: protobuf.Reader): OutputFields {
  const end = reader.uint32() + reader.pos;
  const out: OutputFields = { name: '', datatype: '', shape: [] };
  while (reader.pos < end) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1:
        out.name = reader.string();
        break;
      case 2:
        out.datatype = reader.string();
        break;
      case 3:
        // shape is a packed repeated int64, but parsers must accept the unpacked form too
        if ((tag & 7) === WIRE_LENGTH_DELIMITED) {
          const shapeEnd = reader.uint32() + reader.pos;
          while (reader.pos < shapeEnd) out.shape.push(int64ToNumber(reader.int64()));
        } else if ((tag & 7) === WIRE_VARINT) out.shape.push(int64ToNumber(reader.int64()));
        else reader.skipType(tag & 7);
        break;
      case 4:
        readParameterEntry(reader, (out.parameters ??= Object.create(null) as Record<string, ParamMessage>));
        break;
      case 5: {
        // a second occurrence replaces the first, as protobufjs's generated decode (the generic path) does
        const { contents } = messageTypes();
        out.contents = contents.toObject(contents.decode(reader, reader.uint32()), LOADER_OPTIONS);
        break;
      }
      default:
        reader.skipType(tag & 7);
    }
  }
  return out;
}

export function decodeInferResponse(bytes: Uint8Array): InferResponse {
  const reader = protobuf.Reader.create(bytes);
  let model = '';
  let version = '';
  let id = '';
  let parameters: Record<string, ParamMessage> | undefined;
  const fields: OutputFields[] = [];
  const raw: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1:
        model = reader.string();
        break;
      case 2:
        version = reader.string();
        break;
      case 3:
        id = reader.string();
        break;
      case 4:
        readParameterEntry(reader, (parameters ??= Object.create(null) as Record<string, ParamMessage>));
        break;
      case 5:
        fields.push(readOutput(reader));
        break;
      case 6:
        raw.push(reader.bytes());
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  const outputs = new Array<InferOutput>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    outputs[i] = {
      name: f.name,
      datatype: f.datatype,
      shape: f.shape,
      parameters: fromParameters(f.parameters),
      data: i < raw.length ? raw[i] : contentsToBytes(f.datatype, f.contents),
    };
  }
  return { model, version, id, parameters: fromParameters(parameters), outputs };
}
