/**
 * A deployment-like sample repository served by the embedded server: our own (written by
 * test/fixtures/sampleRepo.ts) always, and ../shared/triton/sample-repo where it is present. Its
 * model.plan / model.onnx files are empty and its python models are stubs, so nothing in it can run
 * here: every model must be listed UNAVAILABLE with the reason, and requests must get Triton's errors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { TritonClient, TritonError } from '../../electron/triton';

import { hasShared, sharedPath } from '../helpers/shared';
import { makeTempDir } from '../helpers/tempDir';
import { writeSampleRepo } from '../fixtures/sampleRepo';

const owned = makeTempDir('tritonscope-sample-repo-');
after(() => owned.cleanup());
const repos: [string, string][] = [['our sample repository', writeSampleRepo(owned.dir)]];
if (hasShared('triton/sample-repo')) repos.push(['../shared/triton/sample-repo', sharedPath('triton/sample-repo')]);
const cannotRun = (backend: string, file: string) =>
  `Unavailable: the embedded server cannot run '${backend}' models (${file}); connect to a real Triton to run them`;

for (const [label, SAMPLE_REPO] of repos) {
  describe(label, () => {
    let server: EmbeddedServer;
    let client: TritonClient;

    before(async () => {
      server = await startEmbeddedServer({ modelRepository: SAMPLE_REPO, controlMode: 'none' });
      client = new TritonClient({ url: server.url });
    });

    after(async () => {
      client?.close();
      await server?.close();
    });

    test('every sample model is UNAVAILABLE with its reason', async () => {
      const index = await client.repositoryIndex();
      const byName = (name: string) => index.filter((e) => e.name === name);
      for (const name of ['laneDetect_model', 'laneDetect_model_fp16']) {
        assert.deepEqual(byName(name), [
          { name, version: '1', state: 'UNAVAILABLE', reason: cannotRun('tensorrt', 'model.plan') },
        ]);
      }
      for (const name of ['dtype_echo', 'echo_decoupled', 'lane_preprocess']) {
        assert.deepEqual(byName(name), [
          { name, version: '1', state: 'UNAVAILABLE', reason: cannotRun('python', 'model.py') },
        ]);
      }
      // version_policy all: both versions attempted; the empty model.onnx files fail in onnxruntime.
      const batched = byName('lane_batched');
      assert.deepEqual(
        batched.map((e) => [e.version, e.state]),
        [
          ['1', 'UNAVAILABLE'],
          ['2', 'UNAVAILABLE'],
        ],
      );
      for (const e of batched) {
        assert.match(
          e.reason,
          /^Internal: onnx runtime error: Load model from .*lane_batched\/\d\/model\.onnx failed:.*ModelProto does not have a graph\.$/s,
        );
      }
      // An invalid ensemble stays out of Triton's model lifecycle: listed by name alone.
      assert.deepEqual(byName('lane_pipeline'), [{ name: 'lane_pipeline', version: '', state: '', reason: '' }]);
      assert.deepEqual(await client.repositoryIndex({ ready: true }), []);
    });

    test('strict readiness and model lookups', async () => {
      assert.equal(await client.serverLive(), true);
      assert.equal(await client.serverReady(), false);
      assert.equal(await client.modelReady('laneDetect_model'), false);
      await assert.rejects(
        client.modelMetadata('laneDetect_model'),
        (e: unknown) =>
          e instanceof TritonError &&
          e.code === 'NOT_FOUND' &&
          e.details === "Request for unknown model: 'laneDetect_model' has no available versions",
      );
      await assert.rejects(
        client.modelConfig('lane_batched', '2'),
        (e: unknown) =>
          e instanceof TritonError &&
          e.code === 'UNAVAILABLE' &&
          e.details === "Request for unknown model: 'lane_batched' version 2 is not at ready state",
      );
      await assert.rejects(
        client.infer({
          model: 'laneDetect_model',
          inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 3, 360, 640], data: new Uint8Array(2764800) }],
        }),
        (e: unknown) => e instanceof TritonError && e.code === 'NOT_FOUND',
      );
      assert.deepEqual(await client.modelStatistics(), []);
    });

    test('explicit mode: nothing loaded until asked; load reports the reason', async () => {
      const explicit = await startEmbeddedServer({ modelRepository: SAMPLE_REPO, controlMode: 'explicit' });
      const c = new TritonClient({ url: explicit.url });
      try {
        const index = await c.repositoryIndex();
        assert.equal(index.length, 7);
        assert.ok(
          index.every((e) => e.state === '' && e.version === ''),
          'never-loaded models are name-only',
        );
        assert.equal(await c.serverReady(), true);
        await assert.rejects(
          c.loadModel('laneDetect_model_fp16'),
          (e: unknown) =>
            e instanceof TritonError &&
            e.code === 'INVALID_ARGUMENT' &&
            e.details ===
              `load failed for model 'laneDetect_model_fp16': version 1 is at UNAVAILABLE state: ${cannotRun('tensorrt', 'model.plan')};\n`,
        );
        await assert.rejects(
          c.loadModel('lane_pipeline'),
          (e: unknown) =>
            e instanceof TritonError &&
            e.code === 'INVALID_ARGUMENT' &&
            e.details ===
              "load failed for model 'lane_pipeline': ensemble 'lane_pipeline' depends on 'lane_preprocess' which has no loaded version. Model 'lane_preprocess' loading failed with error: version 1 is at UNAVAILABLE state: Unavailable: the embedded server cannot run 'python' models (model.py); connect to a real Triton to run them;\n",
        );
        const after = await c.repositoryIndex();
        assert.equal(
          after.find((e) => e.name === 'lane_preprocess')?.state,
          'UNAVAILABLE',
          'composing models are loaded with the ensemble',
        );
        assert.equal(after.find((e) => e.name === 'dtype_echo')?.state, '', 'unrelated models stay untouched');
      } finally {
        c.close();
        await explicit.close();
      }
    });
  });
}
