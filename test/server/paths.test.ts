/**
 * Paths the embedded server opens on a client's behalf (issue 11): shared-memory keys (no symlinks,
 * regular files only), default_model_filename and `file:` override keys (inside the version
 * directory, same answer whether an outside file exists or not), override temp dirs (removed on
 * every path and at shutdown), and model names Triton refuses (`.`, `..`, separators).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { SharedMemoryManager } from '../../electron/server/sharedMemory';
import { TritonClient, TritonError } from '../../electron/triton';
import { makeTempDir, type TempDir } from '../helpers/tempDir';
import { makeRepository, scaleModel, scaledConfig, type Repo } from './fixtures';

let repo: Repo;
let tmp: TempDir;
let server: EmbeddedServer;
let client: TritonClient;
let savedTmpdir: string | undefined;

// Override temp dirs go to os.tmpdir(): point it at a private folder so we can count them.
before(async () => {
  tmp = makeTempDir('tritonscope-paths-');
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = join(tmp.dir, 'os-tmp');
  mkdirSync(process.env.TMPDIR);
  repo = makeRepository();
  server = await startEmbeddedServer({ modelRepository: repo.dir, controlMode: 'explicit', loadModels: ['scaled'] });
  client = new TritonClient({ url: server.url });
});
after(async () => {
  client?.close();
  await server?.close();
  repo?.cleanup();
  tmp?.cleanup();
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
});

const overrideDirs = () => readdirSync(process.env.TMPDIR!).filter((n) => n.startsWith('tritonscope-override-'));

function triton(code: string, text: RegExp | string) {
  return (e: unknown) => {
    assert.ok(e instanceof TritonError, String(e));
    assert.equal(e.code, code, e.details);
    if (typeof text === 'string') assert.equal(e.details, text);
    else assert.match(e.details, text);
    return true;
  };
}

test('shared memory: a symlinked key and a FIFO key are refused; a regular file is accepted', async (t) => {
  const shmRoot = join(tmp.dir, 'shm');
  mkdirSync(shmRoot);
  const victim = join(tmp.dir, 'victim.bin');
  writeFileSync(victim, Buffer.alloc(64));
  symlinkSync(victim, join(shmRoot, 'linked'));
  writeFileSync(join(shmRoot, 'plain'), Buffer.alloc(64));
  const shm = new SharedMemoryManager(true, shmRoot);
  try {
    assert.throws(() => shm.registerSystem('r1', '/linked', 0, 64), {
      message: "Unable to open shared memory region: '/linked'",
    });
    assert.deepEqual(shm.systemStatus(''), {});
    try {
      execFileSync('mkfifo', [join(shmRoot, 'fifo')]);
    } catch {
      t.diagnostic('mkfifo not available: FIFO case skipped');
    }
    if (readdirSync(shmRoot).includes('fifo')) {
      assert.throws(() => shm.registerSystem('r2', '/fifo', 0, 1), /Unable to open shared memory region: '\/fifo'/);
    }
    shm.registerSystem('ok', '/plain', 0, 64);
    assert.deepEqual(Object.keys(shm.systemStatus('')), ['ok']);
  } finally {
    shm.close();
  }
});

test('default_model_filename outside the version directory is refused, whether the file exists or not', async () => {
  // ../../scaled/1/model.onnx exists (it is the real model); ../../nowhere.onnx does not.
  const answers: string[] = [];
  for (const filename of ['../../scaled/1/model.onnx', '../../nowhere.onnx', '/etc/hostname']) {
    const err = await client.loadModel('scaled', { config: scaledConfig({ default_model_filename: filename }) }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof TritonError, `${filename}: the load was accepted`);
    assert.equal(err.code, 'INVALID_ARGUMENT', err.details);
    assert.match(err.details, /must name a file inside the version directory/);
    answers.push(err.details.split(filename).join('<f>'));
  }
  assert.equal(new Set(answers).size, 1, `answers differ: ${answers.join(' | ')}`);
  // A plain file name inside the version directory still loads.
  await client.loadModel('scaled', { config: scaledConfig({ default_model_filename: 'model.onnx' }) });
});

test('file: override keys must resolve inside a version directory; no temp dir is left behind', async () => {
  const model = scaleModel(5);
  for (const key of ['', '1/../../escape.onnx', '../x', '1/', 'config.pbtxt', '1/a\0b', '1/./model.onnx/x']) {
    await assert.rejects(
      client.loadModel('scaled', { config: scaledConfig(), files: { [key]: model } }),
      triton('INTERNAL', "failed to load 'scaled', failed to poll from model repository"),
      `key 'file:${key}'`,
    );
    assert.deepEqual(overrideDirs(), [], `temp dir left after 'file:${key}'`);
  }
  // A good override loads from a temp dir, which goes with the unload.
  await client.loadModel('scaled', { config: scaledConfig(), files: { '1/model.onnx': model } });
  assert.equal(overrideDirs().length, 1);
  await client.unloadModel('scaled');
  assert.deepEqual(overrideDirs(), []);
});

test('override temp dirs are removed at shutdown', async () => {
  const other = await startEmbeddedServer({ modelRepository: repo.dir, controlMode: 'explicit', loadModels: [] });
  const c = new TritonClient({ url: other.url });
  try {
    await c.loadModel('scaled', { config: scaledConfig(), files: { '1/model.onnx': scaleModel(7) } });
    // A failed override load (model file unreadable by ORT) must not leave its dir either.
    await c
      .loadModel('add_sub', {
        config: { name: 'add_sub', backend: 'onnxruntime' },
        files: { '1/model.onnx': new Uint8Array([1, 2, 3]) },
      })
      .catch(() => undefined);
    assert.ok(overrideDirs().length >= 1);
  } finally {
    c.close();
    await other.close();
  }
  assert.deepEqual(overrideDirs(), []);
});

test("model names '.', '..' and names with separators are refused as Triton refuses them", async () => {
  for (const name of ['.', '..', ' .. ', 'a/b', '../etc', 'model/', 'a\\b', ' . ']) {
    await assert.rejects(
      client.loadModel(name),
      triton('INVALID_ARGUMENT', `invalid model name '${name}', model name must not contain path traversal characters`),
      `name ${JSON.stringify(name)}`,
    );
  }
  // Names that merely contain dots are valid (Triton then fails the poll: no such model).
  for (const name of ['...', 'model..1', '..my_model']) {
    await assert.rejects(client.loadModel(name), triton('INTERNAL', /failed to poll from model repository/), name);
  }
  assert.equal(await client.serverReady(), true);
});
