/**
 * Our .proto files must be wire-identical to Triton's. PROTOCOL.md's field tables were generated from
 * Triton's compiled descriptors, so we parse every table (and enum line, the datatype table and the
 * RPC list) out of the markdown and compare them with the descriptors protobufjs builds from
 * shared/proto/*.proto. The markdown is parsed, not transcribed, so a table we failed to check would
 * show up as a count mismatch below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';

import { sharedPath, skipUnlessShared } from '../helpers/shared';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const protoDir = path.join(repoRoot, 'shared/proto');
const protocolMd = sharedPath('triton/PROTOCOL.md');
const corpusJsonDir = sharedPath('triton/pbtxt-corpus/json');

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(protoDir, path.basename(target));
  root.loadSync(['grpc_service.proto', 'model_config.proto', 'health.proto'], { keepCase: true });
  root.resolveAll();
  return root;
}

interface FieldRow {
  line: number;
  number: number;
  name: string;
  type: string;
  label: string;
}
interface MessageTable {
  line: number;
  name: string;
  rows: FieldRow[];
}
interface EnumLine {
  line: number;
  name: string;
  values: Array<[string, number]>;
}

/** Parses the `| # | field | type | label |` tables under `**\`inference.X\`**` / `*nested* \`X.Y\`` headings. */
function parseProtocol(md: string) {
  const lines = md.split('\n');
  const messages: MessageTable[] = [];
  const enums: EnumLine[] = [];
  const rpcs: Array<{ name: string; request: string; response: string; streaming: string }> = [];
  const datatypes: Array<{ protocol: string; enumName: string; enumValue: number; size: string }> = [];
  const cell = (s: string) => s.trim().replace(/^`|`$/g, '');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const heading = /^\*\*`inference\.([A-Za-z.]+)`\*\*\s*$/.exec(l) ?? /^\*nested\* `([A-Za-z.]+)`\s*$/.exec(l);
    if (heading) {
      let j = i + 1;
      while (j < lines.length && lines[j].trim() === '') j++;
      if (lines[j]?.trim() === '*(no fields)*') {
        messages.push({ line: i + 1, name: heading[1], rows: [] });
        continue;
      }
      if (!/^\|\s*#\s*\|\s*field\s*\|\s*type\s*\|\s*label\s*\|$/.test(lines[j]?.trim() ?? '')) {
        throw new Error(`PROTOCOL.md:${i + 1}: heading ${heading[1]} is not followed by a field table`);
      }
      const rows: FieldRow[] = [];
      for (j += 2; j < lines.length && lines[j].startsWith('|'); j++) {
        const parts = lines[j].split('|').slice(1, -1).map(cell);
        if (parts.length !== 4) throw new Error(`PROTOCOL.md:${j + 1}: expected 4 cells`);
        rows.push({ line: j + 1, number: Number(parts[0]), name: parts[1], type: parts[2], label: parts[3] });
      }
      messages.push({ line: i + 1, name: heading[1], rows });
      continue;
    }
    const en = /^\*enum\* `([A-Za-z.]+)`: (.*)$/.exec(l);
    if (en) {
      const values = en[2].split(',').map((p) => {
        const [k, v] = p.trim().split('=');
        return [k.trim(), Number(v)] as [string, number];
      });
      enums.push({ line: i + 1, name: en[1], values });
      continue;
    }
    const rpc = /^\| `(\w+)` \| `(\w+)` \| `(\w+)` \| (unary|bidi) \|$/.exec(l);
    if (rpc) rpcs.push({ name: rpc[1], request: rpc[2], response: rpc[3], streaming: rpc[4] });
    const dt = /^\| (.+?) \| (.+?) \| (\S+) \| .* \|$/.exec(l);
    if (dt && /TYPE_/.test(dt[2])) {
      const protos = [...dt[1].matchAll(/`(\w+)`/g)].map((m) => m[1]);
      const enumsInRow = [...dt[2].matchAll(/(TYPE_\w+) = (\d+)/g)];
      enumsInRow.forEach((m, k) =>
        datatypes.push({ protocol: protos[k] ?? '', enumName: m[1], enumValue: Number(m[2]), size: dt[3] }),
      );
    }
  }
  return { messages, enums, rpcs, datatypes };
}

const SCALARS = new Set([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);

const root = loadRoot();
const protocolSkip = skipUnlessShared('triton/PROTOCOL.md');
const md = protocolSkip ? '' : fs.readFileSync(protocolMd, 'utf8');
const parsed = parseProtocol(md);

/** The type column as our descriptor would print it, in PROTOCOL.md's notation. */
function describeType(field: protobuf.Field): string {
  const rel = (t: protobuf.ReflectionObject | null) => t!.fullName.replace(/^\.inference\./, '');
  if (field instanceof protobuf.MapField) {
    const value = SCALARS.has(field.type) ? field.type : rel(field.resolvedType);
    return `map<${field.keyType}, ${value}>`;
  }
  if (SCALARS.has(field.type)) return field.type;
  if (field.resolvedType instanceof protobuf.Enum) return `enum ${rel(field.resolvedType)}`;
  return rel(field.resolvedType);
}
function describeLabel(field: protobuf.Field): string {
  if (field.partOf && !field.partOf.name.startsWith('_')) return `oneof ${field.partOf.name}`;
  if (field.repeated && !(field instanceof protobuf.MapField)) return 'repeated';
  return '';
}

test('PROTOCOL.md yields the expected number of tables (parser sanity)', { skip: protocolSkip }, () => {
  // Every heading and every numbered field row in the document must have been consumed by a table.
  const headings = md.match(/^(\*\*`inference\.[A-Za-z.]+`\*\*|\*nested\* `[A-Za-z.]+`)\s*$/gm) ?? [];
  const fieldRows = md.match(/^\| \d+ \| /gm) ?? [];
  assert.equal(parsed.messages.length, headings.length);
  assert.ok(parsed.messages.length >= 90, `only ${parsed.messages.length} message tables parsed`);
  assert.equal(
    parsed.messages.reduce((n, m) => n + m.rows.length, 0),
    fieldRows.length,
  );
  assert.equal(parsed.enums.length, 5);
  assert.equal(parsed.rpcs.length, 20);
  assert.equal(parsed.datatypes.length, 15); // incl. TYPE_INVALID
});

test('every message table in PROTOCOL.md matches our descriptors exactly', { skip: protocolSkip }, () => {
  const problems: string[] = [];
  for (const table of parsed.messages) {
    const type = root.lookupTypeOrEnum(`inference.${table.name}`);
    if (!(type instanceof protobuf.Type)) {
      problems.push(`PROTOCOL.md:${table.line}: message inference.${table.name} missing`);
      continue;
    }
    const ours = type.fieldsArray;
    if (ours.length !== table.rows.length) {
      problems.push(`inference.${table.name}: ${ours.length} fields, PROTOCOL.md lists ${table.rows.length}`);
    }
    for (const row of table.rows) {
      const f = type.fields[row.name];
      if (!f) {
        problems.push(`PROTOCOL.md:${row.line}: ${table.name}.${row.name} missing`);
        continue;
      }
      if (f.id !== row.number) problems.push(`${table.name}.${row.name}: number ${f.id}, expected ${row.number}`);
      if (describeType(f) !== row.type)
        problems.push(`${table.name}.${row.name}: type ${describeType(f)}, expected ${row.type}`);
      if (describeLabel(f) !== row.label)
        problems.push(`${table.name}.${row.name}: label '${describeLabel(f)}', expected '${row.label}'`);
    }
  }
  assert.deepEqual(problems, []);
});

test('every enum line in PROTOCOL.md matches our enums exactly', { skip: protocolSkip }, () => {
  for (const e of parsed.enums) {
    const en = root.lookupEnum(`inference.${e.name}`);
    assert.deepEqual(Object.entries(en.values), e.values, `PROTOCOL.md:${e.line} ${e.name}`);
  }
});

test('DataType enum matches the datatype table (4.3)', { skip: protocolSkip }, () => {
  const dataType = root.lookupEnum('inference.DataType');
  for (const d of parsed.datatypes) assert.equal(dataType.values[d.enumName], d.enumValue, d.enumName);
  assert.equal(Object.keys(dataType.values).length, 15); // every row of the table, nothing more
});

test('service inference.GRPCInferenceService has exactly the RPCs of section 2', { skip: protocolSkip }, () => {
  const svc = root.lookupService('inference.GRPCInferenceService');
  assert.deepEqual(Object.keys(svc.methods).sort(), parsed.rpcs.map((r) => r.name).sort());
  for (const r of parsed.rpcs) {
    const m = svc.methods[r.name];
    assert.equal(m.resolvedRequestType!.fullName, `.inference.${r.request}`, r.name);
    assert.equal(m.resolvedResponseType!.fullName, `.inference.${r.response}`, r.name);
    const bidi = Boolean(m.requestStream) && Boolean(m.responseStream);
    assert.equal(bidi, r.streaming === 'bidi', r.name);
    if (!bidi) assert.ok(!m.requestStream && !m.responseStream, r.name);
  }
});

test('grpc.health.v1.Health/Check has the standard shape', () => {
  const check = root.lookupService('grpc.health.v1.Health').methods['Check'];
  assert.equal(check.resolvedRequestType!.fullName, '.grpc.health.v1.HealthCheckRequest');
  assert.equal(check.resolvedResponseType!.fullName, '.grpc.health.v1.HealthCheckResponse');
  assert.equal(check.resolvedRequestType!.fields['service'].id, 1);
  const status = check.resolvedResponseType!.fields['status'];
  assert.equal(status.id, 1);
  assert.deepEqual(
    { ...(status.resolvedType as protobuf.Enum).values },
    { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 },
  );
});

test('model_config.proto is complete: every message Triton defines there exists', () => {
  // Messages not covered by PROTOCOL.md's tables are listed here (learned from Triton's
  // model_config.proto); their field numbers are exercised by the corpus walk below.
  const required = [
    'DataType',
    'ModelRateLimiter',
    'ModelRateLimiter.Resource',
    'ModelInstanceGroup',
    'ModelTensorReshape',
    'ModelInput',
    'ModelInput.Format',
    'ModelOutput',
    'BatchInput',
    'BatchInput.Kind',
    'BatchOutput',
    'BatchOutput.Kind',
    'ModelVersionPolicy',
    'ModelOptimizationPolicy',
    'ModelQueuePolicy',
    'ModelDynamicBatching',
    'ModelSequenceBatching',
    'ModelEnsembling',
    'ModelParameter',
    'ModelWarmup',
    'ModelOperations',
    'ModelTransactionPolicy',
    'ModelRepositoryAgents',
    'ModelRepositoryAgents.Agent',
    'ModelResponseCache',
    'ModelMetrics',
    'ModelMetrics.MetricControl',
    'ModelMetrics.MetricControl.MetricIdentifier',
    'ModelMetrics.MetricControl.HistogramOptions',
    'ModelConfig',
  ];
  for (const n of required) assert.ok(root.lookup(`inference.${n}`), n);
  const input = root.lookupType('inference.ModelInput');
  assert.deepEqual(Object.fromEntries(input.fieldsArray.map((f) => [f.name, f.id])), {
    name: 1,
    data_type: 2,
    format: 3,
    dims: 4,
    reshape: 5,
    is_shape_tensor: 6,
    allow_ragged_batch: 7,
    optional: 8,
    is_non_linear_format_io: 9,
  });
  const output = root.lookupType('inference.ModelOutput');
  assert.deepEqual(Object.fromEntries(output.fieldsArray.map((f) => [f.name, f.id])), {
    name: 1,
    data_type: 2,
    dims: 3,
    reshape: 5,
    label_filename: 4,
    is_shape_tensor: 6,
    is_non_linear_format_io: 7,
  });
  assert.deepEqual(
    { ...root.lookupEnum('inference.ModelInput.Format').values },
    { FORMAT_NONE: 0, FORMAT_NHWC: 1, FORMAT_NCHW: 2 },
  );
});

/**
 * Walks a canonical proto3 JSON value (lowerCamelCase keys) produced by protobuf's reference
 * implementation and checks that every key names a field of our message and every enum value one of
 * our enum names. Catches missing fields/messages and wrong field kinds in model_config.proto.
 */
function checkJson(type: protobuf.Type, value: unknown, where: string, problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${where}: expected an object`);
    return;
  }
  const byJsonName = new Map(
    type.fieldsArray.map((f) => [f.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), f]),
  );
  for (const [key, v] of Object.entries(value)) {
    const f = byJsonName.get(key);
    if (!f) {
      problems.push(`${where}.${key}: no such field in ${type.fullName}`);
      continue;
    }
    const checkOne = (x: unknown, w: string) => {
      if (f.resolvedType instanceof protobuf.Type) checkJson(f.resolvedType, x, w, problems);
      else if (f.resolvedType instanceof protobuf.Enum) {
        if (typeof x !== 'string' || !(x in f.resolvedType.values)) problems.push(`${w}: bad enum value ${String(x)}`);
      } else if (/int64|fixed64/.test(f.type)) {
        if (typeof x !== 'string' || !/^-?\d+$/.test(x))
          problems.push(`${w}: 64-bit value ${JSON.stringify(x)} not a decimal string`);
      }
    };
    if (f instanceof protobuf.MapField) {
      for (const [k, x] of Object.entries(v as object)) checkOne(x, `${where}.${key}[${k}]`);
    } else if (f.repeated) {
      if (!Array.isArray(v)) problems.push(`${where}.${key}: expected an array`);
      else v.forEach((x, i) => checkOne(x, `${where}.${key}[${i}]`));
    } else checkOne(v, `${where}.${key}`);
  }
}

test(
  'all 496 reference JSON configs of the pbtxt corpus fit our ModelConfig',
  { skip: skipUnlessShared('triton/pbtxt-corpus/json') },
  () => {
    const files = fs.readdirSync(corpusJsonDir).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 496);
    const modelConfig = root.lookupType('inference.ModelConfig');
    const problems: string[] = [];
    for (const f of files) {
      checkJson(modelConfig, JSON.parse(fs.readFileSync(path.join(corpusJsonDir, f), 'utf8')), f, problems);
    }
    assert.deepEqual(problems.slice(0, 20), []);
  },
);
