/**
 * The frame worker's job runner (renderer/src/lib/frameWorker/job.ts) against the real bridge and
 * the real embedded server: pixels -> the input tensor -> a WebSocket infer call -> the output as
 * Float32 values. The server runs the lane stub (output = the first 2784 x 77 input values), so the
 * output must equal the head of the tensor the job built, and two jobs in flight, which share the
 * reused buffers (the worker's, and the services' pool of widened inputs), must each get their own
 * frame's values back. FP32/FP16 images travel as 8-bit planes the services widen. Also: the
 * input-only mode the Electron path uses, errors coming back as data, and every frame released.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  createApiClient,
  createWebSocketTransport,
  type TritonscopeApi,
  type WebSocketLike,
  type WebSocketTransport,
} from '../../shared/contract';
import { buildInputTensor, LANE_PREPROCESS, type InputSpec } from '../../shared/inference';
import { decodeTensor } from '../../shared/tensor/codec';
import { widenPlanes } from '../../shared/preprocess';
import { startBrowserMode, type BrowserMode } from '../../electron/bridge/browserMode';
import { FrameJobRunner, unpackOutput, type PixelReader } from '../../renderer/src/lib/frameWorker/job';
import type { FrameJob, FrameJobResult, TransferableFrame } from '../../renderer/src/lib/frameWorker/protocol';
import { makeLaneStubRepo, type TempRepo } from '../triton-client/helpers/laneStubRepo';

const W = 640;
const H = 360;
const OUT = 2784 * 77;

let repo: TempRepo;
let mode: BrowserMode;
let transport: WebSocketTransport;
let api: TritonscopeApi;

before(async () => {
  repo = makeLaneStubRepo();
  const media = join(repo.dir, '.media');
  mkdirSync(media);
  mode = await startBrowserMode({
    staticDir: join(repo.dir, 'no-renderer'),
    configDir: join(repo.dir, '.config'),
    services: { demoRepoDir: repo.dir, demoMediaDir: media, poll: false },
  });
  assert.equal(mode.demoError, null);
  transport = createWebSocketTransport({
    url: `ws://127.0.0.1:${mode.bridge.port}/api/ws?token=${mode.bridge.token}`,
    createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
    reconnect: false,
  });
  api = createApiClient(transport);
  assert.equal((await api.connect({ id: 'demo' })).state, 'connected');
});
after(async () => {
  transport?.close();
  await mode?.close();
  repo?.cleanup();
});

/** A frame that records whether it was released. */
function frame(): TransferableFrame & { closed: number } {
  const f = { closed: 0, close: () => void f.closed++ };
  return f as unknown as TransferableFrame & { closed: number };
}

/** RGBA pixels of one colour, at the size asked for (what a canvas would read back). */
function uniform(r: number, g: number, b: number): Uint8Array {
  const px = new Uint8Array(W * H * 4);
  for (let i = 0; i < px.length; i += 4) px.set([r, g, b, 255], i);
  return px;
}

function spec(datatype: 'FP32' | 'FP16'): InputSpec {
  return { name: 'input', datatype, shape: [1, 3, H, W], layout: 'NCHW', width: W, height: H };
}

function job(id: number, datatype: 'FP32' | 'FP16', f: TransferableFrame, model?: string): FrameJob {
  return {
    id,
    frame: f,
    frameW: W,
    frameH: H,
    spec: spec(datatype),
    pre: { ...LANE_PREPROCESS },
    postedAt: performance.timeOrigin + performance.now(),
    ...(model ? { infer: { connectionId: 'demo', model, requestId: `f${id}`, output: 'predict_lanes' } } : {}),
  };
}

/** The head of the tensor the inspector's preprocessing makes from `pixels`, as Float32 values. */
function expectedHead(pixels: Uint8Array, datatype: 'FP32' | 'FP16'): Float32Array {
  const t = buildInputTensor(pixels, spec(datatype), LANE_PREPROCESS);
  const all = decodeTensor(datatype, t.data);
  return all.subarray(0, OUT);
}

function ok(r: FrameJobResult): Extract<FrameJobResult, { ok: true }> {
  if (!r.ok) assert.fail(`job ${r.id} failed: ${r.error.code} ${r.error.message}`);
  return r;
}

for (const datatype of ['FP16', 'FP32'] as const) {
  test(`${datatype}: two frames in flight come back through the bridge as their own lane-stub output (reused buffers do not mix)`, async () => {
    const colours = [uniform(10, 20, 51), uniform(200, 100, 204)];
    const frames = [frame(), frame()];
    // Like VideoFrame.copyTo into the worker's one RGBA buffer: asynchronous, and reused.
    const shared = new Uint8Array(W * H * 4);
    const reader: PixelReader = async (f) => {
      const colour = colours[frames.indexOf(f as (typeof frames)[number])];
      await new Promise((r) => setImmediate(r));
      shared.set(colour);
      await new Promise((r) => setImmediate(r));
      return shared;
    };
    const runner = new FrameJobRunner(reader, () => api);
    const model = datatype === 'FP16' ? 'lane_stub_fp16' : 'lane_stub';
    const results = await Promise.all(frames.map((f, i) => runner.run(job(i + 1, datatype, f, model))));
    for (const [i, result] of results.entries()) {
      const r = ok(result);
      assert.equal(r.id, i + 1);
      assert.equal(r.kind, 'output');
      if (r.kind !== 'output') return;
      assert.equal(r.model, model);
      assert.equal(r.output.name, 'predict_lanes');
      assert.deepEqual(r.output.shape, [1, 2784, 77]);
      assert.ok(r.output.values instanceof Float32Array);
      assert.deepEqual(r.output.values, expectedHead(colours[i], datatype), `frame ${i + 1}'s own values`);
      // BGR planes first: the head is the blue plane, / 255.
      assert.ok(Math.abs(r.output.values[0] - [51, 204][i] / 255) < 1e-3);
      assert.ok(r.timing.requestMs! >= r.timing.servicesMs! && r.timing.servicesMs! >= 0);
      assert.ok(r.timing.queuedMs >= 0 && r.timing.captureMs >= 0 && r.timing.tensorMs >= 0);
      assert.equal(frames[i].closed, 1, 'the frame was released');
    }
  });
}

test('without an API (Electron: the main thread sends) a job answers with its own input: the image as 8-bit planes', async () => {
  const colours = [uniform(1, 2, 3), uniform(4, 5, 6)];
  let call = 0;
  const runner = new FrameJobRunner(
    () => Promise.resolve(colours[call++]),
    () => null,
  );
  const results = (await Promise.all([1, 2].map((id) => runner.run(job(id, 'FP16', frame(), 'lane_stub_fp16'))))).map(
    ok,
  );
  const images = results.map((r) => {
    assert.equal(r.kind, 'input');
    if (r.kind !== 'input') throw new Error('unreachable');
    assert.deepEqual(r.input.inputs, []);
    assert.ok(r.input.image);
    return r.input.image;
  });
  assert.notEqual(images[0].planes.buffer, images[1].planes.buffer, 'inputs handed back are never reused');
  for (const [i, image] of images.entries()) {
    assert.equal(image.planes.byteLength, 3 * W * H, 'one byte a sample');
    assert.deepEqual([image.datatype, image.shape, image.name], ['FP16', [1, 3, H, W], 'input']);
    // Widened as the services do, it is exactly the tensor the inspector's preprocessing makes.
    const widened = widenPlanes(image.planes, { dtype: 'FP16', scale: image.scale, mean: image.mean, std: image.std });
    assert.deepEqual(widened, buildInputTensor(colours[i], spec('FP16'), LANE_PREPROCESS).data);
  }
});

test('a UINT8 image input is sent as the tensor itself (it is already one byte a sample)', async () => {
  const runner = new FrameJobRunner(
    () => Promise.resolve(uniform(9, 8, 7)),
    () => null,
  );
  const j = job(1, 'FP16', frame());
  const r = ok(await runner.run({ ...j, spec: { ...j.spec, datatype: 'UINT8' } }));
  assert.equal(r.kind, 'input');
  if (r.kind !== 'input') return;
  assert.equal(r.input.image, undefined);
  assert.deepEqual(r.input.inputs, [
    buildInputTensor(uniform(9, 8, 7), { ...spec('FP16'), datatype: 'UINT8' }, LANE_PREPROCESS),
  ]);
});

test('failures come back as serialized errors and the frame is still released', async () => {
  const runner = new FrameJobRunner(
    () => Promise.resolve(uniform(0, 0, 0)),
    () => api,
  );
  const f1 = frame();
  const missing = await runner.run(job(1, 'FP16', f1, 'no_such_model'));
  assert.equal(missing.ok, false);
  if (!missing.ok) assert.match(missing.error.message, /no_such_model/);
  assert.equal(f1.closed, 1);

  // A model whose input is FP32 sent an FP16 tensor: the server names the datatype mismatch.
  const f2 = frame();
  const wrong = await runner.run(job(2, 'FP16', f2, 'lane_stub'));
  assert.equal(wrong.ok, false);
  if (!wrong.ok) assert.match(wrong.error.message, /FP16|FP32|data ?type/i);
  assert.equal(f2.closed, 1);

  const broken = new FrameJobRunner(
    () => Promise.reject(new Error('frame not decodable')),
    () => api,
  );
  const f3 = frame();
  const unreadable = await broken.run(job(3, 'FP16', f3, 'lane_stub_fp16'));
  assert.equal(unreadable.ok, false);
  if (!unreadable.ok) assert.match(unreadable.error.message, /frame not decodable/);
  assert.equal(f3.closed, 1);
  // One failed read does not block the jobs after it.
  const next = await new FrameJobRunner(
    () => Promise.resolve(uniform(0, 0, 255)),
    () => api,
  ).run(job(4, 'FP16', frame(), 'lane_stub_fp16'));
  assert.equal(ok(next).kind, 'output');
});

test('unpackOutput: the named output as Float32; integer outputs and empty answers are refused by name', () => {
  const f32 = new Uint8Array(new Float32Array([1.5, -2]).buffer);
  const out = unpackOutput(
    [
      { name: 'other', datatype: 'FP32', shape: [1], data: new Uint8Array(4) },
      { name: 'lanes', datatype: 'FP32', shape: [2], data: f32 },
    ],
    'lanes',
    'm',
    false,
  );
  assert.deepEqual([...out.values], [1.5, -2]);
  assert.equal(out.values.buffer, f32.buffer, 'an aligned FP32 output is a view, not a copy');
  assert.notEqual(
    unpackOutput([{ name: 'lanes', datatype: 'FP32', shape: [2], data: f32 }], 'lanes', 'm', true).values.buffer,
    f32.buffer,
  );
  assert.throws(
    () => unpackOutput([{ name: 'ids', datatype: 'INT32', shape: [1], data: new Uint8Array(4) }], 'ids', 'm', false),
    /output 'ids' is INT32; lane decoders need floating-point output/,
  );
  assert.throws(() => unpackOutput([], 'lanes', 'mymodel', false), /mymodel returned no outputs/);
  assert.throws(
    () => unpackOutput([{ name: 'lanes', datatype: 'FP32', shape: [3], data: f32 }], 'lanes', 'm', false),
    /output 'lanes'.*needs 12 bytes, got 8/,
  );
});
