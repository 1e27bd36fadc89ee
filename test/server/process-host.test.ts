/**
 * The embedded server in a child process (what Electron's main process does with utilityProcess):
 * the handle answers like an in-process server, a failing start is reported, and close ends the
 * child. Uses child_process.fork, since the Electron binary is not installed on CI machines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startServerInChild, type ParentSide } from '../../electron/server/processHost';
import { TritonClient } from '../../electron/triton';
import { makeRepository } from './fixtures';
import { childScript } from '../helpers/childScript';

const CHILD = childScript(join(import.meta.dirname, '..', 'helpers', 'serverChild.ts'), { modelWorker: true });

function forkChild(): { child: ChildProcess; side: ParentSide } {
  const child = fork(CHILD, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return {
    child,
    side: {
      post: (msg) => child.send(msg),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', listener),
      kill: () => void child.kill(),
    },
  };
}

test('the embedded server in a child process: serves, reports start failures, closes with the child', async () => {
  const repo = makeRepository();
  const { child, side } = forkChild();
  try {
    const server = await startServerInChild(side, { modelRepository: repo.dir, loadModels: ['scaled'] });
    assert.notEqual(child.pid, process.pid);
    const client = new TritonClient({ url: server.url });
    try {
      assert.equal(await client.serverLive(), true);
      const index = await client.repositoryIndex();
      assert.ok(index.some((m) => m.name === 'scaled' && m.state === 'READY'));
    } finally {
      client.close();
    }
    const exited = new Promise((r) => child.once('exit', r));
    await server.close();
    await exited;
    assert.notEqual(child.exitCode ?? child.signalCode, null, 'the child process ended');
  } finally {
    child.kill();
    repo.cleanup();
  }

  const bad = forkChild();
  try {
    await assert.rejects(
      startServerInChild(bad.side, { modelRepository: '/nonexistent/tritonscope-repo' }),
      /model repository '\/nonexistent\/tritonscope-repo' is not a directory/,
    );
  } finally {
    bad.child.kill();
  }
});
