/**
 * `tritonscope infer` and the inspector give identical lanes for the same image, model and
 * settings: the CLI runs as a real child process; the inspector's path is run in-process with the
 * very modules the UI uses (shared/inference input detection and tensor building, the renderer's
 * inspector model for decoding, the renderer store's default preprocessing and decoder settings),
 * from the same decoded pixels (RGBA at the frame's size, as a canvas gives them).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import sharp from 'sharp';
import { TritonClient } from '../../electron/triton/client';
import { buildInputTensor, imageInputOf, pickLaneOutput, resizeBilinear } from '../../shared/inference';
import { decodeTensor } from '../../shared/tensor/codec';
import { useApp } from '../../renderer/src/state/store';
import { decodeResult } from '../../renderer/src/panels/inspector/model';
import { DEMO_SCENES, REPO_ROOT, demoAssetsMissing, startDemoLaneServer, type DemoLaneServer } from './demoServer';
import { cliHost } from '../helpers/cli';

const missing = demoAssetsMissing();
let demo: DemoLaneServer | undefined;

before(async () => {
  if (!missing) demo = await startDemoLaneServer();
});
after(async () => {
  await demo?.close();
});

const host = cliHost();
after(() => host.close());
async function cliJson(args: string[]): Promise<Record<string, unknown>> {
  const r = await host.run(args, { cwd: REPO_ROOT });
  if (r.code !== 0) throw new Error(`tritonscope ${args.join(' ')} exited ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

type Lanes = { score: number; points: [number, number][] }[];

/** The inspector's path for one image: metadata -> input -> RGBA pixels -> tensor -> infer -> decode. */
async function inspectorLanes(url: string, model: string, image: string): Promise<Lanes> {
  const client = new TritonClient({ url });
  try {
    const st = useApp.getState();
    const meta = await client.modelMetadata(model);
    const spec = imageInputOf(meta);
    // What the canvas gives for the frame at its own size (RGBA), resized as framePixels does.
    const { data: rgba, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const [w, h] = [info.width, info.height];
    assert.equal(st.preprocess.resize, 'opencv');
    const pixels = resizeBilinear(rgba, w, h, 4, spec.width, spec.height);
    const input = buildInputTensor(pixels, spec, st.preprocess, 4);
    const res = await client.infer({ model, inputs: [input] });
    const out = res.outputs.find((o) => o.name === pickLaneOutput(meta))!;
    const values = decodeTensor(out.datatype, out.data, { shape: out.shape, copy: true }) as Float32Array;
    const d = decodeResult(
      {
        frameKey: 'img:0:x',
        frameIndex: 0,
        model,
        output: { name: out.name, datatype: out.datatype, shape: out.shape, values },
        frameW: w,
        frameH: h,
        timing: { preprocessMs: 0, requestMs: 0 },
        at: 0,
      },
      st.decoder,
      false,
    );
    assert.equal(d.error, null);
    return d.decoded!.lanes.map((l) => ({ score: l.score, points: l.points }));
  } finally {
    client.close();
  }
}

test('infer: the CLI and the inspector path give identical lanes (FP32 and FP16 models)', async (t) => {
  if (missing || !demo) return t.skip(missing ?? 'no demo server');
  for (const model of [demo.fp32, demo.fp16].filter((m): m is string => !!m)) {
    for (const scene of [model === demo.fp32 ? 'scene_01.jpg' : 'scene_05.jpg']) {
      const image = join(DEMO_SCENES, scene);
      const cli = (await cliJson(['infer', '--model', model, '--image', image, '--json', '--url', demo.url])) as {
        lanes: { decoder: string; options: Record<string, number>; lanes: Lanes }[];
      };
      const ui = await inspectorLanes(demo.url, model, image);
      assert.ok(ui.length > 0, `${model} finds lanes in ${scene}`);
      assert.equal(cli.lanes.length, 1);
      assert.equal(cli.lanes[0].decoder, 'laneatt');
      // The policy's TuSimple settings, not the registry's CULane defaults (the old CLI used 0.5 / 4).
      assert.deepEqual(
        { conf: cli.lanes[0].options.conf, nms: cli.lanes[0].options.nms, topk: cli.lanes[0].options.topk },
        { conf: 0.2, nms: 45, topk: 5 },
      );
      assert.deepEqual(cli.lanes[0].lanes, ui, `${model} on ${scene}: same lanes`);
    }
  }
});
