export * from './datatypes';
export * from './half';
export {
  encodeTensor,
  decodeTensor,
  decodeBytesElements,
  bytesElementsToStrings,
  makeTensor,
  checkTensorData,
  tensorValues,
  type Tensor,
  type DecodedValues,
  type TensorValues,
  type EncodableValues,
  type EncodeOptions,
  type DecodeOptions,
} from './codec';
