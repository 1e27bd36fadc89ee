/** The committed generated schema matches shared/proto/model_config.proto, and agrees with PROTOCOL.md's tables. */
import { test } from 'node:test';
import { sharedPath, skipUnlessShared } from '../helpers/shared';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OUTPUT_PATH, PROTO_PATH, generateModelConfigSchema } from '../../scripts/gen-model-config-schema';
import { ENUMS, MESSAGES } from '../../shared/triton/modelConfigSchema';

test('shared/triton/modelConfigSchema.ts is up to date with model_config.proto', () => {
  const fresh = generateModelConfigSchema(readFileSync(PROTO_PATH, 'utf8'));
  assert.equal(readFileSync(OUTPUT_PATH, 'utf8'), fresh, 'run: node --import tsx scripts/gen-model-config-schema.ts');
});

test(
  'the schema has the ModelConfig fields, numbers and types of PROTOCOL.md section 9',
  { skip: skipUnlessShared('triton/PROTOCOL.md') },
  () => {
    const protocol = readFileSync(sharedPath('triton/PROTOCOL.md'), 'utf8');
    const section = protocol.slice(
      protocol.indexOf('**`inference.ModelConfig`**'),
      protocol.indexOf('Selected sub-messages'),
    );
    const rows = [...section.matchAll(/^\| (\d+) \| `(\w+)` \| ([^|]+) \| ([^|]*) \|$/gm)];
    assert.ok(rows.length >= 25);
    const fields = new Map(MESSAGES['inference.ModelConfig'].fields.map((f) => [f.name, f]));
    for (const [, num, name, type, label] of rows) {
      const f = fields.get(name);
      assert.ok(f, `missing field ${name}`);
      assert.equal(f.number, Number(num), name);
      if (type.trim().startsWith('map<')) assert.ok(f.map, `${name} is a map`);
      else if (label.includes('repeated')) assert.equal(f.label, 'repeated', name);
      if (label.includes('oneof')) assert.equal(f.oneof, label.trim().split(' ')[1], name);
    }
    assert.equal(
      MESSAGES['inference.ModelConfig'].fields.find((f) => f.name === 'max_batch_size')!.jsonName,
      'maxBatchSize',
    );
    assert.deepEqual(
      ENUMS['inference.ModelInstanceGroup.Kind'].values.map((v) => v.name),
      ['KIND_AUTO', 'KIND_GPU', 'KIND_CPU', 'KIND_MODEL'],
    );
  },
);
