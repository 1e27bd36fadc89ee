/**
 * The inspector model (renderer/src/panels/inspector/model.ts), shared by the view, the exporters
 * and these tests: GT lookup for images and video frames, decoding through the one decode policy
 * (memoised per result and setting), and the metrics rows — which score video frames too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeResult,
  gtFor,
  imageFrameKey,
  resultKey,
  sequenceScore,
  videoFrameKey,
} from '../../renderer/src/panels/inspector/model';
import { metricsRows, sequenceJson, tusimplePredictions } from '../../renderer/src/panels/inspector/exportData';
import { toCsv } from '../../shared/csv';
import type { RawResult } from '../../renderer/src/state/inference';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { NonFiniteAlert } from '../../renderer/src/panels/inspector/NonFiniteAlert';
import { LANE_PREPROCESS } from '../../shared/inference';
import { parseTusimpleJson, tusimpleAccuracy, type TusimpleFrame } from '../../shared/lanes';

const H = [200, 250, 300, 350];
const gtFrame = (raw_file: string, x: number): TusimpleFrame => ({ raw_file, h_samples: H, lanes: [H.map(() => x)] });

/** A LaneATT-layout output [1, 2784, 77] with one confident vertical lane at x (input pixels). */
function laneAttOutput(x: number): Float32Array {
  const v = new Float32Array(2784 * 77);
  for (let r = 0; r < 2784; r++) v[r * 77] = 5; // background logit: nothing
  const o = 0;
  v[o] = 0;
  v[o + 1] = 6; // lane
  v[o + 2] = 0; // start_y (fraction from the bottom)
  v[o + 4] = 71; // length in rows
  for (let i = 0; i < 72; i++) v[o + 5 + i] = x;
  return v;
}

function result(frameIndex: number, frameKey: string, x: number): RawResult {
  return {
    frameKey,
    frameIndex,
    model: 'm',
    output: { name: 'predict_lanes', datatype: 'FP32', shape: [1, 2784, 77], values: laneAttOutput(x) },
    frameW: 640,
    frameH: 360,
    timing: { preprocessMs: 1, requestMs: 2 },
    at: frameIndex,
  };
}

test('gtFor: images by file name, video frames by the number in raw_file, else by position', () => {
  const gt = {
    name: 'l',
    frames: [gtFrame('clips/a/0007.jpg', 1), gtFrame('clips/a/0003.jpg', 2), gtFrame('x/20.jpg', 3)],
  };
  const images = { kind: 'images' as const, items: [{ name: '0003.jpg' }, { name: 'none.jpg' }] };
  assert.equal(gtFor(gt, images, 0)?.raw_file, 'clips/a/0003.jpg');
  assert.equal(gtFor(gt, images, 1), null);
  assert.equal(gtFor(gt, { kind: 'video' }, 7)?.raw_file, 'clips/a/0007.jpg');
  assert.equal(gtFor(gt, { kind: 'video' }, 20)?.raw_file, 'x/20.jpg');
  assert.equal(gtFor(gt, { kind: 'video' }, 1)?.raw_file, 'clips/a/0003.jpg', 'no number match: by position');
  assert.equal(gtFor(null, images, 0), null);
});

test('gtFor: images whose names repeat across TuSimple clips are matched by the longest shared path tail', () => {
  const gt = {
    name: 'label_data_0313.json',
    frames: [gtFrame('clips/0313-1/6040/20.jpg', 1), gtFrame('clips/0313-1/6080/20.jpg', 2), gtFrame('x/1.jpg', 3)],
  };
  const images = {
    kind: 'images' as const,
    items: [
      { name: '20.jpg', path: 'train_set/clips/0313-1/6080/20.jpg' },
      { name: '20.jpg', path: 'train_set/clips/0313-1/6040/20.jpg' },
      { name: '1.jpg', path: 'elsewhere/1.jpg' },
      { name: '20.jpg' },
    ],
  };
  assert.equal(gtFor(gt, images, 0)?.raw_file, 'clips/0313-1/6080/20.jpg');
  assert.equal(gtFor(gt, images, 1)?.raw_file, 'clips/0313-1/6040/20.jpg');
  assert.equal(gtFor(gt, images, 2)?.raw_file, 'x/1.jpg', 'one label of that name: it');
  assert.equal(gtFor(gt, images, 3)?.raw_file, 'clips/0313-1/6040/20.jpg', 'no path: the first');
});

test('decodeResult uses the policy defaults, is memoised per settings, and names a shape no decoder reads', () => {
  const r = result(0, videoFrameKey(0), 320);
  const settings = { id: 'auto', options: {} };
  const d = decodeResult(r, settings, false);
  assert.equal(d.error, null);
  assert.equal(d.decoded!.decoder, 'laneatt');
  assert.deepEqual([d.decoded!.options.conf, d.decoded!.options.nms, d.decoded!.options.topk], [0.2, 45, 5]);
  assert.equal(d.decoded!.lanes.length, 1);
  assert.equal(decodeResult(r, settings, false).decoded, d.decoded, 'same settings object: no second decode');
  const strict = decodeResult(r, { id: 'auto', options: { laneatt: { conf: 0.9999 } } }, false);
  assert.equal(strict.decoded!.lanes.length, 0);
  const odd = decodeResult(
    { ...r, output: { ...r.output, shape: [7, 7], values: new Float32Array(49) } },
    settings,
    false,
  );
  assert.match(odd.error!, /no decoder matches output 'predict_lanes' \[7,7\]/);
});

test('metricsRows scores video frames against their labels (the CSV the UI exports)', () => {
  const results = {
    [resultKey('a', videoFrameKey(0))]: result(0, videoFrameKey(0), 320),
    [resultKey('a', videoFrameKey(1))]: result(1, videoFrameKey(1), 100),
  };
  const gt = { name: 'labels', frames: [gtFrame('0000.jpg', 320), gtFrame('0001.jpg', 500)] };
  const settings = { id: 'auto', options: {} };
  const rows = metricsRows(results, settings, gt, { kind: 'video' });
  assert.equal(rows.length, 3);
  const acc = rows[0].indexOf('tusimple_acc');
  assert.equal(rows[1][acc], '1.0000', 'frame 1: the lane is on its label');
  assert.equal(rows[2][acc], '0.0000', 'frame 2: 400 px off');
  assert.match(toCsv(rows), /^file,frame,time_s,slot,model,lanes/);
  const seq = sequenceScore(results, gt, { kind: 'video' }, settings)!;
  assert.deepEqual([seq.frames, seq.labelled, seq.accuracy], [2, 2, 0.5]);
  // Scores are kept per decoded result and label: other labels for the same results score afresh.
  const moved = {
    name: 'moved',
    frames: gt.frames.map((f) => ({ ...f, lanes: f.lanes.map((l) => l.map((x) => x + 400)) })),
  };
  const again = sequenceScore(results, moved, { kind: 'video' }, settings)!;
  assert.equal(
    sequenceScore(results, gt, { kind: 'video' }, settings)!.accuracy,
    0.5,
    'the same labels: the same score',
  );
  assert.notEqual(again.accuracy, 0.5, `labels moved 400 px score differently: ${again.accuracy}`);
  assert.equal(imageFrameKey(3, 'a.png'), 'img:3:a.png');
});

test('exports: per frame and slot in order (A before B), the file column, the sequence, TuSimple lines read back', () => {
  const images = {
    kind: 'images' as const,
    label: 'clip',
    items: [{ name: 'b.jpg', path: 'clip/b.jpg' }, { name: 'a.jpg' }],
  };
  const key = (i: number) => imageFrameKey(i, images.items[i].name);
  // Inserted B first and frame 2 first: the exports still list frame 1 A, frame 1 B, frame 2 A, ...
  const results = {
    [resultKey('b', key(1))]: { ...result(1, key(1), 300), model: 'fp16' },
    [resultKey('a', key(1))]: result(1, key(1), 300),
    [resultKey('b', key(0))]: { ...result(0, key(0), 100), model: 'fp16' },
    [resultKey('a', key(0))]: result(0, key(0), 100),
  };
  const gt = { name: 'labels', frames: [gtFrame('clip/b.jpg', 100), gtFrame('x/a.jpg', 500)] };
  const settings = { id: 'auto', options: {} };
  const rows = metricsRows(results, settings, gt, images);
  assert.deepEqual(
    rows.slice(1).map((r) => `${r[0]}|${r[1]}|${r[3]}|${r[4]}`),
    ['clip/b.jpg|1|a|m', 'clip/b.jpg|1|b|fp16', 'a.jpg|2|a|m', 'a.jpg|2|b|fp16'],
  );
  const seq = sequenceJson(results, settings, gt, images, LANE_PREPROCESS);
  assert.deepEqual(
    seq.frames.map((f) => [f.file, f.gt_raw_file, f.a?.model, f.b?.model, f.a?.lanes.length]),
    [
      ['clip/b.jpg', 'clip/b.jpg', 'm', 'fp16', 1],
      ['a.jpg', 'x/a.jpg', 'm', 'fp16', 1],
    ],
  );
  assert.equal(seq.source.frames, 2);
  // TuSimple lines of A: labelled frames take the label's raw_file and rows; the evaluator pairs them.
  const text = tusimplePredictions(results, 'a', settings, gt, images);
  const preds = parseTusimpleJson(text, 'a.json');
  assert.deepEqual(
    preds.map((p) => p.raw_file),
    ['clip/b.jpg', 'x/a.jpg'],
  );
  assert.deepEqual(Object.keys(JSON.parse(text.split('\n')[0]) as object), [
    'raw_file',
    'lanes',
    'h_samples',
    'run_time',
  ]);
  const score = tusimpleAccuracy(preds, gt.frames);
  const app = sequenceScore(results, gt, images, settings)!;
  assert.equal(score.accuracy, app.accuracy, 'the evaluator scores what the app shows');
  assert.equal(score.frames[0].accuracy, 1, 'frame 1: on its label');
  assert.equal(score.frames[1].accuracy, 0, 'frame 2: 400 px off');
  // Without labels: the file path and TuSimple's rows scaled to the frame (360 high: 80..355).
  const bare = parseTusimpleJson(tusimplePredictions(results, 'b', settings, null, images));
  assert.equal(bare[0].raw_file, 'clip/b.jpg');
  assert.deepEqual([bare[0].h_samples[0], bare[0].h_samples.at(-1)], [80, 355]);
});

test('decodeResult counts NaN and ±Infinity in the output (kept across settings); a finite output has none', () => {
  const clean = result(0, videoFrameKey(0), 320);
  assert.equal(decodeResult(clean, { id: 'auto', options: {} }, false).nonFinite, null);
  const values = laneAttOutput(320);
  values[77 * 5 + 10] = NaN;
  values[77 * 6 + 11] = NaN;
  values[77 * 7 + 1] = Infinity; // a lane logit past FP16's range
  values[77 * 8 + 20] = -Infinity;
  const broken: RawResult = { ...clean, frameKey: videoFrameKey(1), output: { ...clean.output, values } };
  const d = decodeResult(broken, { id: 'auto', options: {} }, false);
  assert.deepEqual(d.nonFinite, { nan: 2, infinite: 2, of: 2784 * 77 });
  assert.equal(d.error, null, 'the lanes are still decoded: the warning sits beside them');
  const other = decodeResult(broken, { id: 'auto', options: { laneatt: { conf: 0.5 } } }, false);
  assert.deepEqual(other.nonFinite, d.nonFinite, 'another setting: the same count');
  const undecodable = decodeResult(
    {
      ...broken,
      output: { ...broken.output, shape: [7, 7], values: new Float32Array([NaN, ...new Array(48).fill(0)]) },
    },
    { id: 'auto', options: {} },
    false,
  );
  assert.ok(undecodable.error);
  assert.deepEqual(undecodable.nonFinite, { nan: 1, infinite: 0, of: 49 }, 'counted even when no decoder reads it');
});

test('the inference panel warns of a non-finite output, naming the counts and the output', () => {
  const values = laneAttOutput(320);
  values.fill(NaN, 0, 1500);
  values[2000] = -Infinity;
  const r: RawResult = {
    ...result(0, videoFrameKey(0), 320),
    output: { ...result(0, videoFrameKey(0), 320).output, values },
  };
  const html = renderToStaticMarkup(
    createElement(NonFiniteAlert, { slot: 'B', decoded: decodeResult(r, { id: 'auto', options: {} }, false) }),
  );
  assert.match(html, /data-testid="nonfinite-b"/);
  assert.match(html, /Output not finite \(B\)/);
  assert.match(html, /1,500 NaN and 1 ±Infinity among 214,368 values of &#x27;predict_lanes&#x27;/);
  const clean = decodeResult(result(1, videoFrameKey(1), 320), { id: 'auto', options: {} }, false);
  assert.equal(renderToStaticMarkup(createElement(NonFiniteAlert, { slot: 'A', decoded: clean })), '');
});
