/**
 * ModelInferResponse from the wire, for TritonClient.infer: protobufjs's generated decode, then only
 * the conversion the response needs, instead of proto-loader's generic toObject over every field.
 * On a LaneATT response that was ~10 µs of the ~12 µs a decode took, with a fresh object for every
 * output and a Long-to-string per dimension, on a path the app runs for every video frame.
 *
 * The result is the object proto-loader's deserializer gives under LOADER_OPTIONS (protos.ts):
 * absent scalars stay absent, maps and lists are always present, int64 are decimal strings, and
 * raw_output_contents are views into the received message (no copy). The nested messages that carry
 * oneofs and 64-bit values (InferParameter, InferTensorContents) go through their own generated
 * toObject with the same options, so they match by construction; test/triton-client/
 * infer-response-codec.test.ts compares the whole result with proto-loader's on varied responses.
 */
import type protobuf from 'protobufjs';
import type { InferResponseMessage } from './convert';
import { LOADER_OPTIONS, loadTritonRoot } from './protos';

/** int64 as protobufjs decodes it: a Long when long.js is present, else a number. */
type Int64 = number | { toString(): string };

interface DecodedOutput {
  name?: string;
  datatype?: string;
  shape: Int64[];
  parameters: Record<string, protobuf.Message>;
  contents?: protobuf.Message | null;
}

interface DecodedResponse {
  model_name?: string;
  model_version?: string;
  id?: string;
  parameters: Record<string, protobuf.Message>;
  outputs: DecodedOutput[];
  raw_output_contents: Uint8Array[];
}

let types: { response: protobuf.Type; parameter: protobuf.Type; contents: protobuf.Type } | undefined;

function messageTypes() {
  if (!types) {
    const root = loadTritonRoot();
    types = {
      response: root.lookupType('inference.ModelInferResponse'),
      parameter: root.lookupType('inference.InferParameter'),
      contents: root.lookupType('inference.InferTensorContents'),
    };
  }
  return types;
}

function parametersObject(map: Record<string, protobuf.Message>, parameter: protobuf.Type) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const key of Object.keys(map)) out[key] = parameter.toObject(map[key], LOADER_OPTIONS);
  return out;
}

export function decodeInferResponse(bytes: Uint8Array): InferResponseMessage {
  const { response, parameter, contents } = messageTypes();
  const m = response.decode(bytes) as unknown as DecodedResponse;
  const out: InferResponseMessage = {
    outputs: m.outputs.map((o) => {
      const output: InferResponseMessage['outputs'][number] = {
        shape: o.shape.map((d) => (typeof d === 'number' ? String(d) : d.toString())),
        parameters: parametersObject(o.parameters, parameter),
      };
      if (Object.hasOwn(o, 'name')) output.name = o.name;
      if (Object.hasOwn(o, 'datatype')) output.datatype = o.datatype;
      if (o.contents) output.contents = contents.toObject(o.contents, LOADER_OPTIONS);
      return output;
    }),
    raw_output_contents: m.raw_output_contents,
    parameters: parametersObject(m.parameters, parameter),
  };
  if (Object.hasOwn(m, 'model_name')) out.model_name = m.model_name;
  if (Object.hasOwn(m, 'model_version')) out.model_version = m.model_version;
  if (Object.hasOwn(m, 'id')) out.id = m.id;
  return out;
}
