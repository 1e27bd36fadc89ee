/**
 * The renderer's pure logic, without a browser: model input detection and tensor building, the
 * decoder adapter over shared/lanes (on a synthetic output, and the reference vectors where present), form edits that change only one
 * field's text, diagnostics -> editor ranges, statistics -> rates, the ensemble layout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EditorState } from '@codemirror/state';
import {
  imageInputOf,
  buildInputTensor,
  inputTensorByteSize,
  pickLaneOutput,
  decodeWith,
  decoderInfo,
  suggestedDecoder,
  DECODERS,
} from '../../shared/inference';
import { editConfigText } from '../../renderer/src/lib/pbtxtEdit';
import { analyzeConfig } from '../../renderer/src/lib/pbtxt';
import { minimalChange, offsetOf, toCmDiagnostics } from '../../renderer/src/lib/cmText';
import { ratesFrom } from '../../renderer/src/lib/stats';
import { useApp } from '../../renderer/src/state/store';
import type { RawResult } from '../../renderer/src/state/inference';
import { layoutEnsemble } from '../../renderer/src/components/ensemble/layout';
import type { ModelMetadata } from '../../shared/contract';
import { statisticsEntry } from '../helpers/modelStatistics';
import { fp16ToFloat32 } from '../../shared/tensor';
import { decodeLaneAtt } from '../../shared/lanes/laneatt';
import { getDecoder } from '../../shared/lanes/registry';
import { sharedPath, skipUnlessShared } from '../helpers/shared';
import { syntheticRoad } from '../lanes/synthetic';

const REPO_ROOT = join(import.meta.dirname, '../..');

const PRE = {
  channelOrder: 'RGB' as const,
  scale: 1 / 255,
  mean: [0, 0, 0] as [number, number, number],
  std: [1, 1, 1] as [number, number, number],
  dtype: 'auto' as const,
};

function meta(inputs: ModelMetadata['inputs'], outputs: ModelMetadata['outputs'] = []): ModelMetadata {
  return { name: 'm', versions: ['1'], platform: 'onnxruntime_onnx', inputs, outputs };
}

test('imageInputOf: NCHW with a variable batch dim, 3-D HWC without batch, and a clear error otherwise', () => {
  const a = imageInputOf(meta([{ name: 'input', datatype: 'FP32', shape: [-1, 3, 360, 640] }]));
  assert.deepEqual(a, {
    name: 'input',
    datatype: 'FP32',
    shape: [1, 3, 360, 640],
    layout: 'NCHW',
    height: 360,
    width: 640,
  });
  const b = imageInputOf(meta([{ name: 'IMAGE', datatype: 'UINT8', shape: [360, 640, 3] }]));
  assert.deepEqual(b, {
    name: 'IMAGE',
    datatype: 'UINT8',
    shape: [360, 640, 3],
    layout: 'NHWC',
    height: 360,
    width: 640,
  });
  assert.throws(
    () => imageInputOf(meta([{ name: 'x', datatype: 'FP32', shape: [1, 16] }])),
    /no image input.*x FP32 \[1,16\]/,
  );
});

test('buildInputTensor: FP32/FP16 planar via shared/preprocess, UINT8 HWC with BGR order', () => {
  // 2x1 RGBA: red, then blue.
  const px = new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 255]);
  const fp32 = buildInputTensor(
    px,
    { name: 'i', datatype: 'FP32', shape: [1, 3, 1, 2], layout: 'NCHW', width: 2, height: 1 },
    PRE,
  );
  assert.deepEqual([...new Float32Array(fp32.data.buffer, fp32.data.byteOffset, 6)], [1, 0, 0, 0, 0, 1]);
  const fp16 = buildInputTensor(
    px,
    { name: 'i', datatype: 'FP16', shape: [1, 3, 1, 2], layout: 'NCHW', width: 2, height: 1 },
    { ...PRE, channelOrder: 'BGR' },
  );
  const halves = new Uint16Array(fp16.data.buffer, fp16.data.byteOffset, 6);
  assert.deepEqual([...halves].map(fp16ToFloat32), [0, 1, 0, 0, 1, 0]);
  const u8 = buildInputTensor(
    px,
    { name: 'I', datatype: 'UINT8', shape: [1, 2, 3], layout: 'NHWC', width: 2, height: 1 },
    { ...PRE, channelOrder: 'BGR' },
  );
  assert.deepEqual([...u8.data], [0, 0, 255, 255, 0, 0]);
  assert.throws(
    () =>
      buildInputTensor(
        px,
        { name: 'i', datatype: 'INT32', shape: [1, 3, 1, 2], layout: 'NCHW', width: 2, height: 1 },
        PRE,
      ),
    /INT32/,
  );
});

test('buildInputTensor writes into a given buffer of the right size (video frames reuse one), else makes its own', () => {
  const px = new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 255]);
  const spec = { name: 'i', datatype: 'FP16', shape: [1, 3, 1, 2], layout: 'NCHW' as const, width: 2, height: 1 };
  assert.equal(inputTensorByteSize(spec, PRE), 12);
  assert.equal(inputTensorByteSize(spec, { ...PRE, dtype: 'FP32' }), 24);
  assert.equal(inputTensorByteSize({ ...spec, datatype: 'UINT8', layout: 'NHWC' }, PRE), 6);
  assert.equal(inputTensorByteSize({ ...spec, datatype: 'INT32' }, PRE), 0, 'not a datatype it builds');
  const out = new Uint8Array(12).fill(0xee);
  const t = buildInputTensor(px, spec, PRE, 4, out);
  assert.equal(t.data, out, 'written in place');
  assert.deepEqual([...new Uint16Array(out.buffer)].map(fp16ToFloat32), [1, 0, 0, 0, 0, 1]);
  const wrongSize = new Uint8Array(24);
  const own = buildInputTensor(px, spec, PRE, 4, wrongSize);
  assert.notEqual(own.data, wrongSize);
  assert.deepEqual(own.data, out);
  assert.ok(
    wrongSize.every((b) => b === 0),
    'a buffer of another size is left alone',
  );
});

test('putResults: one store update for several results; latest per slot is the newest; the cache stays bounded', () => {
  const result = (frameKey: string, at: number): RawResult => ({
    frameKey,
    frameIndex: Number(frameKey.slice(4)),
    model: 'm',
    output: { name: 'o', datatype: 'FP32', shape: [1], values: new Float32Array(1) },
    frameW: 1,
    frameH: 1,
    timing: { preprocessMs: 0, requestMs: 0 },
    at,
  });
  const st = useApp.getState();
  st.clearResults();
  st.setInferError('a', 'old error');
  let updates = 0;
  const unsubscribe = useApp.subscribe(() => updates++);
  // Answers can arrive out of order: the one captured later (at) stays 'latest'.
  const late = result('vid:2', 20);
  useApp.getState().putResults([
    ['a', late],
    ['a', result('vid:1', 10)],
    ['b', result('vid:1', 11)],
  ]);
  unsubscribe();
  assert.equal(updates, 1);
  const s = useApp.getState();
  assert.equal(s.latest.a, late);
  assert.equal(s.latest.b?.frameKey, 'vid:1');
  assert.deepEqual(Object.keys(s.results).sort(), ['a|vid:1', 'a|vid:2', 'b|vid:1']);
  assert.equal(s.inferErrors.a, null);
  useApp.getState().putResults(Array.from({ length: 400 }, (_, i) => ['a', result(`vid:${i + 10}`, 100 + i)] as const));
  const keys = Object.keys(useApp.getState().results);
  assert.equal(keys.length, 300);
  assert.ok(keys.includes('a|vid:409') && !keys.includes('a|vid:10'), 'the oldest are evicted');
  useApp.getState().clearResults();
});

test('pickLaneOutput picks the largest floating-point output', () => {
  const m = meta(
    [],
    [
      { name: 'count', datatype: 'INT32', shape: [1] },
      { name: 'small', datatype: 'FP32', shape: [1, 4] },
      { name: 'predict_lanes', datatype: 'FP32', shape: [1, 2784, 77] },
    ],
  );
  assert.equal(pickLaneOutput(m), 'predict_lanes');
});

test('decoder adapter: suggestion from shape; LaneATT lanes equal the direct decode; the slider never adds lanes', () => {
  assert.equal(suggestedDecoder([1, 2784, 77])?.id, 'laneatt');
  assert.equal(suggestedDecoder([1, 101, 56, 4])?.id, 'ufld');
  assert.equal(suggestedDecoder([7, 7]), undefined);
  // Every decoder offers labelled options whose defaults lie inside their own bounds (what the sliders show).
  for (const d of DECODERS) {
    assert.ok(d.options.length > 0, d.id);
    const defaults = getDecoder(d.id).defaults as Record<string, unknown>;
    for (const o of d.options) {
      assert.ok(o.label.length > 0, `${d.id}.${o.key} has a label`);
      const v = defaults[o.key];
      if (typeof v === 'number' && o.min !== undefined) assert.ok(v >= o.min, `${d.id}.${o.key} >= min`);
      if (typeof v === 'number' && o.max !== undefined) assert.ok(v <= o.max, `${d.id}.${o.key} <= max`);
    }
  }
  const raw = syntheticRoad();
  const r = decodeWith(
    decoderInfo('laneatt')!,
    { conf: 0.5, nms: 15, topk: 10 },
    raw,
    [1, 2784, 77],
    { w: 1280, h: 720 },
    true,
  );
  const direct = decodeLaneAtt(raw, { conf: 0.5, nms: 15, topk: 10, origW: 1280, origH: 720 });
  assert.equal(r.lanes.length, 4);
  assert.deepEqual(
    r.lanes.map((l) => l.points),
    direct.lanes.map((l) => l.points),
  );
  assert.ok(r.proposals && r.proposals.length >= r.lanes.length);
  // Higher threshold on the same raw output: never more lanes (what the slider does).
  const fewer = decodeWith(
    decoderInfo('laneatt')!,
    { conf: 0.975, nms: 15, topk: 10 },
    raw,
    [1, 2784, 77],
    { w: 1280, h: 720 },
    false,
  );
  assert.ok(fewer.lanes.length < r.lanes.length && fewer.lanes.length > 0);
});

test('decoder adapter: LaneATT lanes equal the reference vector', { skip: skipUnlessShared('lanes/vectors') }, () => {
  const dir = sharedPath('lanes/vectors');
  const expected = JSON.parse(readFileSync(join(dir, '01_culane_4lanes.json'), 'utf8'));
  const buf = readFileSync(join(dir, '01_culane_4lanes.f32'));
  const raw = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const p = expected.params;
  const r = decodeWith(
    decoderInfo('laneatt')!,
    { conf: p.conf, nms: p.nms, topk: p.topk },
    raw,
    [1, 2784, 77],
    { w: p.orig_w, h: p.orig_h },
    true,
  );
  assert.equal(r.lanes.length, expected.lanes.length);
  r.lanes.forEach((l, i) => {
    assert.equal(l.points.length, expected.lanes[i].points_orig.length);
    const [x, y] = l.points[0];
    assert.ok(
      Math.abs(x - expected.lanes[i].points_orig[0][0]) < 1e-3 &&
        Math.abs(y - expected.lanes[i].points_orig[0][1]) < 1e-3,
    );
  });
});

test('form edits change only the edited field text (comments and layout kept)', () => {
  const text = readFileSync(join(REPO_ROOT, 'assets/demo-repo/LaneDet_fp16/config.pbtxt'), 'utf8');
  const edited = editConfigText(text, 'max_batch_size', { number: 4 });
  const c = minimalChange(text, edited);
  assert.equal(text.slice(c.from, c.to), '1');
  assert.equal(c.insert, '4');
  const kind = editConfigText(text, 'instance_group[0].kind', { enum: 'KIND_GPU' });
  assert.equal(kind, text.replace('kind: KIND_CPU', 'kind: KIND_GPU'));
  const dims = editConfigText(text, 'input[0].dims', { list: [1, 3, 720, 1280] });
  assert.equal(
    analyzeConfig(dims).json?.input && (analyzeConfig(dims).json!.input as { dims: number[] }[])[0].dims.join(','),
    '1,3,720,1280',
  );
  assert.ok(dims.startsWith(text.slice(0, text.indexOf('input ['))), 'text before the edit is byte-identical');
  assert.throws(() => editConfigText('name: "x"\ninput [ {', 'name', { string: 'y' }), /syntax/);
});

test('diagnostics land on the right editor line and get a visible range', () => {
  const text = 'name: "m"\nmax_batch_sizee: 4\n';
  const a = analyzeConfig(text, 'm/config.pbtxt');
  const d = a.diagnostics.find((x) => x.severity === 'error')!;
  assert.equal(d.line, 2);
  assert.equal(d.column, 1);
  const state = EditorState.create({ doc: text });
  const [cm] = toCmDiagnostics(state, [d]);
  assert.equal(state.doc.lineAt(cm.from).number, 2);
  assert.ok(cm.to > cm.from);
  assert.equal(offsetOf(state.doc, 99, 1), state.doc.line(state.doc.lines).from, 'out-of-range lines clamp');
});

test('statistics: cumulative counters become per-interval request rates and mean times', () => {
  const entry = (count: number, ns: number, queueNs: number) =>
    statisticsEntry(count, ns, { queueNs, computeInferNs: ns / 2 });
  const r = ratesFrom([
    { t: 0, entry: entry(0, 0, 0) },
    { t: 2000, entry: entry(10, 50e6, 10e6) },
    { t: 4000, entry: entry(10, 50e6, 10e6) },
  ]);
  assert.deepEqual(r.rps, [5, 0]);
  assert.deepEqual(r.latency, [5, null]);
  assert.deepEqual(r.queue, [1, null]);
  assert.deepEqual(r.compute, [2.5, null]);
});

test('ensemble layout: inputs, steps and tensors in dependency columns', () => {
  const { nodes, edges } = layoutEnsemble({
    input: [{ name: 'IMAGE' }],
    output: [{ name: 'LANES' }],
    ensemble_scheduling: {
      step: [
        { model_name: 'post', model_version: -1, input_map: { x: 'mid' }, output_map: { y: 'LANES' } },
        { model_name: 'pre', model_version: 1, input_map: { INPUT0: 'IMAGE' }, output_map: { OUTPUT0: 'mid' } },
      ],
    },
  });
  const col = (id: string) => nodes.find((n) => n.id === id)!.col;
  assert.equal(col('t:IMAGE'), 0);
  assert.equal(col('s:1'), 1);
  assert.equal(col('t:mid'), 2);
  assert.equal(col('s:0'), 3);
  assert.equal(col('t:LANES'), 4);
  assert.equal(edges.length, 4);
  assert.equal(edges.find((e) => e.to === 's:1')?.label, 'INPUT0');
});
