/**
 * The server CLI commands over HTTP/REST (through main() in one helper process, test/helpers/cli.ts;
 * the first status call through the real binary): `--protocol http` or an
 * http:// URL reaches the embedded server's HTTP port, and every command gives what it gives over
 * gRPC. Also `tritonscope serve --http-port`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { HttpTritonClient } from '../../electron/triton';
import { makeLaneStubRepo, type TempRepo } from './helpers/laneStubRepo';
import { cliHost, spawnCli, type CliHost } from '../helpers/cli';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repoRoot, 'bin/tritonscope.mjs');

let repo: TempRepo;
let server: EmbeddedServer;
let tmp: string;
let image: string;
let http: string;

let host: CliHost;
const cli = (...args: string[]) => host.run(args);

before(async () => {
  host = cliHost();
  repo = makeLaneStubRepo();
  server = await startEmbeddedServer({
    modelRepository: repo.dir,
    controlMode: 'explicit',
    loadModels: ['lane_stub'],
    httpPort: 0,
  });
  http = `http://${server.httpUrl}`;
  tmp = fs.mkdtempSync(path.join(repo.dir, '..', 'tritonscope-http-cli-'));
  image = path.join(tmp, 'road.png');
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

test('status over HTTP: by http:// URL and by --protocol http', async () => {
  const human = await spawnCli(['status', '--url', http]);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /over HTTP\/REST/);
  assert.match(human.stdout, /live: +yes/);
  assert.match(human.stdout, /health: +n\/a \(HTTP\)/);
  const json = JSON.parse((await cli('status', '--url', server.httpUrl!, '--protocol', 'http', '--json')).stdout);
  assert.equal(json.protocol, 'http');
  assert.equal(json.ready, true);
  assert.equal(json.metadata.name, 'triton');
  const grpc = JSON.parse((await cli('status', '--url', server.url, '--json')).stdout);
  assert.equal(grpc.protocol, 'grpc');
  assert.deepEqual(grpc.metadata, json.metadata);
  const bad = await cli('status', '--url', http, '--protocol', 'grpc');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /contradicts/);
  const unknown = await cli('status', '--protocol', 'smtp');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--protocol must be grpc or http, got 'smtp'/);
});

test('models, load, config, unload over HTTP equal the gRPC answers', async () => {
  const viaHttp = JSON.parse((await cli('models', '--url', http, '--json')).stdout);
  const viaGrpc = JSON.parse((await cli('models', '--url', server.url, '--json')).stdout);
  assert.deepEqual(viaHttp, viaGrpc);
  assert.equal((await cli('load', 'lane_stub_fp16', '--url', http)).code, 0);
  const cfg = await cli('config', 'lane_stub_fp16', '--url', http, '--pbtxt');
  assert.equal(cfg.code, 0, cfg.stderr);
  assert.match(cfg.stdout, /data_type: TYPE_FP16/);
  assert.equal((await cli('unload', 'lane_stub_fp16', '--url', http)).code, 0);
  const after = JSON.parse((await cli('models', '--url', http, '--json')).stdout) as Array<{
    name: string;
    state: string;
  }>;
  assert.equal(after.find((m) => m.name === 'lane_stub_fp16')?.state, 'UNAVAILABLE');
});

test('infer and stats over HTTP (binary tensors)', async () => {
  const out = path.join(tmp, 'infer.json');
  const r = await cli('infer', '--model', 'lane_stub', '--image', image, '--out', out, '--url', http);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.deepEqual(s.outputs[0].shape, [1, 2784, 77]);
  assert.ok(Math.abs(s.outputs[0].min - 128 / 255) < 1e-6, 'the blue plane, as over gRPC');
  const stats = JSON.parse((await cli('stats', 'lane_stub', '--url', http, '--json')).stdout);
  assert.ok(Number(stats[0].inference_count) >= 1);
  const unknown = await cli('config', 'nope', '--url', http);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, "tritonscope config: NOT_FOUND: Request for unknown model: 'nope' is not found\n");
});

test('tritonscope serve --http-port serves HTTP/REST beside gRPC', async () => {
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--model-repository', repo.dir, '--port', '0', '--http-port', '0', '--load-model', 'lane_stub'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  try {
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`serve did not start: ${out}`)), 30_000);
      child.stdout.on('data', () => out.includes('Press Ctrl+C') && (clearTimeout(timer), done()));
      child.on('exit', (code) => fail(new Error(`serve exited early (${code})`)));
    });
    const url = /HTTP\/REST on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(url, out);
    const c = new HttpTritonClient({ url });
    try {
      assert.equal(await c.modelReady('lane_stub'), true);
    } finally {
      c.close();
    }
  } finally {
    child.kill('SIGKILL');
  }
  const bad = await cli('serve', '--model-repository', repo.dir, '--http-port', '70000');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--http-port must be 0\.\.65535, got '70000'/);
});
