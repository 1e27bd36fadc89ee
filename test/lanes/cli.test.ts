/** `tritonscope decode` run as a real process against every reference vector. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { CLRNET_COLS, decodeClrNet } from '../../shared/lanes/clrnet';
import { decoderInfo } from '../../shared/inference/decodePolicy';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TUSIMPLE_H_SAMPLES } from '../../shared/lanes/tusimple';
import { assertDeepClose, laneAttVectorNames, readJson, UFLD_DIR, vectorTolerance, VECTORS_DIR } from './helpers';
import { skipUnlessShared } from '../helpers/shared';
import { cliHost, spawnCli } from '../helpers/cli';
import { decodeLaneAtt } from '../../shared/lanes/laneatt';
import { laneAttReport } from '../../shared/lanes/laneattReport';
import { decodeUfld, ufldReport } from '../../shared/lanes/ufld';
import { syntheticRoad, syntheticUfldTusimple } from './synthetic';

const vectors = skipUnlessShared('lanes/vectors');

// main() in one helper process; the summary test below also runs the real binary.
const host = cliHost();
after(() => host.close());
const run = (args: string[]) => host.run(['decode', ...args]);

function laneAttArgs(params: any, hSamples?: number[]): string[] {
  const a = ['--conf', String(params.conf), '--nms', String(params.nms), '--topk', String(params.topk)];
  if (params.orig_w !== null) a.push('--orig-w', String(params.orig_w), '--orig-h', String(params.orig_h));
  if (params.scores_are_probs) a.push('--scores-are-probs');
  if (hSamples) {
    if (hSamples.join() === TUSIMPLE_H_SAMPLES.join()) a.push('--tusimple');
    else a.push('--h-samples', hSamples.join(','));
  }
  return a;
}

test('decode laneatt --json reproduces every LaneATT vector', { skip: vectors }, async () => {
  const names = laneAttVectorNames();
  // Two at a time: the machine has two cores.
  for (let i = 0; i < names.length; i += 2) {
    await Promise.all(
      names.slice(i, i + 2).map(async (name) => {
        const want = readJson(join(VECTORS_DIR, `${name}.json`));
        const r = await run([
          'laneatt',
          join(VECTORS_DIR, `${name}.f32`),
          ...laneAttArgs(want.params, want.h_samples),
          '--json',
        ]);
        assert.equal(r.code, 0, `${name}: ${r.stderr}`);
        assertDeepClose(JSON.parse(r.stdout), want, vectorTolerance, name);
      }),
    );
  }
});

test('decode ufld --json reproduces every UFLD vector', { skip: vectors }, async () => {
  const cases: { name: string; args: string[] }[] = readJson(join(UFLD_DIR, 'cases.json'));
  await Promise.all(
    cases.map(async (c) => {
      // The reference CLI's args: ["decode", FILE, --dataset D, (--mode M)].
      const [, file, ...flags] = c.args;
      const r = await run(['ufld', join(UFLD_DIR, file), ...flags, '--json']);
      assert.equal(r.code, 0, `${c.name}: ${r.stderr}`);
      assertDeepClose(JSON.parse(r.stdout), readJson(join(UFLD_DIR, `${c.name}.json`)), () => 0, c.name);
    }),
  );
});

test('without --json: a readable summary', { skip: vectors }, async () => {
  const r = await run([
    'laneatt',
    join(VECTORS_DIR, '07_topk_short_lane_quirk.f32'),
    '--preset',
    'culane',
    '--orig-w',
    '1640',
    '--orig-h',
    '590',
  ]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^laneatt: 2784 proposals, 14 above conf 0.5, NMS \(50 px, top 4\) kept 4, 2 lanes/);
  assert.match(r.stdout, /lane 1: row 2062 \(bottom\/108\/60\), score 0.9500, rows 0..39, 40 points/);
  assert.match(r.stdout, /dropped: row 1429/);
  const u = await run(['ufld', join(UFLD_DIR, 'ufld_culane_4lanes.f32')]);
  assert.equal(u.code, 0);
  assert.match(u.stdout, /ufld culane \(culane-eval\): shape \[1, 201, 18, 4\], 4 lanes/);
});

test('synthetic outputs: the CLI prints what the API decodes, as JSON and as a summary', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'decode-cli-'));
  try {
    const road = join(dir, 'road.f32');
    const raw = syntheticRoad();
    writeFileSync(road, new Uint8Array(raw.buffer));
    const decoded = decodeLaneAtt(raw, { conf: 0.5, nms: 15, topk: 10, origW: 1280, origH: 720 });
    const want = laneAttReport(decoded);
    const ufldFile = join(dir, 'ufld.f32');
    const u = syntheticUfldTusimple();
    writeFileSync(ufldFile, new Uint8Array(u.raw.buffer));
    const [json, summary, ufldJson] = await Promise.all([
      run([
        'laneatt',
        road,
        '--conf',
        '0.5',
        '--nms',
        '15',
        '--topk',
        '10',
        '--orig-w',
        '1280',
        '--orig-h',
        '720',
        '--json',
      ]),
      spawnCli(['decode', 'laneatt', road, '--nms', '15', '--topk', '10']),
      run(['ufld', ufldFile, '--dataset', 'tusimple', '--json']),
    ]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(decoded.lanes.length, 4);
    assertDeepClose(JSON.parse(json.stdout), JSON.parse(JSON.stringify(want)), () => 1e-6);
    assert.equal(summary.code, 0, summary.stderr);
    // No --conf: the app's decode policy (conf 0.2), as `infer` and the inspector use.
    const atPolicy = decodeLaneAtt(raw, { conf: 0.2, nms: 15, topk: 10 });
    assert.match(
      summary.stdout,
      new RegExp(
        `^laneatt: 2784 proposals, \\d+ above conf 0.2, NMS \\(15 px, top 10\\) kept \\d+, ${atPolicy.lanes.length} lanes`,
      ),
    );
    assert.equal(ufldJson.code, 0, ufldJson.stderr);
    const ufldWant = ufldReport(decodeUfld(u.raw, u.shape, { dataset: 'tusimple' }));
    assertDeepClose(JSON.parse(ufldJson.stdout), JSON.parse(JSON.stringify(ufldWant)), () => 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('decode clrnet without flags uses the app decode policy whole (thresholds and frame geometry)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'decode-cli-'));
  try {
    const n = 192;
    const raw = new Float32Array(n * CLRNET_COLS).map((_, i) => ((i * 2654435761) % 1000) / 1000);
    for (let p = 0; p < n; p++) {
      raw[p * CLRNET_COLS] = -2;
      raw[p * CLRNET_COLS + 1] = p < 6 ? 3 : -3;
    }
    const file = join(dir, 'clr.f32');
    writeFileSync(file, new Uint8Array(raw.buffer));
    const r = await run(['clrnet', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    // From a pipe (`cat clr.f32 | tritonscope decode clrnet /dev/stdin`): the same document.
    const piped = spawnSync(
      'bash',
      ['-c', `cat "${file}" | "${process.execPath}" bin/tritonscope.mjs decode clrnet /dev/stdin --json`],
      {
        cwd: join(import.meta.dirname, '../..'),
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(piped.stdout, r.stdout);
    const want = decodeClrNet(raw, decoderInfo('clrnet')!.defaults);
    assert.deepEqual(JSON.parse(r.stdout).params, JSON.parse(JSON.stringify(want.params)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('errors are one clear line and a non-zero exit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'decode-cli-'));
  try {
    const odd = join(dir, 'odd.f32');
    writeFileSync(odd, Buffer.alloc(77 * 4 * 3 + 4));
    const huge = join(dir, 'huge.f32');
    writeFileSync(huge, '');
    truncateSync(huge, 256 * 1024 * 1024 + 4);
    const cases: [string[], RegExp, number][] = [
      [['laneatt', join(dir, 'missing.f32'), '--json'], /cannot read .*missing\.f32: no such file/, 1],
      [['laneatt', odd, '--json'], /odd\.f32: 928 bytes is not N x 77 float32 values/, 1],
      // Refused before reading: an endless device, a file larger than any model output (sparse here).
      [['laneatt', '/dev/zero'], /\/dev\/zero: not a regular file/, 1],
      [['laneatt', huge], /huge\.f32: 268435460 bytes is larger than any lane model output/, 1],
      [['ufld', odd], /odd\.f32: 928 bytes matches no known UFLD shape/, 1],
      [['ufld', odd, '--dataset', 'tusimple'], /odd\.f32: 928 bytes does not match shape \[1, 101, 56, 4\]/, 1],
      [['laneatt', odd, '--conf', 'high'], /--conf must be a number, got 'high'/, 2],
      [['laneatt', odd, '--orig-w', '100'], /--orig-w and --orig-h must be given together/, 2],
      [['ufld', odd, '--orig-w', '0', '--orig-h', '0'], /--orig-w and --orig-h must be positive, got 0 x 0/, 2],
      [
        ['laneatt', odd, '--h-samples', '160,-5'],
        /--h-samples must be positive integers like 160,170,180, got '160,-5'/,
        2,
      ],
      [['yolo', odd], /unknown decoder 'yolo'/, 2],
      [['laneatt'], /expected a decoder name and one RAW\.f32 file/, 2],
      [['laneatt', odd, '--bogus'], /Unknown option '--bogus'/, 2],
    ];
    for (const [args, re, code] of cases) {
      const r = await run(args);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n')[0].startsWith('tritonscope decode: '), true);
      assert.equal(r.stdout, '');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
