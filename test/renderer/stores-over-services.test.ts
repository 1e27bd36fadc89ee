// test-process: own (it installs a preload-shaped API that renderer/api caches for the life of the process)
/**
 * The renderer's stores over the real services (the Electron preload's shape, backed by
 * createServices in this process), real files and two real embedded servers:
 *  - the config editor (renderer/src/state/editor.ts): unsaved edits are not dropped by opening
 *    another file, keys typed while a save runs stay unsaved, and a late save or read of another
 *    file does not change the file now open;
 *  - switching server (state/servers.ts, state/models.ts): what was read from the previous server
 *    is dropped, and its late answers do not land under the new one.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServices, type Services } from '../../electron/services';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { makeRepository, type Repo } from '../server/fixtures';
import type { ApiMethodName, ExposedApi } from '../../shared/contract';
import { serializeError } from '../../shared/contract';
import { makeTempDir, type TempDir } from '../helpers/tempDir';

let tmp: TempDir;
let services: Services;
let repo: Repo;
const servers: EmbeddedServer[] = [];
/** Calls of these methods wait until the test releases them (a slow disk or server). */
const gates = new Map<string, Promise<void>>();

function hold(method: ApiMethodName): () => void {
  let release!: () => void;
  gates.set(method, new Promise<void>((r) => (release = r)));
  return () => {
    gates.delete(method);
    release();
  };
}

before(async () => {
  tmp = makeTempDir('tritonscope-editor-store-');
  for (const m of ['a', 'b']) {
    mkdirSync(join(tmp.dir, 'repo', m), { recursive: true });
    writeFileSync(join(tmp.dir, 'repo', m, 'config.pbtxt'), `name: "${m}"\n`);
  }
  mkdirSync(join(tmp.dir, 'config'));
  services = await createServices({ mode: 'browser', configDir: join(tmp.dir, 'config'), poll: false });
  repo = makeRepository();
  for (let i = 0; i < 2; i++)
    servers.push(
      await startEmbeddedServer({ modelRepository: repo.dir, controlMode: 'explicit', loadModels: ['add_sub'] }),
    );
  const handlers = services.handlers as unknown as Record<string, (req: unknown) => Promise<unknown>>;
  const exposed = new Proxy(
    {},
    {
      get(_t, method: string) {
        if (method === 'on') return () => () => undefined;
        return async (req: unknown) => {
          await gates.get(method);
          try {
            return { ok: true, payload: await handlers[method](req) };
          } catch (e) {
            return { ok: false, error: serializeError(e) };
          }
        };
      },
    },
  ) as unknown as ExposedApi;
  (globalThis as { window?: unknown }).window = { tritonscope: exposed };
});

after(async () => {
  await services?.close();
  for (const s of servers) await s.close();
  repo?.cleanup();
  delete (globalThis as { window?: unknown }).window;
  tmp?.cleanup();
});

test('editor store: unsaved edits, saves that race typing, late answers for another file', async () => {
  const { useApp } = await import('../../renderer/src/state/store');
  const st = () => useApp.getState();
  await st().openRepositoryPath(join(tmp.dir, 'repo'));
  await st().openFile('a/config.pbtxt');
  assert.equal(st().file?.path, 'a/config.pbtxt');

  // Opening another file over unsaved edits asks first; Cancel keeps them.
  st().setBuffer('name: "a"\nmax_batch_size: 4\n');
  await st().openFile('b/config.pbtxt');
  assert.equal(st().file?.path, 'a/config.pbtxt', 'still the edited file');
  assert.equal(st().buffer, 'name: "a"\nmax_batch_size: 4\n');
  const ask = st().confirmRequest;
  assert.ok(ask, 'a confirmation is asked');
  assert.match(ask.lines.join(' '), /a\/config\.pbtxt has changes that are not saved/);
  st().closeConfirm();

  // Keys typed while the save runs: the text sent is what is recorded as saved; the rest stays unsaved.
  const release = hold('saveFile');
  const saving = st().save();
  st().setBuffer('name: "a"\nmax_batch_size: 4\n# typed meanwhile\n');
  release();
  const outcome = await saving;
  assert.equal(outcome?.kind, 'saved');
  assert.equal(readFileSync(join(tmp.dir, 'repo/a/config.pbtxt'), 'utf8'), 'name: "a"\nmax_batch_size: 4\n');
  assert.equal(st().file?.diskText, 'name: "a"\nmax_batch_size: 4\n');
  assert.notEqual(st().buffer, st().file?.diskText, 'what was typed during the save is still unsaved');

  // Confirmed: the other file opens.
  await st().openFile('b/config.pbtxt');
  st().confirmRequest!.onConfirm();
  st().closeConfirm();
  for (let i = 0; i < 100 && st().file?.path !== 'b/config.pbtxt'; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(st().file?.path, 'b/config.pbtxt');
  assert.equal(st().buffer, 'name: "b"\n');

  // A save of B answered after A was opened leaves A as it is.
  st().setBuffer('name: "b"\nmax_batch_size: 2\n');
  const releaseSave = hold('saveFile');
  const savingB = st().save();
  await st().openFile('a/config.pbtxt', true);
  assert.equal(st().file?.path, 'a/config.pbtxt');
  releaseSave();
  await savingB;
  assert.equal(st().file?.path, 'a/config.pbtxt');
  assert.equal(st().file?.diskText, 'name: "a"\nmax_batch_size: 4\n', "A's state is not B's save");
  assert.equal(st().buffer, 'name: "a"\nmax_batch_size: 4\n');
  assert.equal(readFileSync(join(tmp.dir, 'repo/b/config.pbtxt'), 'utf8'), 'name: "b"\nmax_batch_size: 2\n');

  // Two opens close together: the newer one wins even when the older read answers last.
  const releaseRead = hold('readFile');
  const slow = st().openFile('b/config.pbtxt', true);
  gates.delete('readFile');
  await st().openFile('a/config.pbtxt', true);
  releaseRead();
  await slow;
  assert.equal(st().file?.path, 'a/config.pbtxt', 'the late read of B did not replace A');
});

test("switching server: the previous server's metadata and configs are dropped; its late answers do not land", async () => {
  const { useApp } = await import('../../renderer/src/state/store');
  const st = () => useApp.getState();
  const [a, b] = await Promise.all(
    servers.map((s, i) => services.handlers.saveConnection({ name: `server ${i}`, url: s.url })),
  );
  await st().loadProfiles();
  await st().connect(a.id);
  assert.equal(st().activeConnection(), a.id);
  assert.ok(await st().fetchConfig('add_sub'));
  assert.equal(st().configs['add_sub']?.status, 'ok');

  // Connect to B: nothing read from A is kept.
  await st().connect(b.id);
  assert.equal(st().activeConnection(), b.id);
  assert.equal(st().configs['add_sub'], undefined, "A's config is not shown as B's");

  // A metadata read of B still on its way when the user goes back to A does not land under A.
  const release = hold('modelMetadata');
  const late = st().fetchMetadata('add_sub');
  await st().connect(a.id);
  release();
  await late;
  assert.equal(st().activeConnection(), a.id);
  assert.notEqual(st().metadata['add_sub']?.status, 'ok', "B's late answer is not A's metadata");
});

test('load from the repository after an override: the server runs the file again (Triton keeps an override over unchanged files)', async () => {
  const { useApp } = await import('../../renderer/src/state/store');
  const st = () => useApp.getState();
  const conn = await services.handlers.saveConnection({ name: 'override server', url: servers[0].url });
  await st().loadProfiles();
  await st().connect(conn.id);
  const running = async () =>
    (
      (await services.handlers.modelConfig({ connectionId: conn.id, model: 'scaled' })).config as {
        max_batch_size?: number;
      }
    ).max_batch_size ?? 0;
  const file = readFileSync(join(repo.dir, 'scaled', 'config.pbtxt'), 'utf8');
  const fileBatch = Number(/max_batch_size:\s*(\d+)/.exec(file)?.[1] ?? 0);
  const overridden = file.replace(/max_batch_size:\s*\d+/, `max_batch_size: ${fileBatch - 4}`);
  assert.notEqual(overridden, file, 'the fixture has a max_batch_size to change');

  const loaded = (opts: { override?: { pbtxt: string } } = {}) =>
    st()
      .loadModel('scaled', { connectionId: conn.id, ...opts })
      .then((ok) => assert.ok(ok, st().modelErrors['scaled']));
  await loaded({ override: { pbtxt: overridden } });
  assert.equal(await running(), fileBatch - 4);
  await loaded();
  assert.equal(await running(), fileBatch, 'the repository config runs again');
  // With no override outstanding a load is Triton's plain load (no unload).
  await loaded();
  assert.equal(await running(), fileBatch);
});
