/**
 * The demo model repository: every config.pbtxt is valid, each ONNX file's interface matches its
 * config, the ensemble's steps connect (names, types, shapes), and the embedded server serves it:
 * ONNX models READY, the TensorRT stub UNAVAILABLE with a reason, the pipeline equal to running
 * preprocess and model by hand.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { parseModelConfig, type ModelConfig } from '../../shared/pbtxt';
import { readOnnxModelSummary, type OnnxElemType } from '../../scripts/onnx/builder';
import { buildDemoAssets, DEMO_DIR, DEMO_REPO_DIR } from '../../scripts/demo/build';
import { startEmbeddedServer } from '../../electron/server/index';
import { TritonClient } from '../../electron/triton/index';

const TRITON_TYPE: Record<OnnxElemType, string> = {
  float: 'TYPE_FP32',
  float16: 'TYPE_FP16',
  uint8: 'TYPE_UINT8',
  int64: 'TYPE_INT64',
  int32: 'TYPE_INT32',
  double: 'TYPE_FP64',
  int8: 'TYPE_INT8',
  uint16: 'TYPE_UINT16',
  int16: 'TYPE_INT16',
  bool: 'TYPE_BOOL',
  string: 'TYPE_STRING',
  uint32: 'TYPE_UINT32',
  uint64: 'TYPE_UINT64',
  bfloat16: 'TYPE_BF16',
};

type TensorSpec = NonNullable<ModelConfig['input']>[number];
const configs = new Map<string, ModelConfig>();

before(async () => {
  await buildDemoAssets({ log: () => {} });
  for (const name of readdirSync(DEMO_REPO_DIR)) {
    const file = join(DEMO_REPO_DIR, name, 'config.pbtxt');
    if (!existsSync(file)) continue;
    const r = parseModelConfig(readFileSync(file, 'utf8'), { file });
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.severity} ${d.message}`),
      [],
      file,
    );
    assert.ok(r.config, file);
    configs.set(name, r.config);
  }
});

test('the repository holds the expected models, each named like its directory', () => {
  assert.deepEqual([...configs.keys()].sort(), [
    'laneDetect_trt',
    'lane_demo',
    'lane_demo_fp16',
    'lane_pipeline',
    'lane_preprocess',
  ]);
  for (const [dir, c] of configs) assert.equal(c.name, dir);
  assert.equal(configs.get('lane_pipeline')!.platform, 'ensemble');
  assert.equal(configs.get('laneDetect_trt')!.platform, 'tensorrt_plan');
  assert.ok(existsSync(join(DEMO_REPO_DIR, 'laneDetect_trt/1/model.plan')));
  assert.ok(existsSync(join(DEMO_REPO_DIR, 'lane_pipeline/1')), 'ensembles need a version directory');
});

test("each ONNX model's inputs and outputs match its config (names, types, full shapes)", () => {
  for (const name of ['lane_demo', 'lane_demo_fp16', 'lane_preprocess']) {
    const c = configs.get(name)!;
    assert.equal(c.backend, 'onnxruntime');
    assert.equal(c.max_batch_size ?? 0, 0);
    const m = readOnnxModelSummary(readFileSync(join(DEMO_REPO_DIR, name, '1/model.onnx')));
    const side = (cfg: NonNullable<ModelConfig['input']>, onnx: typeof m.inputs) => {
      assert.deepEqual(
        cfg.map((t) => t.name),
        onnx.map((t) => t.name),
        name,
      );
      cfg.forEach((t, i) => {
        assert.equal(t.data_type, TRITON_TYPE[onnx[i].elemType], `${name} ${t.name}`);
        assert.deepEqual(t.dims, onnx[i].shape, `${name} ${t.name}`);
      });
    };
    side(c.input!, m.inputs);
    side(c.output!, m.outputs);
  }
});

test("ensemble steps connect: every mapped tensor has the producer's and consumer's type and shape", () => {
  const ens = configs.get('lane_pipeline')!;
  const steps = ens.ensemble_scheduling!.step!;
  const tensors = new Map<string, { type: string; dims: number[] }>();
  for (const t of ens.input!) tensors.set(t.name!, { type: t.data_type!, dims: t.dims! });
  for (const step of steps) {
    const model: ModelConfig | undefined = configs.get(step.model_name!);
    assert.ok(model, `step model ${step.model_name} is in the repository`);
    for (const [modelInput, ensTensor] of Object.entries(step.input_map ?? {})) {
      const spec: TensorSpec | undefined = model.input!.find((t) => t.name === modelInput);
      assert.ok(spec, `${step.model_name} has input ${modelInput}`);
      assert.deepEqual(
        tensors.get(ensTensor),
        { type: spec.data_type, dims: spec.dims },
        `${ensTensor} -> ${step.model_name}.${modelInput}`,
      );
    }
    for (const [modelOutput, ensTensor] of Object.entries(step.output_map ?? {})) {
      const spec: TensorSpec | undefined = model.output!.find((t) => t.name === modelOutput);
      assert.ok(spec, `${step.model_name} has output ${modelOutput}`);
      tensors.set(ensTensor, { type: spec.data_type!, dims: spec.dims! });
    }
  }
  for (const t of ens.output!)
    assert.deepEqual(tensors.get(t.name!), { type: t.data_type, dims: t.dims }, `ensemble output ${t.name}`);
});

test('embedded server: ONNX models READY, TensorRT stub UNAVAILABLE with a reason, pipeline == preprocess + model', async () => {
  const server = await startEmbeddedServer({ modelRepository: DEMO_REPO_DIR, controlMode: 'none' });
  const client = new TritonClient({ url: server.url });
  try {
    const index = await client.repositoryIndex();
    const state = Object.fromEntries(index.map((e) => [e.name, e]));
    for (const n of ['lane_demo', 'lane_demo_fp16', 'lane_preprocess', 'lane_pipeline'])
      assert.equal(state[n]?.state, 'READY', n);
    assert.equal(state.laneDetect_trt?.state, 'UNAVAILABLE');
    assert.match(state.laneDetect_trt.reason, /tensorrt|TensorRT|plan/);

    const { data } = await sharp(join(DEMO_DIR, 'scenes/scene_03.jpg'))
      .resize(640, 360, { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const image = new Uint8Array(data);
    const viaServer = await client.infer({
      model: 'lane_pipeline',
      inputs: [{ name: 'IMAGE', datatype: 'UINT8', shape: [360, 640, 3], data: image }],
    });
    const out = viaServer.outputs.find((o) => o.name === 'LANES')!;
    assert.deepEqual(out.shape, [1, 2784, 77]);
    const lanes = new Float32Array(Uint8Array.from(out.data).buffer);

    const pre = await ort.InferenceSession.create(join(DEMO_REPO_DIR, 'lane_preprocess/1/model.onnx'));
    const model = await ort.InferenceSession.create(join(DEMO_REPO_DIR, 'lane_demo/1/model.onnx'));
    const chw = (await pre.run({ INPUT0: new ort.Tensor('uint8', image, [360, 640, 3]) })).OUTPUT0;
    // the preprocessing really is HWC uint8 -> CHW / 255
    const f = chw.data as Float32Array;
    assert.ok(Math.abs(f[1 * 640 * 360 + 100 * 640 + 200] - image[(100 * 640 + 200) * 3 + 1] / 255) < 1e-7);
    const direct = (await model.run({ input: chw })).predict_lanes.data as Float32Array;
    assert.equal(direct.length, lanes.length);
    let maxDiff = 0;
    for (let i = 0; i < direct.length; i++) maxDiff = Math.max(maxDiff, Math.abs(direct[i] - lanes[i]));
    assert.ok(maxDiff < 1e-4, `pipeline vs direct: max |diff| ${maxDiff}`);
    await pre.release();
    await model.release();
  } finally {
    client.close();
    await server.close();
  }
});
