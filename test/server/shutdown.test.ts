/**
 * The model manager's ends: a version whose worker thread dies is listed UNAVAILABLE with the
 * reason (it stayed READY and failed every request); and closing the manager (the last step of the
 * embedded server's close): a model-control request
 * that was already past the gRPC or HTTP front end when the server closed must not load a model
 * into the closed manager. Before this was refused, such a load left its model's worker thread
 * referenced after close, and the process (a test lane, `tritonscope serve`) never exited.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelManager } from '../../electron/server/modelManager';
import type { Worker } from 'node:worker_threads';
import { makeRepository } from './fixtures';

test('close() finishes the loads queued before it and refuses the ones that come after', async () => {
  const repo = makeRepository();
  const manager = new ModelManager({ repository: repo.dir, controlMode: 'explicit' });
  try {
    const queued = manager.loadModel('scaled', {});
    const closing = manager.close();
    await assert.rejects(manager.loadModel('add_sub', {}), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'UNAVAILABLE');
      assert.match(e.message, /the server is shutting down/);
      return true;
    });
    await queued; // ran to the end before close() released the versions
    await closing;
    await assert.rejects(manager.loadModel('scaled', {}), /the server is shutting down/);
    await assert.rejects(manager.unloadModel('scaled', false), /the server is shutting down/);
  } finally {
    await manager.close();
    repo.cleanup();
  }
});

test('a model whose worker thread dies is listed UNAVAILABLE with the reason, not READY', async () => {
  const repo = makeRepository();
  const manager = new ModelManager({ repository: repo.dir, controlMode: 'explicit' });
  try {
    await manager.loadModel('scaled', {});
    assert.equal(manager.isModelReady('scaled', '1'), true);
    // The thread ends as a crash would end it (an uncaught error, out of memory).
    const runner = manager.getReady('scaled', 1).vrec.runner as unknown as { worker: Worker };
    const exited = new Promise((r) => runner.worker.once('exit', r));
    await runner.worker.terminate();
    await exited;
    assert.equal(manager.isModelReady('scaled', '1'), false);
    const entry = manager.repositoryIndex(false).find((e) => e.name === 'scaled' && e.version === '1');
    assert.equal(entry?.state, 'UNAVAILABLE');
    assert.match(entry?.reason ?? '', /worker thread exited/);
  } finally {
    await manager.close();
    repo.cleanup();
  }
});
