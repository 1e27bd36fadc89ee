/** The form's choices: enum values straight from the ModelConfig schema, plus well-known platforms and backends. */
import { ENUMS } from '../../../../shared/pbtxt';

const enumValues = (name: string) => (ENUMS[name]?.values ?? []).map((v) => v.name);

export const DATA_TYPES = enumValues('inference.DataType').filter((t) => t !== 'TYPE_INVALID');
export const KINDS = enumValues('inference.ModelInstanceGroup.Kind');
export const PLATFORMS = [
  '',
  'onnxruntime_onnx',
  'tensorrt_plan',
  'pytorch_libtorch',
  'tensorflow_savedmodel',
  'tensorflow_graphdef',
  'ensemble',
];
export const BACKENDS = ['', 'onnxruntime', 'tensorrt', 'pytorch', 'tensorflow', 'python', 'openvino', 'dali', 'fil'];
