/**
 * `tritonscope pbtxt check|json|fmt`: through the CLI's main() in a helper process
 * (test/helpers/cli.ts), and the corpus case through the real entry point (node bin/tritonscope.mjs).
 */
import { test, after } from 'node:test';
import { sharedPath, skipUnlessShared } from '../helpers/shared';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliHost, spawnCli } from '../helpers/cli';

const corpus = sharedPath('triton/pbtxt-corpus');

const host = cliHost();
after(() => host.close());
const cli = (...args: string[]) => host.run(['pbtxt', ...args]);

test('pbtxt CLI: check, json, fmt, fmt --write, errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tritonscope-pbtxt-cli-'));
  try {
    const good = join(dir, 'good.pbtxt');
    await writeFile(
      good,
      'name: "m" # the model\nbackend: "onnxruntime"\nmax_batch_size: 0x8\ninput < name: "i", data_type: 11; dims: [1, 3, 360, 640] >\n',
    );
    const bad = join(dir, 'bad.pbtxt');
    await writeFile(bad, 'name: "m"\nmax_batch_sise: 4\ninput {\n  data_type: TYPE_FP23\n}\n');

    // check: warnings only -> exit 0, file:line:col lines.
    let r = await cli('check', good);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        `^${good.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:42: warning: .*full shape is \\[-1,1,3,360,640\\]`,
        'm',
      ),
    );
    // check: errors -> exit 1.
    r = await cli('check', bad);
    assert.equal(r.code, 1);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.slice(bad.length)),
      [
        ':2:1: error: Message type "inference.ModelConfig" has no field named "max_batch_sise". Did you mean "max_batch_size"?',
        r.stdout.trim().split('\n')[1].slice(bad.length),
      ],
    );
    assert.match(
      r.stdout,
      /:4:14: error: Field "data_type": Unknown enumeration value "TYPE_FP23".*Did you mean "TYPE_FP32"/,
    );
    assert.match(r.stderr, /2 errors, 0 warnings/);
    r = await cli('check', bad, '--json');
    assert.equal(r.code, 1);
    const ds = JSON.parse(r.stdout);
    assert.deepEqual(
      ds.map((d: { code: string; line: number; column: number }) => [d.code, d.line, d.column]),
      [
        ['unknown-field', 2, 1],
        ['bad-enum', 4, 14],
      ],
    );

    // json: canonical proto3 JSON.
    r = await cli('json', good);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      name: 'm',
      backend: 'onnxruntime',
      maxBatchSize: 8,
      input: [{ name: 'i', dataType: 'TYPE_FP32', dims: ['1', '3', '360', '640'] }],
    });
    r = await cli('json', bad);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.pbtxt:2:1: error: Message type/);

    // fmt to stdout, then --write with a backup.
    r = await cli('fmt', good);
    assert.equal(r.code, 0, r.stderr);
    const canonical =
      'name: "m" # the model\nbackend: "onnxruntime"\nmax_batch_size: 8\ninput {\n  name: "i"\n  data_type: TYPE_FP32\n  dims: [ 1, 3, 360, 640 ]\n}\n';
    assert.equal(r.stdout, canonical);
    r = await cli('fmt', good, '--write');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(good, 'utf8'), canonical);
    assert.equal((await readdir(join(dir, '.tritonscope-backup'))).length, 1);
    r = await cli('fmt', bad);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.pbtxt:2:1: error/);
    // A Latin-1 comment (not UTF-8): --write refuses, naming the place, and leaves every byte.
    const latin1 = join(dir, 'latin1.pbtxt');
    const bytes = Buffer.concat([Buffer.from('name:   "m"\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    await writeFile(latin1, bytes);
    r = await cli('fmt', latin1, '--write');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /latin1\.pbtxt:2:6: not valid UTF-8 \(byte 0xe9\)/);
    assert.deepEqual(await readFile(latin1), bytes);
    // check, json and fmt to stdout name it too (a lossy read would pass it as U+FFFD).
    for (const sub of ['check', 'json', 'fmt']) {
      r = await cli(sub, latin1);
      assert.equal(r.code, 1, sub);
      assert.match(r.stderr, /latin1\.pbtxt:2:6: not valid UTF-8 \(byte 0xe9\)/, sub);
      assert.equal(r.stdout, '', sub);
    }

    // usage errors
    assert.equal((await cli('check')).code, 2);
    r = await cli('check', good, '--bogus');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown option '--bogus'/);
    assert.equal((await cli('frobnicate', good)).code, 2);
    r = await cli('check', join(dir, 'missing.pbtxt'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read .*missing\.pbtxt: ENOENT/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test(
  "pbtxt json of a real corpus config equals protobuf's JSON",
  { skip: skipUnlessShared('triton/pbtxt-corpus') },
  async () => {
    const name = 'server__docs__examples__model_repository__densenet_onnx__config';
    const r = await spawnCli(['pbtxt', 'json', join(corpus, 'files', `${name}.pbtxt`)]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(readFileSync(join(corpus, 'json', `${name}.json`), 'utf8')));
  },
);
