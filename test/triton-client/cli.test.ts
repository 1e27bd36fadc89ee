/**
 * The server CLI commands (status, models, config, stats, load, unload, infer) against the embedded
 * server over loopback: through the CLI's main() in one helper process (test/helpers/cli.ts), and
 * the status command also through the real binary (`node bin/tritonscope.mjs`).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import sharp from 'sharp';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { makeLaneStubRepo, type TempRepo } from './helpers/laneStubRepo';
import { spawnSync } from 'node:child_process';
import { cliHost, spawnCli, REPO_ROOT, type CliHost } from '../helpers/cli';
import { configOverrideFromFile } from '../../electron/cli/commands/load';

let repo: TempRepo;
let server: EmbeddedServer;
let tmp: string;
let image: string;

let host: CliHost;
const cli = (...args: string[]) => host.run(args);

before(async () => {
  host = cliHost();
  repo = makeLaneStubRepo();
  server = await startEmbeddedServer({ modelRepository: repo.dir, controlMode: 'explicit', loadModels: ['lane_stub'] });
  tmp = fs.mkdtempSync(path.join(repo.dir, '..', 'tritonscope-cli-'));
  image = path.join(tmp, 'road.png');
  // 1280x720 gradient image: exercises decode + resize to the model's 640x360.
  const w = 1280,
    h = 720;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px.set([x % 256, y % 256, 128], (y * w + x) * 3);
  await sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(image);
});
after(async () => {
  host.close();
  await server.close();
  repo.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('status: human and --json (the real binary)', async () => {
  const human = await spawnCli(['status', '--url', server.url]);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, new RegExp(`Triton at ${server.url.replace(/\./g, '\\.')}`));
  assert.match(human.stdout, /live: +yes/);
  assert.match(human.stdout, /health: +SERVING/);
  const json = await cli('status', '--url', server.url, '--json');
  const s = JSON.parse(json.stdout);
  assert.equal(s.live, true);
  assert.equal(s.metadata.name, 'triton');
});

test('models lists states; load/unload change them', async () => {
  const before = await cli('models', '--url', server.url);
  assert.equal(before.code, 0, before.stderr);
  assert.match(before.stdout, /^MODEL +VERSION +STATE +REASON/m);
  assert.match(before.stdout, /^lane_stub +1 +READY/m);
  assert.match(before.stdout, /^lane_stub_fp16 +- +\(not loaded\)/m);
  const load = await cli('load', 'lane_stub_fp16', '--url', server.url);
  assert.equal(load.code, 0, load.stderr);
  assert.equal(load.stdout.trim(), "loaded 'lane_stub_fp16'");
  const json = JSON.parse((await cli('models', '--url', server.url, '--json')).stdout);
  assert.deepEqual(
    json.find((m: { name: string }) => m.name === 'lane_stub_fp16'),
    { name: 'lane_stub_fp16', version: '1', state: 'READY', reason: '' },
  );
  const unload = await cli('unload', 'lane_stub_fp16', '--url', server.url);
  assert.equal(unload.code, 0, unload.stderr);
  const after = JSON.parse((await cli('models', '--url', server.url, '--json')).stdout);
  assert.equal(after.find((m: { name: string }) => m.name === 'lane_stub_fp16').reason, 'unloaded');
});

test('config prints pbtxt by default and JSON with --json', async () => {
  const pb = await cli('config', 'lane_stub', '--url', server.url, '--pbtxt');
  assert.equal(pb.code, 0, pb.stderr);
  assert.match(pb.stdout, /^name: "lane_stub"$/m);
  assert.match(pb.stdout, /data_type: TYPE_FP32/);
  assert.match(pb.stdout, /max_batch_size: 1/);
  const js = JSON.parse((await cli('config', 'lane_stub', '--url', server.url, '--json')).stdout);
  assert.deepEqual(js.input[0].dims, [3, 360, 640]);
  assert.equal(js.max_batch_size, 1);
});

test('load --config-file sends the pbtxt as a config override; syntax errors point at file:line', async () => {
  const good = path.join(tmp, 'override.pbtxt');
  fs.writeFileSync(
    good,
    fs
      .readFileSync(path.join(repo.dir, 'lane_stub', 'config.pbtxt'), 'utf8')
      .replace(
        'max_batch_size: 1',
        'max_batch_size: 1\nparameters { key: "origin" value { string_value: "cli-test" } }',
      ),
  );
  const r = await cli('load', 'lane_stub', '--config-file', good, '--url', server.url);
  assert.equal(r.code, 0, r.stderr);
  const js = JSON.parse((await cli('config', 'lane_stub', '--url', server.url, '--json')).stdout);
  assert.deepEqual(js.parameters, { origin: { string_value: 'cli-test' } });
  const bad = path.join(tmp, 'bad.pbtxt');
  fs.writeFileSync(bad, 'name: "lane_stub"\nmax_batch_size: [\n');
  const e = await cli('load', 'lane_stub', '--config-file', bad, '--url', server.url);
  assert.equal(e.code, 1);
  assert.match(e.stderr, /^tritonscope load: .*bad\.pbtxt:\d+:\d+: error: /);
  assert.equal(e.stderr.trim().split('\n').length, 1);
});

test('load --config-file with JSON sends the text as written: 64-bit integers are not rounded', async () => {
  const file = path.join(tmp, 'override.json');
  const text =
    '{"name": "lane_stub", "sequence_batching": {"max_sequence_idle_microseconds": 9007199254740993, "control_input": [], "state": []}}';
  fs.writeFileSync(file, `${text}\n`);
  const sent = await configOverrideFromFile(file);
  assert.equal(sent, text);
  assert.match(sent, /"max_sequence_idle_microseconds": 9007199254740993,/);
  fs.writeFileSync(file, '[1, 2]');
  await assert.rejects(configOverrideFromFile(file), /override\.json: invalid JSON: expected a JSON object/);
  // Mistakes Triton would only answer with "failed to poll from model repository" are named here.
  fs.writeFileSync(file, '{"name": "lane_stub", "max_batch_sizee": 4}');
  await assert.rejects(configOverrideFromFile(file), /override\.json:1:\d+: error: .*did you mean "max_batch_size"/);
  fs.writeFileSync(file, '{"name": "LaneDet_fp16", "max_batch_size": 1}');
  await assert.rejects(
    configOverrideFromFile(file, { model: 'lane_stub' }),
    /override\.json: the config is for model 'LaneDet_fp16', not 'lane_stub'/,
  );
  const pbtxt = path.join(tmp, 'other-model.pbtxt');
  fs.writeFileSync(pbtxt, 'name: "LaneDet_fp16"\nmax_batch_size: 1\n');
  const other = await cli('load', 'lane_stub', '--config-file', pbtxt, '--url', server.url);
  assert.equal(other.code, 1);
  assert.match(other.stderr, /the config is for model 'LaneDet_fp16', not 'lane_stub'/);
  // No name: Triton names it after the model.
  fs.writeFileSync(file, '{"max_batch_size": 1}');
  assert.equal(await configOverrideFromFile(file, { model: 'lane_stub' }), '{"max_batch_size": 1}');
});

test('load --config-file stops on semantic errors unless --force, which lets the server judge', async () => {
  const file = path.join(tmp, 'semantic.pbtxt');
  fs.writeFileSync(
    file,
    fs
      .readFileSync(path.join(repo.dir, 'lane_stub', 'config.pbtxt'), 'utf8')
      .replace('max_batch_size: 1', 'max_batch_size: 1\ndynamic_batching { preferred_batch_size: [ 4 ] }'),
  );
  const local = await cli('load', 'lane_stub', '--config-file', file, '--url', server.url);
  assert.equal(local.code, 1);
  assert.match(
    local.stderr,
    /^tritonscope load: .*semantic\.pbtxt:4:\d+: error: dynamic batching preferred size must be <= max batch size/,
  );
  const forced = await cli('load', 'lane_stub', '--config-file', file, '--force', '--url', server.url);
  assert.doesNotMatch(forced.stderr, /semantic\.pbtxt/);
  if (forced.code !== 0)
    assert.match(forced.stderr, /^tritonscope load: [A-Z_]+: /, 'a server-side error is reported with its gRPC code');
  // Leave the model as the other tests expect it: Triton keeps an override over unchanged files, so
  // the repository's config comes back with an unload and a load.
  assert.equal((await cli('unload', 'lane_stub', '--url', server.url)).code, 0);
  assert.equal((await cli('load', 'lane_stub', '--url', server.url)).code, 0);
});

test('infer: FP32 image through the model, JSON summary with stats and decoded lanes', async () => {
  const out = path.join(tmp, 'infer.json');
  const r = await cli('infer', '--model', 'lane_stub', '--image', image, '--out', out, '--url', server.url);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /lane_stub v1: .*road\.png \(1280x720\) -> input FP32 \[1,3,360,640\]/);
  assert.match(r.stdout, /^predict_lanes +FP32 +\[1,2784,77\]/m);
  const s = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.deepEqual(s.input, { name: 'input', datatype: 'FP32', shape: [1, 3, 360, 640] });
  assert.deepEqual(s.image, { path: image, width: 1280, height: 720 });
  const o = s.outputs[0];
  assert.deepEqual(o.shape, [1, 2784, 77]);
  assert.equal(o.bytes, 2784 * 77 * 4);
  // The stub returns the first 214368 values of the first plane. The default preprocessing is LaneATT's
  // (BGR planes, /255), so that is the blue plane: 128 everywhere in this image.
  assert.ok(Math.abs(o.min - 128 / 255) < 1e-6 && Math.abs(o.max - 128 / 255) < 1e-6, `min ${o.min} max ${o.max}`);
  assert.equal(s.lanes[0].decoder, 'laneatt');
  assert.equal(s.lanes[0].output, 'predict_lanes');
  for (const lane of s.lanes[0].lanes) {
    for (const [x, y] of lane.points)
      assert.ok(y >= 0 && y <= 720 && Number.isFinite(x), 'points are in original-image pixels');
  }
});

test('infer --dtype FP16 against the FP16 twin; --json', async () => {
  assert.equal((await cli('load', 'lane_stub_fp16', '--url', server.url)).code, 0);
  const r = await cli(
    'infer',
    '--model',
    'lane_stub_fp16',
    '--image',
    image,
    '--dtype',
    'FP16',
    '--json',
    '--decoder',
    'none',
    '--url',
    server.url,
  );
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.input.datatype, 'FP16');
  assert.equal(s.outputs[0].datatype, 'FP16');
  assert.equal(s.outputs[0].bytes, 2784 * 77 * 2);
  assert.deepEqual(s.lanes, []);
});

test('stats shows counts after inference', async () => {
  const js = JSON.parse((await cli('stats', 'lane_stub', '--url', server.url, '--json')).stdout);
  assert.ok(Number(js[0].inference_count) >= 1);
  const human = await cli('stats', '--url', server.url);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^MODEL +VERSION +INFERENCES/m);
  assert.match(human.stdout, /^lane_stub +1 +[1-9]/m);
});

test('ui --help prints the usage; output into a closed pipe (| head) ends quietly', async () => {
  for (const flag of ['--help', '-h']) {
    const help = await spawnCli(['ui', flag]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^usage: tritonscope ui /);
  }
  // `tritonscope decode ... --json | head -c 1`: the reader closes after one byte of ~300 KB.
  const raw = new Float32Array(2784 * 77).map((_, i) => Math.sin(i) * 3);
  const rawFile = path.join(tmp, 'proposals.f32');
  fs.writeFileSync(rawFile, new Uint8Array(raw.buffer));
  const command = `"${process.execPath}" bin/tritonscope.mjs decode laneatt "${rawFile}" --proposals --json | head -c 1`;
  const piped = spawnSync('bash', ['-o', 'pipefail', '-c', command], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(piped.stderr, '', 'no EPIPE stack trace');
  assert.equal(piped.status, 0);
});

test('failures exit non-zero with one line', async () => {
  const unknown = await cli('config', 'nope', '--url', server.url);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, "tritonscope config: NOT_FOUND: Request for unknown model: 'nope' is not found\n");
  const refused = await cli('status', '--url', '127.0.0.1:1', '--timeout-ms', '3000');
  assert.equal(refused.code, 1);
  assert.equal(
    refused.stderr,
    'tritonscope status: UNAVAILABLE: cannot connect to Triton at 127.0.0.1:1 (connection refused; is the server running and is the port right?)\n',
  );
  // A port that speaks HTTP/1.1 (Triton's REST port) named as such, not "Protocol error (<time>)".
  const rest = http.createServer((_req, res) => res.end('{}'));
  await new Promise<void>((r) => rest.listen(0, '127.0.0.1', r));
  try {
    const port = (rest.address() as { port: number }).port;
    const wrongPort = await cli('status', '--url', `127.0.0.1:${port}`, '--timeout-ms', '5000');
    assert.equal(wrongPort.code, 1);
    assert.equal(
      wrongPort.stderr,
      `tritonscope status: UNAVAILABLE: cannot talk to Triton at 127.0.0.1:${port}: 127.0.0.1:${port} answers HTTP/1.1, not gRPC: it is probably Triton's HTTP/REST port.\n`,
    );
  } finally {
    rest.close();
  }
  const badFlag = await cli('models', '--bogus');
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /^tritonscope models: Unknown option '--bogus'.*\nusage: tritonscope models/);
  // A usage error keeps parseArgs' hint and shows the usage; --raw and --json do not mix.
  const negative = await cli('infer', '--topk', '-1');
  assert.equal(negative.code, 2);
  assert.match(
    negative.stderr,
    /^tritonscope infer: Option '--topk' argument is ambiguous\..* use '--topk=-XYZ'\.\nusage: /,
  );
  const rawJson = await cli('metrics', '--raw', '--json');
  assert.equal(rawJson.code, 2);
  assert.equal(
    rawJson.stderr,
    'tritonscope metrics: --raw prints the Prometheus text as served; it cannot be --json\n',
  );
  const noImage = await cli(
    'infer',
    '--model',
    'lane_stub',
    '--image',
    path.join(tmp, 'missing.png'),
    '--url',
    server.url,
  );
  assert.equal(noImage.code, 1);
  assert.match(noImage.stderr, /^tritonscope infer: cannot read image '.*missing\.png'/);
  const tlsFiles = await cli('status', '--url', server.url, '--tls', '--ca', path.join(tmp, 'nope.crt'));
  assert.equal(tlsFiles.code, 2);
  assert.match(tlsFiles.stderr, /cannot read TLS CA file '.*nope\.crt': ENOENT/);
});
