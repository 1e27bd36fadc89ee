/**
 * The demo model repository mirrors the deployment: every config.pbtxt is valid, laneDetect_model has
 * the deployment's exact fields, each ONNX file's interface matches its config (batch dimension
 * included), the ensemble's steps connect (names, types, shapes), and the embedded server serves it:
 * ONNX models READY, the TensorRT twin UNAVAILABLE with a reason, the pipeline equal to running
 * preprocessing and model by hand, and the deployment's Python client flow (FP16 input to
 * LaneDet_fp16, outputs predict_lanes and 914) works over our gRPC client.
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
import { makeTensor, tensorValues } from '../../shared/tensor/codec';
import { sharedPath, skipUnlessShared } from '../helpers/shared';

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

const MODELS = ['LaneDet_fp16', 'laneDetect_model', 'laneDetect_pipeline', 'laneDetect_preprocess', 'laneDetect_trt'];

test('the repository holds the deployment-like models, each named like its directory', () => {
  assert.deepEqual([...configs.keys()].sort(), MODELS);
  for (const [dir, c] of configs) assert.equal(c.name, dir);
  assert.equal(configs.get('laneDetect_pipeline')!.platform, 'ensemble');
  assert.ok(existsSync(join(DEMO_REPO_DIR, 'laneDetect_pipeline/1')), 'ensembles need a version directory');
  for (const name of ['laneDetect_model', 'LaneDet_fp16'])
    assert.ok(existsSync(join(DEMO_REPO_DIR, name, '1/MODEL_CARD.md')), `${name} has a model card`);
});

test("laneDetect_model and the TensorRT twin carry the deployment's exact config fields", () => {
  const expectDeployment = (c: ModelConfig) => {
    assert.equal(c.max_batch_size, 1);
    assert.deepEqual(
      c.input!.map((t) => [t.name, t.data_type, t.dims]),
      [['input', 'TYPE_FP32', [3, 360, 640]]],
    );
    assert.deepEqual(
      c.output!.map((t) => [t.name, t.data_type, t.dims]),
      [['predict_lanes', 'TYPE_FP32', [2784, 77]]],
    );
  };
  const model = configs.get('laneDetect_model')!;
  expectDeployment(model);
  assert.equal(model.backend, 'onnxruntime');
  assert.ok(existsSync(join(DEMO_REPO_DIR, 'laneDetect_model/1/model.onnx')));
  const trt = configs.get('laneDetect_trt')!;
  expectDeployment(trt);
  assert.equal(trt.platform, 'tensorrt_plan');
  assert.ok(existsSync(join(DEMO_REPO_DIR, 'laneDetect_trt/1/model.plan')));
});

const DEPLOYED_TRT = 'triton/sample-repo/laneDetect_model/config.pbtxt';
test(
  "the TensorRT twin's config is the deployment's, field for field (its name aside)",
  { skip: skipUnlessShared(DEPLOYED_TRT) },
  () => {
    const file = sharedPath(DEPLOYED_TRT);
    const deployed = parseModelConfig(readFileSync(file, 'utf8'), { file }).config!;
    assert.deepEqual({ ...configs.get('laneDetect_trt')!, name: deployed.name }, deployed);
  },
);

test("each ONNX model's inputs and outputs match its config (names, types, batch dimension + dims)", () => {
  for (const name of ['laneDetect_model', 'LaneDet_fp16', 'laneDetect_preprocess']) {
    const c = configs.get(name)!;
    assert.equal(c.backend, 'onnxruntime');
    assert.equal(c.max_batch_size, 1);
    const m = readOnnxModelSummary(readFileSync(join(DEMO_REPO_DIR, name, '1/model.onnx')));
    const side = (cfg: NonNullable<ModelConfig['input']>, onnx: typeof m.inputs) => {
      for (const t of cfg) {
        const o = onnx.find((x) => x.name === t.name);
        assert.ok(o, `${name}: the ONNX model has ${t.name}`);
        assert.equal(t.data_type, TRITON_TYPE[o.elemType], `${name} ${t.name}`);
        // A symbolic batch dimension (Triton requires -1 there when max_batch_size > 0), then the
        // config's dims; -1 in the config is a symbolic ONNX dimension
        assert.equal(typeof o.shape![0], 'string', `${name} ${t.name}: symbolic batch dimension`);
        assert.deepEqual(
          o.shape!.slice(1).map((d) => (typeof d === 'number' ? d : -1)),
          t.dims,
          `${name} ${t.name}`,
        );
      }
    };
    side(c.input!, m.inputs);
    side(c.output!, m.outputs);
    assert.equal(m.inputs.length, c.input!.length, `${name}: no unlisted inputs`);
  }
  // the deployment's client asks laneDetect_model's FP16 twin for 914: both models have it
  for (const name of ['laneDetect_model', 'LaneDet_fp16']) {
    const m = readOnnxModelSummary(readFileSync(join(DEMO_REPO_DIR, name, '1/model.onnx')));
    assert.deepEqual(
      m.outputs.map((o) => [o.name, o.shape]),
      [
        ['predict_lanes', ['batch', 2784, 77]],
        ['914', ['batch', 2784]],
      ],
      name,
    );
  }
});

test("ensemble steps connect: every mapped tensor has the producer's and consumer's type and shape", () => {
  const ens = configs.get('laneDetect_pipeline')!;
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

test('embedded server: models READY, TensorRT twin UNAVAILABLE with a reason, pipeline == preprocessing + model, the Python client flow', async () => {
  const server = await startEmbeddedServer({ modelRepository: DEMO_REPO_DIR, controlMode: 'none' });
  const client = new TritonClient({ url: server.url });
  try {
    const index = await client.repositoryIndex();
    const state = Object.fromEntries(index.map((e) => [e.name, e]));
    for (const n of ['laneDetect_model', 'LaneDet_fp16', 'laneDetect_preprocess', 'laneDetect_pipeline'])
      assert.equal(state[n]?.state, 'READY', n);
    assert.equal(state.laneDetect_trt?.state, 'UNAVAILABLE');
    assert.match(state.laneDetect_trt.reason, /tensorrt|TensorRT|plan/);

    // a raw 1280x720 camera frame in BGR (as cv2.imread gives it) through the ensemble
    const { data, info } = await sharp(join(DEMO_DIR, 'scenes/scene_03.jpg'))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const bgr = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i += 3) {
      bgr[i] = data[i + 2];
      bgr[i + 1] = data[i + 1];
      bgr[i + 2] = data[i];
    }
    const viaServer = await client.infer({
      model: 'laneDetect_pipeline',
      inputs: [{ name: 'IMAGE', datatype: 'UINT8', shape: [1, info.height, info.width, 3], data: bgr }],
    });
    const out = viaServer.outputs.find((o) => o.name === 'LANES')!;
    assert.deepEqual(out.shape, [1, 2784, 77]);
    const lanes = new Float32Array(Uint8Array.from(out.data).buffer);

    const pre = await ort.InferenceSession.create(join(DEMO_REPO_DIR, 'laneDetect_preprocess/1/model.onnx'));
    const model = await ort.InferenceSession.create(join(DEMO_REPO_DIR, 'laneDetect_model/1/model.onnx'));
    const chw = (await pre.run({ IMAGE: new ort.Tensor('uint8', bgr, [1, info.height, info.width, 3]) })).input;
    // the preprocessing is LaneATT's: BGR kept, bilinear resize (a 2x reduction averages 2x2 pixels), /255
    const f = chw.data as Float32Array;
    const px = (x: number, y: number, c: number) => bgr[(y * info.width + x) * 3 + c];
    const avg = (px(400, 200, 0) + px(401, 200, 0) + px(400, 201, 0) + px(401, 201, 0)) / 4 / 255;
    assert.ok(Math.abs(f[100 * 640 + 200] - avg) < 1e-6, 'plane 0 is blue, resized bilinearly');
    assert.deepEqual(chw.dims, [1, 3, 360, 640]);
    const direct = (await model.run({ input: chw })).predict_lanes.data as Float32Array;
    assert.equal(direct.length, lanes.length);
    let maxDiff = 0;
    for (let i = 0; i < direct.length; i++) maxDiff = Math.max(maxDiff, Math.abs(direct[i] - lanes[i]));
    assert.ok(maxDiff < 1e-4, `pipeline vs direct: max |diff| ${maxDiff}`);
    await pre.release();
    await model.release();

    // the deployment's client code, through our client:
    //   inputs = [InferInput('input', [1, 3, 360, 640], 'FP16')]; random values in [0, 1)
    //   outputs = [InferRequestedOutput('predict_lanes'), InferRequestedOutput('914')]
    const n = 3 * 360 * 640;
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = (((i * 2654435761) >>> 0) % 1000) / 1000;
    const result = await client.infer({
      model: 'LaneDet_fp16',
      inputs: [makeTensor('input', 'FP16', [1, 3, 360, 640], values)],
      outputs: [{ name: 'predict_lanes' }, { name: '914' }],
    });
    const byName = Object.fromEntries(result.outputs.map((o) => [o.name, o]));
    assert.deepEqual(Object.keys(byName).sort(), ['914', 'predict_lanes']);
    assert.equal(byName.predict_lanes.datatype, 'FP32'); // FP16 in, FP32 out, as the deployment's FP16 engine
    assert.deepEqual(byName.predict_lanes.shape, [1, 2784, 77]);
    assert.deepEqual(byName['914'].shape, [1, 2784]);
    const rows = tensorValues(byName.predict_lanes) as Float32Array;
    const prob = tensorValues(byName['914']) as Float32Array;
    // 914 is the lane probability of each anchor: softmax of predict_lanes' two class logits
    for (const a of [0, 500, 1000, 2000, 2783]) {
      const p = 1 / (1 + Math.exp(rows[a * 77] - rows[a * 77 + 1]));
      assert.ok(Math.abs(p - prob[a]) < 1e-5, `anchor ${a}: 914 ${prob[a]} vs softmax ${p}`);
      assert.ok(Number.isFinite(rows[a * 77 + 40]));
    }
  } finally {
    client.close();
    await server.close();
  }
});
