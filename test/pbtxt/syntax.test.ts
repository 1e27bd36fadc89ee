/** Every text-format syntax form, and every syntax/schema error with its message and line:column. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PbtxtSyntaxError,
  parseModelConfig,
  printDocument,
  toProtoJson,
  fromProtoJson,
  MAX_NESTING_DEPTH,
} from '../../shared/pbtxt';

function config(text: string) {
  const r = parseModelConfig(text, { file: 'c.pbtxt', semantic: false });
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity === 'error'),
    [],
    `unexpected errors for ${text}`,
  );
  assert.equal(printDocument(r.doc), text);
  return r.config!;
}

function firstError(text: string) {
  const r = parseModelConfig(text, { file: 'c.pbtxt', semantic: false });
  const e = r.diagnostics.find((d) => d.severity === 'error');
  assert.ok(e, `expected an error for ${JSON.stringify(text)}`);
  assert.equal(r.config, undefined);
  assert.equal(e.file, 'c.pbtxt');
  assert.equal(printDocument(r.doc), text, 'broken documents still print back unchanged');
  return e;
}

test('field: value, sub-messages with { } and < >, optional colon before messages', () => {
  const c = config(
    'name: "m"\nversion_policy: { latest { num_versions: 2 } }\ninput < name: "a" reshape: < shape: [] > >\n',
  );
  assert.deepEqual(c, {
    name: 'm',
    version_policy: { latest: { num_versions: 2 } },
    input: [{ name: 'a', reshape: { shape: [] } }],
  });
});

test('repeated fields: repeated occurrences, lists, lists of messages with and without colon, mixed', () => {
  const c = config(
    'dims_holder_ignored: 0'.replace(/.*/, '') +
      'input { dims: 1 dims: [2, 3] dims: [] dims: 4 }\ninput: [ { name: "b" }, < name: "c" > ]\noutput [ ]\ninput { name: "d" }',
  );
  assert.deepEqual(
    c.input!.map((i) => i.name ?? i.dims),
    [[1, 2, 3, 4], 'b', 'c', 'd'],
  );
  assert.deepEqual(c.output, []);
});

test(', and ; separators after fields', () => {
  const c = config('name: "a", max_batch_size: 8; input { name: "x"; dims: [1]; },');
  assert.deepEqual(c, { name: 'a', max_batch_size: 8, input: [{ name: 'x', dims: [1] }] });
});

test('strings: both quotes, escapes (C, octal, hex, \\u, \\U), adjacent concatenation, UTF-8', () => {
  const c = config(String.raw`name: 'it''s' "\"q\"" platform: "a\tb\n\\\x41\101\u00e9\U0001F600\303\251" backend: "é"`);
  assert.equal(c.name, 'its"q"');
  assert.equal(c.platform, 'a\tb\n\\AAé😀é');
  assert.equal(c.backend, 'é');
});

test('integers: decimal, hex, octal, negative; 64-bit beyond 2^53 kept exact in JSON', () => {
  const c = config(
    'max_batch_size: 0x10 input { dims: [ -1, 010, 0, 7 ] }\nversion_policy { specific { versions: [ 9223372036854775807, -9223372036854775808 ] } }',
  );
  assert.equal(c.max_batch_size, 16);
  assert.deepEqual(c.input![0].dims, [-1, 8, 0, 7]);
  assert.deepEqual(toProtoJson(c).versionPolicy, {
    specific: { versions: ['9223372036854775807', '-9223372036854775808'] },
  });
  const big = config('dynamic_batching { max_queue_delay_microseconds: 18446744073709551615 }');
  assert.equal(
    (toProtoJson(big).dynamicBatching as Record<string, unknown>).maxQueueDelayMicroseconds,
    '18446744073709551615',
  );
});

test('floats: exponents, f suffix, inf, -inf, nan, integers in float fields, float32 rounding', () => {
  const c = config(
    'sequence_batching { direct { minimum_slot_utilization: 1.5e-1f } control_input { control { fp32_false_true: [ 0, 1f, -inf, inf, nan, .5, 2E2, 0.1 ] } } }',
  );
  assert.equal(c.sequence_batching!.direct!.minimum_slot_utilization, 0.15);
  const vals = c.sequence_batching!.control_input![0].control![0].fp32_false_true!;
  assert.deepEqual(vals.slice(0, 4), [0, 1, -Infinity, Infinity]);
  assert.ok(Number.isNaN(vals[4]));
  assert.deepEqual(vals.slice(5), [0.5, 200, 0.1]);
  const json = toProtoJson(c) as { sequenceBatching: { controlInput: { control: { fp32FalseTrue: unknown[] }[] }[] } };
  assert.deepEqual(json.sequenceBatching.controlInput[0].control[0].fp32FalseTrue.slice(2, 5), [
    '-Infinity',
    'Infinity',
    'NaN',
  ]);
});

test('enums by name or number; bools in every accepted spelling', () => {
  const c = config(
    'input { data_type: 11 format: FORMAT_NCHW } instance_group { kind: 2 passive: t } instance_group { passive: True } instance_group { passive: 1 }\nresponse_cache { enable: f } model_transaction_policy { decoupled: False }',
  );
  assert.equal(c.input![0].data_type, 'TYPE_FP32');
  assert.equal(c.input![0].format, 'FORMAT_NCHW');
  assert.equal(c.instance_group![0].kind, 'KIND_CPU');
  assert.deepEqual(
    c.instance_group!.map((g) => g.passive),
    [true, true, true],
  );
  assert.equal(c.response_cache!.enable, false);
  assert.equal(c.model_transaction_policy!.decoupled, false);
});

test('maps as repeated { key value } entries, including lists of entries and uint64 keys', () => {
  const c = config(
    'parameters { key: "a" value { string_value: "x" } }\nparameters: [ { key: "b", value: < string_value: "y" > } ]\nparameters { key: "empty" }\ncc_model_filenames { key: "7.5" value: "m.plan" }\ndynamic_batching { priority_levels: 3 default_priority_level: 1 priority_queue_policy { key: 2 value { max_queue_size: 5 } } }',
  );
  assert.deepEqual(c.parameters, { a: { string_value: 'x' }, b: { string_value: 'y' }, empty: {} });
  assert.deepEqual(c.cc_model_filenames, { '7.5': 'm.plan' });
  assert.deepEqual(c.dynamic_batching!.priority_queue_policy, { '2': { max_queue_size: 5 } });
});

test('# comments anywhere, blank lines, CRLF, empty document', () => {
  const c = config(
    '# head\r\nname: # after name\r\n  "m" # trailing\r\n\r\ninput { # open\n dims: [ 1, # inside list\n 2 ] }\n# tail',
  );
  assert.deepEqual(c, { name: 'm', input: [{ dims: [1, 2] }] });
  assert.deepEqual(config(''), {});
  assert.deepEqual(config('  # only a comment\n'), {});
});

interface Case {
  text: string;
  line: number;
  column: number;
  code: string;
  message: RegExp;
}
const ERRORS: Case[] = [
  {
    text: 'name: "m"\nmax_batch_sise: 4\n',
    line: 2,
    column: 1,
    code: 'unknown-field',
    message: /no field named "max_batch_sise"\. Did you mean "max_batch_size"\?/,
  },
  {
    text: 'input { nmae: "x" }',
    line: 1,
    column: 9,
    code: 'unknown-field',
    message: /inference\.ModelInput" has no field named "nmae"\. Did you mean "name"\?/,
  },
  { text: 'maxBatchSize: 4', line: 1, column: 1, code: 'unknown-field', message: /Did you mean "max_batch_size"/ },
  {
    text: 'input {\n  data_type: TYPE_FP23\n}',
    line: 2,
    column: 14,
    code: 'bad-enum',
    message: /Unknown enumeration value "TYPE_FP23".*Did you mean "TYPE_FP32"\?.*Valid values: TYPE_INVALID, TYPE_BOOL/,
  },
  // `kind: 7` is accepted: proto3 enums are open (see protobuf-agreement.test.ts).
  {
    text: 'instance_group { kind: 1.5 }',
    line: 1,
    column: 24,
    code: 'bad-enum',
    message: /Expected an enumeration value/,
  },
  {
    text: 'input { data_type: "TYPE_FP32" }',
    line: 1,
    column: 20,
    code: 'bad-enum',
    message: /Expected an enumeration value/,
  },
  {
    text: 'max_batch_size: "8"',
    line: 1,
    column: 17,
    code: 'wrong-type',
    message: /max_batch_size.*Expected an integer \(int32\), found a string/,
  },
  { text: 'max_batch_size: 1.5', line: 1, column: 17, code: 'wrong-type', message: /Expected an integer/ },
  { text: 'name: 5', line: 1, column: 7, code: 'wrong-type', message: /Expected a string in quotes/ },
  { text: 'response_cache { enable: yes }', line: 1, column: 26, code: 'wrong-type', message: /Expected a boolean/ },
  {
    text: 'dynamic_batching: 5',
    line: 1,
    column: 19,
    code: 'wrong-type',
    message: /is a message \(inference\.ModelDynamicBatching\)/,
  },
  { text: 'name { }', line: 1, column: 6, code: 'wrong-type', message: /"name" is a string, not a message/ },
  { text: 'name: [ "a" ]', line: 1, column: 7, code: 'wrong-type', message: /"name" is not repeated/ },
  {
    text: 'input { dims [ 1 ] }',
    line: 1,
    column: 13,
    code: 'missing-colon',
    message: /Expected ':' between field name "dims"/,
  },
  {
    text: 'max_batch_size: 2147483648',
    line: 1,
    column: 17,
    code: 'out-of-range',
    message: /out of range for int32 \(-2147483648\.\.2147483647\)/,
  },
  { text: 'max_batch_size: -2147483649', line: 1, column: 18, code: 'out-of-range', message: /out of range for int32/ },
  {
    text: 'dynamic_batching { default_queue_policy { max_queue_size: 4294967296 } }',
    line: 1,
    column: 59,
    code: 'out-of-range',
    message: /out of range for uint32/,
  },
  {
    text: 'dynamic_batching { max_queue_delay_microseconds: 18446744073709551616 }',
    line: 1,
    column: 50,
    code: 'out-of-range',
    message: /out of range for uint64/,
  },
  {
    text: 'dynamic_batching { max_queue_delay_microseconds: -1 }',
    line: 1,
    column: 50,
    code: 'out-of-range',
    message: /non-negative integer \(uint64\)/,
  },
  {
    text: 'name: "a"\nname: "b"',
    line: 2,
    column: 1,
    code: 'duplicate-field',
    message: /Non-repeated field "name" is specified multiple times \(first at line 1:1\)/,
  },
  {
    text: 'dynamic_batching { }\nsequence_batching { }',
    line: 2,
    column: 1,
    code: 'oneof-conflict',
    message:
      /"sequence_batching" is specified along with field "dynamic_batching" \(line 1:1\), another member of oneof "scheduling_choice"/,
  },
  {
    text: 'name: "abc\nplatform: "x"',
    line: 1,
    column: 7,
    code: 'unterminated-string',
    message: /Unterminated string: string literals cannot cross line boundaries/,
  },
  {
    text: 'name: "abc',
    line: 1,
    column: 7,
    code: 'unterminated-string',
    message: /Unterminated string: reached the end of the file/,
  },
  {
    text: 'name: "a\\qb"',
    line: 1,
    column: 7,
    code: 'bad-escape',
    message: /Invalid escape sequence in string literal: \\q/,
  },
  { text: 'name: "\\xff"', line: 1, column: 7, code: 'bad-escape', message: /not valid UTF-8/ },
  {
    text: 'input {\n  name: "a"\n',
    line: 3,
    column: 1,
    code: 'unclosed',
    message: /Expected '}' to close the '{' opened at line 1:7, found end of file/,
  },
  {
    text: 'input { name: "a" >',
    line: 1,
    column: 19,
    code: 'unclosed',
    message: /Expected '}' to close the '{' opened at line 1:7, found '>'/,
  },
  { text: 'name: "a" }', line: 1, column: 11, code: 'syntax', message: /Unexpected '}': no message is open here/ },
  {
    text: 'input { dims: [ 1 2 ] }',
    line: 1,
    column: 19,
    code: 'syntax',
    message: /Expected ',' or '\]' in the list of 'dims'/,
  },
  {
    text: 'name "a"',
    line: 1,
    column: 6,
    code: 'syntax',
    message: /Expected ':' or '\{' after field name 'name', found string "a"/,
  },
  {
    text: 'max_batch_size: }',
    line: 1,
    column: 17,
    code: 'syntax',
    message: /Expected a value for field 'max_batch_size', found '\}'/,
  },
  {
    text: 'max_batch_size: 12ab',
    line: 1,
    column: 17,
    code: 'syntax',
    message: /Need space between number and identifier/,
  },
  { text: 'max_batch_size: 09', line: 1, column: 17, code: 'syntax', message: /leading zero must be in octal/ },
  { text: 'name: "a" @', line: 1, column: 11, code: 'unexpected-character', message: /Unexpected character '@'/ },
  { text: '[ext.field]: 1', line: 1, column: 1, code: 'unsupported', message: /Extensions and Any type URLs/ },
  { text: 'max_batch_size: -', line: 1, column: 18, code: 'syntax', message: /Expected a number after '-'/ },
  {
    text: 'parameters { key: "a" vlaue { string_value: "b" } }',
    line: 1,
    column: 23,
    code: 'unknown-field',
    message: /has only "key" and "value"\. Did you mean "value"\?/,
  },
];

for (const c of ERRORS) {
  test(`error ${c.code}: ${JSON.stringify(c.text).slice(0, 60)}`, () => {
    const e = firstError(c.text);
    assert.equal(e.code, c.code, e.message);
    assert.match(e.message, c.message);
    assert.deepEqual([e.line, e.column], [c.line, c.column], e.message);
  });
}

test('all schema errors of a document are reported in one pass', () => {
  const r = parseModelConfig('nmae: "a"\ninput { data_type: TYPE_X dims: [ "1" ] }\nmax_batch_size: 1e3\n', {
    semantic: false,
  });
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.line]),
    [
      ['unknown-field', 1],
      ['bad-enum', 2],
      ['wrong-type', 2],
      ['wrong-type', 3],
    ],
  );
});

test('nesting depth is bounded with a clear error instead of a stack overflow', () => {
  const deep = 'optimization { '.repeat(MAX_NESTING_DEPTH + 5) + '}'.repeat(MAX_NESTING_DEPTH + 5);
  const e = firstError(deep);
  assert.equal(e.code, 'too-deep');
  assert.match(e.message, /Nesting deeper than 100 levels/);
  const huge = 'a {'.repeat(200_000);
  assert.equal(firstError(huge).code, 'too-deep');
  assert.equal(firstError('input { dims: ' + '['.repeat(100_000)).code, 'syntax');
});

test('diagnostic end positions cover the offending token', () => {
  const e = firstError('input { data_type: TYPE_FP23 }');
  assert.deepEqual([e.line, e.column, e.endLine, e.endColumn], [1, 20, 1, 29]);
});

test('fromProtoJson: proto or JSON names, int64 as number or string, enums in any case, all errors at once', () => {
  const c = fromProtoJson({
    name: 'm',
    maxBatchSize: 4,
    input: [{ data_type: 'type_fp32', dims: ['3', 224, '-1'] }],
    instanceGroup: [{ kind: 2 }],
    dynamic_batching: { maxQueueDelayMicroseconds: '100' },
  });
  assert.deepEqual(c, {
    name: 'm',
    max_batch_size: 4,
    input: [{ data_type: 'TYPE_FP32', dims: [3, 224, -1] }],
    instance_group: [{ kind: 'KIND_CPU' }],
    dynamic_batching: { max_queue_delay_microseconds: 100 },
  });
  assert.deepEqual(fromProtoJson('{"name":"x","backend":"onnxruntime"}'), { name: 'x', backend: 'onnxruntime' });
  try {
    fromProtoJson(
      {
        nmae: 'x',
        max_batch_size: 'lots',
        input: [{ data_type: 'TYPE_FP33' }],
        dynamic_batching: {},
        sequence_batching: {},
      },
      { file: 'o.json' },
    );
    assert.fail('expected an error');
  } catch (err) {
    assert.ok(err instanceof PbtxtSyntaxError);
    assert.deepEqual(
      err.diagnostics.map((d) => d.code),
      ['unknown-field', 'wrong-type', 'bad-enum', 'oneof-conflict'],
    );
    assert.match(err.diagnostics[0].message, /did you mean "name"/);
    assert.equal(err.diagnostics[0].file, 'o.json');
    assert.match(err.message, /^o\.json:1:1: error: nmae/);
  }
  assert.throws(
    () => fromProtoJson('{"name": '),
    (e: unknown) => e instanceof PbtxtSyntaxError && e.diagnostics[0].code === 'json-syntax',
  );
  assert.throws(() => fromProtoJson({ max_batch_size: 2 ** 31 }), /out of range for int32/);
});
