/** Each semantic check: severity, code, message and the position it points at. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelConfig, validateModelConfig } from '../../shared/pbtxt';

function diags(text: string) {
  const r = parseModelConfig(text, { file: 'model/config.pbtxt' });
  assert.ok(r.config, `does not parse: ${r.diagnostics[0]?.message}`);
  return r.diagnostics;
}

function only(text: string, code: string) {
  const ds = diags(text).filter((d) => d.code === code);
  assert.equal(ds.length, 1, `expected one ${code}, got ${JSON.stringify(diags(text), null, 1)}`);
  return ds[0];
}

const TENSORS =
  'input { name: "images" data_type: TYPE_FP32 dims: [ 3, 360, 640 ] }\noutput { name: "out" data_type: TYPE_FP32 dims: [ 2784, 77 ] }\n';

test('a clean config has no diagnostics', () => {
  assert.deepEqual(
    diags(
      `name: "laneatt"\nplatform: "onnxruntime_onnx"\nmax_batch_size: 8\n${TENSORS}dynamic_batching { preferred_batch_size: [ 4, 8 ] }\ninstance_group [ { count: 2 kind: KIND_GPU gpus: [ 0 ] } ]\n`,
    ),
    [],
  );
});

test('dims that include the batch dimension: warning with the effective shape, at the dims', () => {
  const d = only(
    'name: "m"\nbackend: "onnxruntime"\nmax_batch_size: 8\ninput {\n  name: "images"\n  data_type: TYPE_FP32\n  dims: [ 1, 3, 360, 640 ]\n}\n',
    'dims-vs-batch',
  );
  assert.equal(d.severity, 'warning');
  assert.match(d.message, /full shape is \[-1,1,3,360,640\]/);
  assert.match(d.message, /dims \[1,3,360,640\]/);
  assert.deepEqual([d.line, d.column], [7, 11]);
  assert.equal(d.path, 'input[0].dims');
  // Without batching the same dims are fine.
  assert.equal(
    diags('backend: "onnxruntime"\ninput { name: "images" data_type: TYPE_FP32 dims: [ 1, 3, 360, 640 ] }').filter(
      (x) => x.code === 'dims-vs-batch',
    ).length,
    0,
  );
});

test('format needs 3 dims; the message shows the full shape with the batch dimension', () => {
  const d = only(
    'backend: "onnxruntime"\nmax_batch_size: 4\ninput { name: "i" data_type: TYPE_FP32 format: FORMAT_NCHW dims: [ 360, 640 ] }',
    'format-dims',
  );
  assert.equal(d.severity, 'error');
  assert.match(d.message, /FORMAT_NCHW, which requires exactly 3 dims.*\[360,640\] \(full shape \[-1,360,640\]\)/);
  assert.deepEqual([d.line, d.column], [3, 40]);
});

test('bad dims and reshape element counts (Triton wording)', () => {
  const bad = only('backend: "onnxruntime"\ninput { name: "i" data_type: TYPE_FP32 dims: [ 3, 0 ] }', 'bad-dim');
  assert.match(bad.message, /model input 'i' dimension must be integer >= 1, or -1/);
  assert.deepEqual([bad.line, bad.column], [2, 51]);
  const r = only(
    'backend: "onnxruntime"\nmax_batch_size: 2\noutput { name: "o" data_type: TYPE_FP32 dims: [ 2, 3 ] reshape { shape: [ 5 ] } }',
    'reshape-mismatch',
  );
  assert.match(r.message, /model output 'o' has different size for dims and reshape: dims \[2,3\] vs reshape \[5\]/);
  assert.equal(r.path, 'output[0].reshape');
  const v = only(
    'backend: "onnxruntime"\ninput { name: "i" data_type: TYPE_FP32 dims: [ 2, -1 ] reshape { shape: [ 2, -1, -1 ] } }',
    'reshape-mismatch',
  );
  assert.match(v.message, /different number of variable-size dimensions/);
  assert.equal(
    diags(
      'backend: "onnxruntime"\nmax_batch_size: 2\ninput { name: "i" data_type: TYPE_FP32 dims: [ 2, 3 ] reshape { shape: [ 3, 2 ] } }',
    ).length,
    0,
  );
  assert.equal(
    diags(
      'backend: "onnxruntime"\nmax_batch_size: 2\ninput { name: "i" data_type: TYPE_FP32 dims: [ 1 ] reshape { shape: [ ] } }',
    ).length,
    0,
  );
  assert.match(
    only(
      'backend: "onnxruntime"\ninput { name: "i" data_type: TYPE_FP32 dims: [ 1 ] reshape { shape: [ ] } }',
      'reshape-empty',
    ).message,
    /cannot have empty reshape for non-batching model/,
  );
});

test('duplicate tensor names point at the second one', () => {
  const d = only(
    `backend: "onnxruntime"\n${TENSORS}input { name: "images" data_type: TYPE_FP32 dims: [ 1 ] }`,
    'duplicate-tensor',
  );
  assert.equal(d.severity, 'error');
  assert.match(d.message, /input 'images' is specified more than once \(also input\[0\]\)/);
  assert.deepEqual([d.line, d.column], [4, 9]);
  only(`backend: "onnxruntime"\n${TENSORS}output { name: "out" data_type: TYPE_FP32 dims: [ 1 ] }`, 'duplicate-tensor');
});

test('missing data_type / dims are warnings (backends may auto-complete)', () => {
  assert.equal(
    only('backend: "onnxruntime"\ninput { name: "i" dims: [ 1 ] }', 'missing-data-type').severity,
    'warning',
  );
  assert.equal(
    only('backend: "onnxruntime"\ninput { name: "i" data_type: TYPE_FP32 }', 'missing-dims').severity,
    'warning',
  );
});

test('platform/backend consistency, Triton pairs', () => {
  const d = only('name: "m"\nplatform: "onnxruntime_onnx"\nbackend: "tensorrt"', 'platform-backend');
  assert.match(
    d.message,
    /unexpected 'platform' and 'backend' pair, got:onnxruntime_onnx, tensorrt \(platform onnxruntime_onnx runs on backend 'onnxruntime'\)/,
  );
  assert.deepEqual([d.line, d.column], [3, 1]);
  assert.equal(diags('platform: "tensorrt_plan"\nbackend: "tensorrt"').length, 0);
  const u = only('name: "m"\nplatform: "onnxruntime"', 'unknown-platform');
  assert.match(
    u.message,
    /unexpected platform type 'onnxruntime' for m \('onnxruntime' is a backend: write backend: "onnxruntime", or platform: "onnxruntime_onnx"\)/,
  );
  assert.match(
    only(
      'name: "e"\nplatform: "ensemble"\nbackend: "python"\nensemble_scheduling { step { model_name: "a" input_map { key: "x" value: "i" } output_map { key: "y" value: "o" } } }\ninput { name: "i" data_type: TYPE_FP32 dims: [1] }\noutput { name: "o" data_type: TYPE_FP32 dims: [1] }',
      'platform-backend',
    ).message,
    /Ensemble model 'e' must have platform type 'ensemble' and empty backend type/,
  );
});

test('instance groups: CPU with GPUs, negative gpu ids, negative count, ensemble', () => {
  const cpu = only(
    'backend: "onnxruntime"\ninstance_group [ { name: "g" kind: KIND_CPU gpus: [ 0, 1 ] } ]',
    'instance-kind-gpus',
  );
  assert.match(cpu.message, /instance group g of model {2}has kind KIND_CPU but specifies one or more GPUs/);
  assert.deepEqual([cpu.line, cpu.column], [2, 53]);
  assert.match(
    only('name: "m" backend: "onnxruntime"\ninstance_group { gpus: [ 0, -1 ] }', 'instance-gpu').message,
    /instance group m_0 of model m specifies invalid or unsupported gpu id -1/,
  );
  assert.match(
    only('backend: "onnxruntime"\ninstance_group { count: -2 }', 'instance-count').message,
    /must have count >= 1 \(got -2/,
  );
  const e = diags(
    'name: "e"\nplatform: "ensemble"\nensemble_scheduling { step { model_name: "a" input_map { key: "x" value: "i" } output_map { key: "y" value: "o" } } }\ninput { name: "i" data_type: TYPE_FP32 dims: [1] }\noutput { name: "o" data_type: TYPE_FP32 dims: [1] }\ninstance_group { count: 1 }',
  );
  assert.deepEqual(
    e.map((d) => [d.code, d.line]),
    [['ensemble-instance-group', 6]],
  );
  assert.match(e[0].message, /instance group should not be specified for ensemble 'e'/);
});

test('dynamic batching: preferred sizes vs max_batch_size, max_batch_size 0, priorities, preserve_ordering', () => {
  const big = only(
    'name: "m" backend: "onnxruntime"\nmax_batch_size: 4\ndynamic_batching {\n  preferred_batch_size: [ 2, 8 ]\n}',
    'preferred-batch-size',
  );
  assert.match(
    big.message,
    /dynamic batching preferred size must be <= max batch size for m \(preferred_batch_size 8 > max_batch_size 4\)/,
  );
  assert.deepEqual([big.line, big.column], [4, 30]);
  assert.match(
    only(
      'backend: "onnxruntime"\nmax_batch_size: 4\ndynamic_batching { preferred_batch_size: 0 }',
      'preferred-batch-size',
    ).message,
    /must be positive/,
  );
  const off = diags('backend: "onnxruntime"\ndynamic_batching { }');
  assert.deepEqual(
    off.map((d) => [d.severity, d.code]),
    [['warning', 'batching-disabled']],
  );
  assert.match(
    only(
      'backend: "onnxruntime"\nmax_batch_size: 4\ndynamic_batching { priority_levels: 3 default_priority_level: 4 }',
      'priority-level',
    ).message,
    /default priority level must be in range \[1, 3\]/,
  );
  assert.equal(
    diags(
      'backend: "onnxruntime"\nmax_batch_size: 4\ndynamic_batching { preserve_ordering: true priority_levels: 2 default_priority_level: 1 default_queue_policy { timeout_action: DELAY } }',
    ).filter((d) => d.code === 'preserve-ordering').length,
    2,
  );
  assert.match(
    only(
      'backend: "onnxruntime"\nmax_batch_size: 2\nsequence_batching { oldest { preferred_batch_size: [ 4 ] } }',
      'preferred-batch-size',
    ).message,
    /sequence batching preferred size must be <= max batch size/,
  );
});

const ENSEMBLE = (steps: string, extra = '') =>
  `name: "ens"\nplatform: "ensemble"\nmax_batch_size: 1\ninput { name: "IMAGE" data_type: TYPE_UINT8 dims: [ -1 ] }\n${extra}output { name: "LANES" data_type: TYPE_FP32 dims: [ 2784, 77 ] }\nensemble_scheduling {\n${steps}}\n`;
const PRE =
  '  step { model_name: "pre" model_version: -1 input_map { key: "raw" value: "IMAGE" } output_map { key: "tensor" value: "preprocessed" } }\n';
const NET =
  '  step { model_name: "net" model_version: -1 input_map { key: "images" value: "preprocessed" } output_map { key: "out" value: "LANES" } }\n';

test('ensembles: a correct pipeline is clean', () => {
  assert.deepEqual(diags(ENSEMBLE(PRE + NET)), []);
});

test('ensembles: input_map reading a tensor nobody writes, at the map entry', () => {
  const d = only(
    ENSEMBLE(PRE + NET.replace('value: "preprocessed"', 'value: "preprocesed"')),
    'ensemble-unknown-tensor',
  );
  assert.match(
    d.message,
    /step 1 \(model 'net'\) maps its input 'images' from ensemble tensor 'preprocesed', which is neither an input of ensemble 'ens' nor written by any step's output_map/,
  );
  assert.deepEqual([d.line, d.column], [8, 46]);
});

test('ensembles: unused inputs, unwritten outputs, unused intermediates, double writes, missing parts', () => {
  assert.match(
    only(ENSEMBLE(PRE + NET, 'input { name: "EXTRA" data_type: TYPE_FP32 dims: [ 1 ] }\n'), 'ensemble-unused-input')
      .message,
    /ensemble input 'EXTRA' for ensemble ens is not used/,
  );
  assert.match(
    only(ENSEMBLE(PRE + NET.replace('value: "LANES"', 'value: "lanes2"')), 'ensemble-unwritten-output').message,
    /output 'LANES' for ensemble 'ens' is not written/,
  );
  assert.match(
    only(
      ENSEMBLE(
        PRE +
          NET.replace(
            'output_map { key: "out" value: "LANES" }',
            'output_map { key: "out" value: "LANES" } output_map { key: "aux" value: "dangling" }',
          ),
      ),
      'ensemble-unused-tensor',
    ).message,
    /ensemble tensor 'dangling' is unused in ensemble 'ens'/,
  );
  assert.match(
    only(ENSEMBLE(PRE + NET + NET.replace('"preprocessed" }', '"preprocessed" } ')), 'ensemble-tensor').message,
    /ensemble tensor 'LANES' can appear in an output map only once .*steps 1 and 2 both write it/,
  );
  assert.match(only(ENSEMBLE(''), 'ensemble-step').message, /must specify 'step' for ensemble 'ens'/);
  assert.match(
    only(ENSEMBLE(PRE.replace('model_name: "pre" ', '') + NET), 'ensemble-step').message,
    /must specify 'model_name' in step 0/,
  );
  assert.match(
    only('name: "x"\nplatform: "ensemble"', 'ensemble-scheduling').message,
    /ensemble scheduling must be set for ensemble x whose platform is ensemble/,
  );
  assert.match(
    only('name: "x"\nbackend: "python"\nensemble_scheduling { }', 'ensemble-scheduling').message,
    /cannot be set for model 'x' whose platform is not ensemble/,
  );
});

test('version policy sanity', () => {
  const z = only('backend: "onnxruntime"\nversion_policy { latest { num_versions: 0 } }', 'version-policy');
  assert.equal(z.severity, 'error');
  assert.match(z.message, /num_versions: 0 \} selects no version/);
  const ds = diags('backend: "onnxruntime"\nversion_policy { specific { versions: [ 1, 3, 1, 0 ] } }').filter(
    (d) => d.code === 'version-policy',
  );
  assert.deepEqual(
    ds.map((d) => [d.severity, d.column]),
    [
      ['warning', 47],
      ['warning', 50],
    ],
  );
  assert.match(ds[0].message, /version 1 is listed more than once/);
  assert.match(ds[1].message, /version 0 can never exist/);
  assert.equal(only('backend: "onnxruntime"\nversion_policy { specific { } }', 'version-policy').severity, 'error');
});

test('empty name, negative max_batch_size, batch_input sources', () => {
  assert.equal(only('name: ""\nbackend: "onnxruntime"', 'empty-name').severity, 'warning');
  assert.match(
    only('backend: "onnxruntime"\nmax_batch_size: -1', 'max-batch-size').message,
    /'max_batch_size' must be non-negative/,
  );
  assert.match(
    only(
      'backend: "onnxruntime"\nmax_batch_size: 4\nbatch_input { kind: BATCH_ELEMENT_COUNT target_name: "n" data_type: TYPE_FP32 }',
      'batch-input',
    ).message,
    /batch input kind 'BATCH_ELEMENT_COUNT' expects 1 source input, got 0/,
  );
});

test('validateModelConfig works on a typed config without source positions', () => {
  const ds = validateModelConfig({
    name: 'm',
    max_batch_size: 2,
    backend: 'onnxruntime',
    dynamic_batching: { preferred_batch_size: [4] },
  });
  assert.deepEqual(
    ds.map((d) => [d.code, d.line, d.column, d.path]),
    [['preferred-batch-size', 1, 1, 'dynamic_batching.preferred_batch_size[0]']],
  );
});

test('semantic checks do not run when the text has schema errors (no knock-on noise)', () => {
  const r = parseModelConfig('max_batch_size: 4\ninput { name: "a" data_type: TYPE_FP3 dims: [1, 3, 360, 640] }');
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    ['bad-enum'],
  );
});
