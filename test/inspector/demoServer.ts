/**
 * The embedded server on the generated demo repository, and its lane models found by their
 * metadata (names change; shapes do not): an FP32 and an FP16 model with LaneATT's [.., 2784, 77]
 * output. Tests that need the generated assets skip when they are missing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { TritonClient } from '../../electron/triton/client';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const DEMO_REPO = join(REPO_ROOT, 'assets/demo-repo');
export const DEMO_SCENES = join(REPO_ROOT, 'assets/demo/scenes');

/** Why the demo assets cannot be used, or null when they can. */
export function demoAssetsMissing(): string | null {
  if (!existsSync(DEMO_REPO) || !existsSync(DEMO_SCENES))
    return 'assets/demo not built (node --import tsx scripts/demo/build.ts)';
  const onnx = readdirSync(DEMO_REPO).some((m) => existsSync(join(DEMO_REPO, m, '1', 'model.onnx')));
  return onnx ? null : 'assets/demo-repo has no ONNX model (run the demo build)';
}

export interface DemoLaneServer {
  server: EmbeddedServer;
  url: string;
  fp32: string;
  fp16: string | null;
  close(): Promise<void>;
}

export async function startDemoLaneServer(): Promise<DemoLaneServer> {
  const server = await startEmbeddedServer({ modelRepository: DEMO_REPO, controlMode: 'explicit', loadModels: '*' });
  const client = new TritonClient({ url: server.url });
  try {
    let fp32: string | null = null;
    let fp16: string | null = null;
    for (const m of (await client.repositoryIndex())
      .filter((x) => x.state === 'READY')
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const meta = await client.modelMetadata(m.name);
      const laneOut = meta.outputs.some((o) => o.shape.slice(-2).join(',') === '2784,77');
      const input = meta.inputs.find((i) => i.shape.slice(-3).join(',') === '3,360,640');
      if (!laneOut || !input || meta.inputs.length !== 1) continue;
      if (input.datatype === 'FP32' && !fp32) fp32 = m.name;
      if (input.datatype === 'FP16' && !fp16) fp16 = m.name;
    }
    if (!fp32) throw new Error('the demo repository has no READY FP32 lane model');
    return { server, url: server.url, fp32, fp16, close: () => server.close() };
  } catch (e) {
    await server.close();
    throw e;
  } finally {
    client.close();
  }
}
