/**
 * Cases where protobuf's text format (C++, what Triton parses config.pbtxt with) has a rule that is
 * easy to get wrong: field presence for repeated singular fields, open enums, decimal-only numbers
 * in float fields, `[` after a non-repeated message field, and the sign of -0.0 in JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseModelConfig, toProtoJson } from '../../shared/pbtxt';

const parse = (text: string, semantic = false) => parseModelConfig(text, { file: 'c.pbtxt', semantic });
const errors = (text: string, semantic = false) =>
  parse(text, semantic).diagnostics.filter((d) => d.severity === 'error');
const at = (d: { line: number; column: number }) => `${d.line}:${d.column}`;

test('a non-repeated field set twice: accepted (with a warning) when the earlier value had no presence', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['max_batch_size: 0\nmax_batch_size: 8\n', { max_batch_size: 8 }],
    ['backend: ""\nbackend: "onnxruntime"\n', { backend: 'onnxruntime' }],
    ['response_cache { enable: false enable: true }', { response_cache: { enable: true } }],
    ['instance_group { kind: KIND_AUTO kind: KIND_GPU }', { instance_group: [{ kind: 'KIND_GPU' }] }],
    ['instance_group { kind: 0 kind: KIND_CPU }', { instance_group: [{ kind: 'KIND_CPU' }] }],
  ];
  for (const [text, expected] of cases) {
    const r = parse(text);
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity === 'error'),
      [],
      text,
    );
    assert.deepEqual(r.config, expected, text);
    const warnings = r.diagnostics.filter((d) => d.code === 'duplicate-field');
    assert.equal(warnings.length, 1, text);
    assert.equal(warnings[0].severity, 'warning');
    assert.match(warnings[0].message, /specified more than once.*first at line 1:\d+.*the later value wins/, text);
  }
  const w = parse('max_batch_size: 0\nmax_batch_size: 8\n').diagnostics[0];
  assert.equal(at(w), '2:1');
});

test('a non-repeated field set twice: an error once the earlier value has presence', () => {
  const cases: [string, string][] = [
    ['max_batch_size: 8\nmax_batch_size: 0', '2:1'],
    ['max_batch_size: 0\nmax_batch_size: 8\nmax_batch_size: 9', '3:1'],
    ['dynamic_batching {}\ndynamic_batching {}', '2:1'],
    ['response_cache { enable: true enable: false }', '1:31'],
    ['name: "a"\nname: "b"', '2:1'],
  ];
  for (const [text, where] of cases) {
    const e = errors(text);
    assert.equal(e.length, 1, text);
    assert.equal(e[0].code, 'duplicate-field');
    assert.equal(at(e[0]), where, text);
    assert.match(e[0].message, /Non-repeated field ".*" is specified multiple times/);
  }
});

test('enum numbers that name no value are kept (open enums), shown as numbers in JSON, refused by the semantic checks', () => {
  const r = parse('name: "m"\ninput { name: "i" data_type: 99 dims: [ 1 ] }\ninstance_group { kind: -1 }\n');
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(toProtoJson(r.config!), {
    name: 'm',
    input: [{ name: 'i', dataType: 99, dims: ['1'] }],
    instanceGroup: [{ kind: -1 }],
  });
  const s = errors('name: "m"\ninput { name: "i" data_type: 99 dims: [ 1 ] }\ninstance_group { kind: -1 }\n', true);
  assert.deepEqual(
    s.map((d) => [d.code, at(d)]),
    [
      ['unknown-enum-value', '2:30'],
      ['unknown-enum-value', '3:24'],
    ],
  );
  assert.match(s[0].message, /input\[0\]\.data_type.* 99 is not a value of inference\.DataType/);
  // Beyond int32 it is still an error at parse time, as in protobuf.
  assert.equal(errors('input { data_type: 2147483648 }')[0]?.code, 'out-of-range');
});

test('a hex (or octal) literal in a float field is rejected at the literal', () => {
  const text =
    'sequence_batching {\n  control_input { name: "c" control { kind: CONTROL_SEQUENCE_START fp32_false_true: [ 0x0, 0x1 ] } }\n}';
  const e = errors(text);
  assert.equal(e.length, 2);
  assert.equal(at(e[0]), '2:87');
  assert.match(e[0].message, /Expect a decimal number, got: 0x0/);
  assert.match(
    errors('sequence_batching { control_input { control { fp32_false_true: 017 } } }')[0].message,
    /got: 017/,
  );
  // Decimal integers are fine in float fields.
  assert.deepEqual(errors('sequence_batching { control_input { control { fp32_false_true: [ 0, 1 ] } } }'), []);
});

test('`[` after a non-repeated message field is an error at the bracket, before anything inside it', () => {
  for (const [text, where] of [
    ['ensemble_scheduling [\n  step { model_name: "a" }\n]', '1:21'],
    ['name: "x"\nensemble_scheduling: [ { } ]', '2:22'],
    ['input [ { name: "i" reshape [ shape: [1] ] } ]', '1:29'],
  ]) {
    const e = errors(text);
    assert.equal(e.length, 1, text);
    assert.equal(at(e[0]), where, text);
    assert.match(e[0].message, /Expected "\{", found "\["/, text);
  }
});

test('pbtxt json keeps the sign of -0.0', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tritonscope-negzero-'));
  try {
    const file = join(dir, 'config.pbtxt');
    await writeFile(
      file,
      'sequence_batching { control_input { name: "c" control { kind: CONTROL_SEQUENCE_START fp32_false_true: [ -0.0, 1 ] } } }\n',
    );
    const r = spawnSync(
      process.execPath,
      [resolve(import.meta.dirname, '../../bin/tritonscope.mjs'), 'pbtxt', 'json', file],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const values = JSON.parse(r.stdout).sequenceBatching.controlInput[0].control[0].fp32FalseTrue;
    assert.ok(Object.is(values[0], -0), r.stdout);
    assert.equal(values[1], 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
