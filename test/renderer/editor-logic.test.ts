/**
 * The config editor's and ensemble graph's pure logic: schema completion at a cursor, form fields
 * checked as the text is, the save banner's lifetime, "diff vs server" without server-filled
 * fields, whose states the repository tree shows, and the graph's geometry and zoom.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionsAt } from '../../renderer/src/lib/pbtxtCompletion';
import { checkIntegerListField, fieldEditProblem, parseIntegerList } from '../../renderer/src/lib/formFields';
import { saveFailureOutcome, visibleSaveOutcome, type SaveOutcome } from '../../renderer/src/lib/saveBanner';
import { onlyAuthoredFields } from '../../renderer/src/lib/serverDiff';
import { servingConnection, treeStates } from '../../renderer/src/lib/repoStatus';
import { layoutEnsemble, type Box } from '../../renderer/src/components/ensemble/layout';
import { fitTransform, zoomAbout } from '../../renderer/src/components/ensemble/useZoomPan';
import { ApiError } from '../../shared/contract';

function at(textWithBar: string) {
  const pos = textWithBar.indexOf('|');
  return completionsAt(textWithBar.replace('|', ''), pos);
}
const labels = (r: ReturnType<typeof at>) => r?.items.map((i) => i.label) ?? [];

test('completion: field names of the message the cursor is in, from the ModelConfig schema', () => {
  const top = at('name: "m"\nmax_b|');
  assert.equal(top?.from, 10);
  assert.ok(labels(top).includes('max_batch_size'));
  assert.ok(labels(top).includes('dynamic_batching'));
  assert.equal(top?.items.find((i) => i.label === 'max_batch_size')?.apply, 'max_batch_size: ');
  assert.equal(top?.items.find((i) => i.label === 'input')?.detail, 'repeated ModelInput');

  const inInput = labels(at('input [ { name: "i" | } ]'));
  assert.ok(inInput.includes('data_type') && inInput.includes('dims') && inInput.includes('format'));
  assert.ok(!inInput.includes('max_batch_size'), 'only ModelInput fields inside input { }');
  assert.ok(labels(at('dynamic_batching { pr| }')).includes('preferred_batch_size'));
  // After a closed message, back at the top level.
  assert.ok(labels(at('input [ { name: "i" } ]\n|')).includes('output'));
});

test('completion: enum values after `field:`, in lists, and true/false for bools; nothing in comments or strings', () => {
  const dt = at('input [ { name: "i" data_type: TYPE_F| } ]');
  assert.equal(dt?.from, 31);
  assert.ok(labels(dt).includes('TYPE_FP16') && labels(dt).includes('TYPE_FP32'));
  assert.deepEqual(labels(at('instance_group [ { kind: | } ]')), ['KIND_AUTO', 'KIND_GPU', 'KIND_CPU', 'KIND_MODEL']);
  assert.ok(
    labels(at('sequence_batching { control_input [ { control [ { kind: | } ] } ] }')).includes(
      'CONTROL_SEQUENCE_START',
    ),
  );
  assert.deepEqual(labels(at('dynamic_batching { preserve_ordering: | }')), ['true', 'false']);
  assert.equal(at('# max|'), null);
  assert.equal(at('name: "max|'), null);
  // A string value is not an enum: nothing to offer after `name:`.
  assert.equal(at('name: |'), null);
});

const CONFIG = `name: "m"
platform: "onnxruntime_onnx"
max_batch_size: 1
input [ { name: "input" data_type: TYPE_FP32 dims: [ 3, 360, 640 ] } ]
output [ { name: "out" data_type: TYPE_FP32 dims: [ 10 ] } ]
`;

test('form fields are checked as the text is: "1, 3, 360, x" is invalid, so is a dimension of 0', () => {
  const x = checkIntegerListField(CONFIG, 'input[0].dims', '1, 3, 360, x');
  assert.equal(x.ok, false);
  if (!x.ok) assert.match(x.error, /'x' \(item 4\) is not an integer/);
  const zero = checkIntegerListField(CONFIG, 'input[0].dims', '3, 0, 640');
  assert.equal(zero.ok, false);
  if (!zero.ok) assert.match(zero.error, /dimension must be integer >= 1, or -1.*dims\[1\] is 0/);
  assert.deepEqual(checkIntegerListField(CONFIG, 'input[0].dims', '3 360 -1'), { ok: true, value: [3, 360, -1] });
  assert.deepEqual(parseIntegerList(' 1,2 , 3 '), { ok: true, value: [1, 2, 3] });
  assert.equal(parseIntegerList('1.5').ok, false);
  // An edit that leaves existing errors elsewhere alone is fine; one that breaks its own field is not.
  assert.equal(fieldEditProblem(CONFIG, 'max_batch_size', { number: 4 }), null);
  assert.equal(fieldEditProblem(CONFIG, 'input[0].name', { string: '' }), "model input must specify 'name'");
  assert.match(fieldEditProblem(CONFIG, 'max_batch_size', { number: -1 }) ?? '', /must be non-negative/);
});

test('the save banner: "Saved" goes stale on the next edit; a refusal for errors clears once they are fixed', () => {
  const saved: SaveOutcome = { kind: 'saved', message: 'Saved' };
  assert.equal(visibleSaveOutcome(saved, { dirty: false, errorCount: 0 }), saved);
  assert.equal(visibleSaveOutcome(saved, { dirty: true, errorCount: 0 }), null);

  const refusal = saveFailureOutcome(
    new ApiError('INVALID_ARGUMENT', 'refusing to save m/config.pbtxt: 1 error (save with force to override)', [
      { severity: 'error', code: 'unknown-field', message: "unknown field 'max_batch_sizee'", line: 3, column: 1 },
    ]),
    'm/config.pbtxt',
    'x',
  );
  assert.equal(refusal.kind, 'invalid');
  assert.match(refusal.message, /1 error \(first at 3:1: unknown field 'max_batch_sizee'\).*save anyway/);
  assert.equal(visibleSaveOutcome(refusal, { dirty: true, errorCount: 1 }), refusal);
  assert.equal(visibleSaveOutcome(refusal, { dirty: true, errorCount: 0 }), null, 'fixed: the banner goes');
  assert.equal(visibleSaveOutcome(refusal, { dirty: false, errorCount: 1 }), null, 'reverted: nothing to save');

  const conflict = saveFailureOutcome(new ApiError('CONFLICT', 'changed'), 'm/config.pbtxt', 'x');
  assert.equal(conflict.kind, 'conflict');
  assert.equal(visibleSaveOutcome(conflict, { dirty: true, errorCount: 0 }), conflict);
  const other = saveFailureOutcome(new ApiError('PERMISSION_DENIED', 'no'), 'm/config.pbtxt', 'PERMISSION_DENIED: no');
  assert.deepEqual(other, { kind: 'error', message: 'Save failed: PERMISSION_DENIED: no' });
});

test('diff vs server: fields only the server set are hidden, authored fields and real differences stay', () => {
  const server = {
    name: 'm',
    max_batch_size: 1,
    version_policy: { latest: { num_versions: 1 } },
    input: [{ name: 'input', data_type: 'TYPE_FP32', dims: [3, 360, 640], format: 'FORMAT_NONE' }],
    instance_group: [
      { name: 'm_0', kind: 'KIND_CPU', count: 2 },
      { name: 'extra', kind: 'KIND_CPU', count: 1 },
    ],
    optimization: { input_pinned_memory: { enable: true } },
  };
  const authored = {
    name: 'm',
    max_batch_size: 1,
    input: [{ name: 'input', data_type: 'TYPE_FP32', dims: [3, 360, 640] }],
    instance_group: [{ kind: 'KIND_CPU', count: 1 }],
  };
  const r = onlyAuthoredFields(server, authored);
  assert.deepEqual(r.value, {
    name: 'm',
    max_batch_size: 1,
    input: [{ name: 'input', data_type: 'TYPE_FP32', dims: [3, 360, 640] }],
    // matched by position (the buffer's group has no name): its server-given name is hidden, its count kept
    instance_group: [
      { kind: 'KIND_CPU', count: 2 },
      { name: 'extra', kind: 'KIND_CPU', count: 1 },
    ],
  });
  // version_policy, the input's format, the first group's name, optimization: one leaf each.
  assert.equal(r.hidden, 4);
});

test('repository states come only from the server that serves the folder', () => {
  const demoRoot = { rootId: 'r1', path: '/demo', name: 'demo', builtin: true };
  const mine = { rootId: 'r2', path: '/models', name: 'models' };
  const demo = { rootId: 'r1', connectionId: 'demo' };
  assert.equal(servingConnection(demoRoot, demo, {}), 'demo');
  assert.equal(servingConnection(mine, demo, {}), null);
  assert.equal(servingConnection(mine, demo, { '/models': 'orin' }), 'orin');
  const index = [{ name: 'lanes', state: 'UNAVAILABLE' }];
  assert.equal(treeStates('demo', { id: 'orin', connected: true }, index).size, 0, 'same names on another server');
  assert.equal(treeStates('orin', { id: 'orin', connected: false }, index).size, 0);
  assert.equal(treeStates('orin', { id: 'orin', connected: true }, index).get('lanes'), 'UNAVAILABLE');
  assert.equal(treeStates(null, { id: 'orin', connected: true }, index).size, 0);
});

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;

test('ensemble layout: node widths fit their names, edge labels lie in the gaps (no node over them), all in bounds', () => {
  const layout = layoutEnsemble({
    input: [{ name: 'IMAGE', data_type: 'TYPE_UINT8', dims: [-1, -1, 3] }],
    output: [{ name: 'LANES' }],
    ensemble_scheduling: {
      step: [
        {
          model_name: 'laneDetect_preprocess_with_a_long_name',
          input_map: { raw_camera_frame_bgr: 'IMAGE' },
          output_map: { preprocessed_tensor_for_laneatt: 'pre' },
        },
        { model_name: 'laneDetect_model', input_map: { input: 'pre' }, output_map: { predict_lanes: 'LANES' } },
      ],
    },
  });
  const labelled = layout.edges.filter((e) => e.labelBox);
  assert.equal(labelled.length, 4);
  for (const e of labelled) {
    for (const n of layout.nodes) assert.ok(!overlaps(e.labelBox!, n), `label '${e.label}' is clear of ${n.id}`);
    assert.ok(inside(e.labelBox!, layout.bounds), `label '${e.label}' inside the bounds`);
  }
  for (const n of layout.nodes) {
    assert.ok(inside(n, layout.bounds));
    assert.ok(n.w >= n.label.length * 7, `${n.id} is wide enough for '${n.label}'`);
  }
});

test('ensemble zoom: fit shows the whole content centred; zooming keeps the point under the pointer', () => {
  const content = { x: 0, y: 0, w: 1000, h: 200 };
  const f = fitTransform(content, 500, 400);
  assert.equal(f.scale, 0.5);
  assert.deepEqual([f.x, f.y], [0, 150]);
  const z = zoomAbout(f, 2, 100, 200);
  assert.equal(z.scale, 1);
  // The content point under (100, 200) before is still there after.
  const before = [(100 - f.x) / f.scale, (200 - f.y) / f.scale];
  const after = [(100 - z.x) / z.scale, (200 - z.y) / z.scale];
  assert.deepEqual(after, before);
  assert.equal(zoomAbout(f, 1000, 0, 0).scale, 4, 'clamped');
});
