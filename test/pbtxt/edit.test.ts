/** Edit helpers change only the edited field's text; everything else stays byte-identical. */
import { test } from 'node:test';
import { hasShared, sharedPath } from '../helpers/shared';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  PbtxtSyntaxError,
  applyTextEdit,
  parseDocument,
  parseModelConfig,
  planSetField,
  printDocument,
  removeField,
  setField,
  toProtoJson,
} from '../../shared/pbtxt';

const SOURCE = `# LaneATT on Orin
name: "laneatt"   # the model
platform: "onnxruntime_onnx"
max_batch_size: 8

input [
  {
    name: "images"
    data_type: TYPE_FP32
    dims: [ 3, 360, 640 ]  # CHW
  }
]
output [
  {
    name: "proposals"
    data_type: TYPE_FP32
    dims: [ 2784, 77 ]
  },
  {
    name: "scores"
    data_type: TYPE_FP32
    dims: [ 2784 ]
  }
]
parameters { key: "threads" value { string_value: "2" } }
dynamic_batching {
  # wait a little
  max_queue_delay_microseconds: 100
}
`;

function config(text: string) {
  const r = parseModelConfig(text, { semantic: false });
  assert.ok(r.config, r.diagnostics[0]?.message);
  return r.config;
}

/** Asserts `after` equals `before` with exactly [from, to) replaced by `insert`. */
function assertOnlyChanged(before: string, after: string, expectedInsert: string | RegExp) {
  let p = 0;
  while (p < before.length && before[p] === after[p]) p++;
  let s = 0;
  while (s < before.length - p && s < after.length - p && before[before.length - 1 - s] === after[after.length - 1 - s])
    s++;
  const inserted = after.slice(p, after.length - s);
  if (typeof expectedInsert === 'string')
    assert.ok(
      inserted.length <= expectedInsert.length && expectedInsert.includes(inserted),
      `changed text ${JSON.stringify(inserted)}`,
    );
  else assert.match(inserted, expectedInsert);
}

test('set a scalar: only its value tokens change', () => {
  const doc = parseDocument(SOURCE);
  const edit = planSetField(doc, 'max_batch_size', 16);
  assert.equal(SOURCE.slice(edit.from, edit.to), '8');
  assert.equal(edit.insert, '16');
  const after = printDocument(setField(doc, 'max_batch_size', 16));
  assert.equal(after, SOURCE.replace('max_batch_size: 8', 'max_batch_size: 16'));
  assert.equal(config(after).max_batch_size, 16);
  const named = printDocument(setField(doc, 'name', 'lane "v2"'));
  assert.equal(named, SOURCE.replace('"laneatt"', '"lane \\"v2\\""'));
  assert.equal(config(named).name, 'lane "v2"');
});

test('set a field inside a repeated message, and an element of a repeated scalar', () => {
  const doc = parseDocument(SOURCE);
  const a = printDocument(setField(doc, 'output[1].dims', [2784, 1]));
  assert.equal(a, SOURCE.replace('dims: [ 2784 ]', 'dims: [ 2784, 1 ]'));
  const b = printDocument(setField(doc, 'input[0].dims[0]', 1));
  assert.equal(b, SOURCE.replace('dims: [ 3, 360, 640 ]', 'dims: [ 1, 360, 640 ]'));
  const c = printDocument(setField(doc, 'output[0].data_type', 'TYPE_FP16'));
  assert.equal(
    c,
    SOURCE.replace('data_type: TYPE_FP32\n    dims: [ 2784, 77 ]', 'data_type: TYPE_FP16\n    dims: [ 2784, 77 ]'),
  );
});

test('replace a whole sub-message: only that block changes, comments elsewhere stay', () => {
  const doc = parseDocument(SOURCE);
  const after = printDocument(
    setField(doc, 'dynamic_batching', { preferred_batch_size: [4, 8], max_queue_delay_microseconds: 500 }),
  );
  const start = SOURCE.indexOf('dynamic_batching {');
  assert.equal(after.slice(0, start), SOURCE.slice(0, start));
  assert.equal(
    after.slice(start),
    'dynamic_batching {\n  preferred_batch_size: [ 4, 8 ]\n  max_queue_delay_microseconds: 500\n}\n',
  );
  assert.deepEqual(config(after).dynamic_batching, { preferred_batch_size: [4, 8], max_queue_delay_microseconds: 500 });
});

test('insert a missing field (and missing parents) after the last sibling, keeping trailing comments', () => {
  const doc = parseDocument(SOURCE);
  const a = printDocument(setField(doc, 'instance_group', [{ count: 2, kind: 'KIND_GPU', gpus: [0] }]));
  assert.equal(
    a,
    SOURCE +
      'instance_group [\n  {\n    count: 2\n    gpus: [ 0 ]\n    kind: KIND_GPU\n  }\n]\n'.replace(
        'count: 2\n    gpus: [ 0 ]\n    kind: KIND_GPU',
        'kind: KIND_GPU\n    count: 2\n    gpus: [ 0 ]',
      ),
  );
  const b = printDocument(setField(doc, 'input[0].format', 'FORMAT_NCHW'));
  assert.equal(
    b,
    SOURCE.replace('dims: [ 3, 360, 640 ]  # CHW\n', 'dims: [ 3, 360, 640 ]  # CHW\n    format: FORMAT_NCHW\n'),
  );
  const c = printDocument(setField(doc, 'optimization.cuda.graphs', true));
  assert.equal(c, SOURCE + 'optimization {\n  cuda {\n    graphs: true\n  }\n}\n');
  assert.equal(config(c).optimization!.cuda!.graphs, true);
  const d = printDocument(setField(doc, 'dynamic_batching.preserve_ordering', true));
  assert.equal(
    d,
    SOURCE.replace(
      'max_queue_delay_microseconds: 100\n',
      'max_queue_delay_microseconds: 100\n  preserve_ordering: true\n',
    ),
  );
});

test('append an element to a list of messages and to a list of scalars', () => {
  const doc = parseDocument(SOURCE);
  const a = printDocument(setField(doc, 'output[2]', { name: 'extra', data_type: 'TYPE_INT32', dims: [1] }));
  assert.equal(
    config(a)
      .output!.map((o) => o.name)
      .join(),
    'proposals,scores,extra',
  );
  assert.equal(
    a,
    SOURCE.replace(
      '    dims: [ 2784 ]\n  }\n]',
      '    dims: [ 2784 ]\n  },\n  {\n    name: "extra"\n    data_type: TYPE_INT32\n    dims: [ 1 ]\n  }\n]',
    ),
  );
  const b = printDocument(setField(doc, 'input[0].dims[3]', 1));
  assert.equal(b, SOURCE.replace('dims: [ 3, 360, 640 ]', 'dims: [ 3, 360, 640, 1 ]'));
  assert.throws(() => setField(doc, 'output[5]', {}), /index 5 is out of range/);
});

test('maps: set an entry value, add an entry, remove an entry', () => {
  const doc = parseDocument(SOURCE);
  const a = printDocument(setField(doc, 'parameters["threads"].string_value', '4'));
  assert.equal(a, SOURCE.replace('string_value: "2"', 'string_value: "4"'));
  const b = printDocument(setField(doc, 'parameters["intra_op"]', { string_value: '1' }));
  assert.deepEqual(config(b).parameters, { threads: { string_value: '2' }, intra_op: { string_value: '1' } });
  assert.ok(b.startsWith(SOURCE.slice(0, SOURCE.indexOf('dynamic_batching'))));
  const c = printDocument(removeField(doc, 'parameters["threads"]'));
  assert.equal(c, SOURCE.replace('parameters { key: "threads" value { string_value: "2" } }\n', ''));
});

test('remove a field, a list element, a whole repeated field', () => {
  const doc = parseDocument(SOURCE);
  assert.equal(printDocument(removeField(doc, 'platform')), SOURCE.replace('platform: "onnxruntime_onnx"\n', ''));
  const el = printDocument(removeField(doc, 'output[0]'));
  assert.deepEqual(
    config(el).output!.map((o) => o.name),
    ['scores'],
  );
  assert.equal(
    el,
    SOURCE.replace('  {\n    name: "proposals"\n    data_type: TYPE_FP32\n    dims: [ 2784, 77 ]\n  },\n', ''),
  );
  const last = printDocument(removeField(doc, 'input[0].dims[2]'));
  assert.equal(last, SOURCE.replace('dims: [ 3, 360, 640 ]', 'dims: [ 3, 360 ]'));
  const all = printDocument(setField(doc, 'output', undefined));
  assert.equal(config(all).output, undefined);
});

test('repeated-field style occurrences are replaced as a whole', () => {
  const text = 'name: "m"\ninput { name: "a" dims: 1 dims: 2 }\n';
  const doc = parseDocument(text);
  const after = printDocument(setField(doc, 'input[0].dims', [3, 4]));
  assert.equal(after, 'name: "m"\ninput { name: "a" dims: [ 3, 4 ] }\n');
});

test('every corpus file and fixture: setting max_batch_size changes only that text and only that value', () => {
  // Our own fixtures always; the 496 real configs where ../shared has them.
  const dirs = [resolve(import.meta.dirname, '../fixtures/pbtxt')];
  if (hasShared('triton/pbtxt-corpus/files')) dirs.push(sharedPath('triton/pbtxt-corpus/files'));
  const paths = dirs.flatMap((d) =>
    readdirSync(d)
      .filter((n) => n.endsWith('.pbtxt'))
      .map((n) => resolve(d, n)),
  );
  assert.ok(paths.length >= 5);
  for (const n of paths) {
    const text = readFileSync(n, 'utf8');
    const doc = parseDocument(text);
    const before = config(text);
    const after = applyTextEdit(text, planSetField(doc, 'max_batch_size', 3));
    assert.deepEqual(toProtoJson(config(after)), toProtoJson({ ...before, max_batch_size: 3 }), n);
    assertOnlyChanged(text, after, /^(\d*|\n?max_batch_size: 3\n?)$/);
  }
});

test('bad paths and broken documents raise PbtxtSyntaxError', () => {
  const doc = parseDocument(SOURCE);
  assert.throws(
    () => setField(doc, 'max_batch_sise', 1),
    (e: unknown) => e instanceof PbtxtSyntaxError && /did you mean "max_batch_size"/.test(e.message),
  );
  assert.throws(() => setField(doc, 'input.name', 'x'), /is repeated: give an index/);
  assert.throws(() => setField(doc, 'input', { name: 'x' }), /set it to an array/);
  assert.throws(() => setField(parseDocument('name: "x'), 'name', 'y'), PbtxtSyntaxError);
});
