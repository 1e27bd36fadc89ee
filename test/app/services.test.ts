/**
 * The services against the real embedded server and real files: confined repository access
 * (../ and symlink escapes refused), safe saves with conflicts and backups, connection profiles
 * persisted with TLS paths read at connect time, status backoff, load with a pbtxt override.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeError, type ConnectionStatus } from '../../shared/contract';
import type { Services } from '../../electron/services';
import { MAX_BACKOFF_MS, nextCheckDelay } from '../../electron/services/connections';
import { makeFixture, makeServices, f32, readF32, SCALE_CONFIG, type Fixture } from './fixtures';
import { inferOutputsFromClient } from '../../electron/services/mappers';

let fx: Fixture;
let s: Services;
let rootId: string;

before(async () => {
  fx = makeFixture();
  s = await makeServices(fx);
  const demo = await s.handlers.startDemo(undefined);
  rootId = demo.rootId!;
});
after(async () => {
  await s?.close();
  fx?.cleanup();
});

async function rejects(p: Promise<unknown>, code: string, text?: RegExp) {
  // What a transport would send: services throw ApiError, TritonError (gRPC code name) or fs errors.
  await assert.rejects(p, (err: unknown) => {
    const e = serializeError(err);
    assert.equal(e.code, code, e.message);
    if (text) assert.match(e.message, text);
    return true;
  });
}

test('file access is confined to the opened folder: ../, absolute paths and symlink escapes are refused', async () => {
  await rejects(s.handlers.readFile({ rootId, path: '../secret.txt' }), 'FORBIDDEN', /'\.\.' is not allowed/);
  await rejects(s.handlers.readFile({ rootId, path: 'scale2/../../secret.txt' }), 'FORBIDDEN');
  await rejects(s.handlers.readFile({ rootId, path: fx.secret }), 'FORBIDDEN', /absolute/);
  await rejects(s.handlers.readFile({ rootId, path: 'scale2/leak.txt' }), 'FORBIDDEN', /resolves outside/);
  await rejects(s.handlers.readFile({ rootId, path: 'scale2/1/up/secret.txt' }), 'FORBIDDEN', /resolves outside/);
  await rejects(
    s.handlers.saveFile({ rootId, path: 'scale2/1/up/secret.txt', text: 'x', expectedHash: '' }),
    'FORBIDDEN',
  );
  await rejects(
    s.handlers.saveFile({ rootId, path: 'scale2/leak.txt', text: 'pwned', expectedHash: '', force: true }),
    'FORBIDDEN',
  );
  await rejects(s.handlers.readFile({ rootId: 'nope', path: 'scale2/config.pbtxt' }), 'NOT_FOUND');
  await rejects(
    s.handlers.saveFile({ rootId, path: 'scale2/1/model.onnx', text: 'x', expectedHash: '' }),
    'FORBIDDEN',
    /only text configuration files/,
  );
  assert.equal(readFileSync(fx.secret, 'utf8'), 'outside the repository', 'secret untouched');
  // Hidden files and folders are not written, whether named or reached through a link.
  for (const path of ['scale2/.github/workflows/ci.yml', '.vscode/tasks.json', 'scale2/.tritonscope-backup/x.md']) {
    await rejects(
      s.handlers.saveFile({ rootId, path, text: 'x', expectedHash: '' }),
      'FORBIDDEN',
      /hidden files and folders/,
    );
  }
  assert.equal(existsSync(join(fx.repo, 'scale2/.github')), false);
  // A text file that is not UTF-8 is not opened for editing (a save would rewrite its bytes).
  const latin1 = join(fx.repo, 'scale2/labels.txt');
  writeFileSync(latin1, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  try {
    await rejects(
      s.handlers.readFile({ rootId, path: 'scale2/labels.txt' }),
      'INVALID_ARGUMENT',
      /^scale2\/labels\.txt:1:4: not valid UTF-8 \(byte 0xe9\)/,
    );
  } finally {
    rmSync(latin1);
  }
  // A link inside the folder to a file that may not be saved: judged by where it leads, not its name.
  const model = join(fx.repo, 'scale2/1/model.onnx');
  const weights = readFileSync(model);
  const link = join(fx.repo, 'scale2/notes.md');
  symlinkSync('1/model.onnx', link);
  try {
    await rejects(
      s.handlers.saveFile({ rootId, path: 'scale2/notes.md', text: 'x', expectedHash: '', force: true }),
      'FORBIDDEN',
      /scale2\/notes\.md leads to scale2\/1\/model\.onnx: only text configuration files/,
    );
    assert.deepEqual(readFileSync(model), weights, 'the weights untouched');
  } finally {
    rmSync(link);
  }
  // escaping symlinks are not even listed
  const listing = await s.handlers.listRepositoryModels({ rootId });
  const all = listing.models.flatMap((m) => [...m.files, ...m.versions.flatMap((v) => v.files)].map((f) => f.path));
  assert.deepEqual(all.sort(), [
    'scale2/1/model.onnx',
    'scale2/config.pbtxt',
    'trt_only/1/model.plan',
    'trt_only/config.pbtxt',
  ]);
});

test('browser mode may open folders by path; electron mode only through the dialog', async () => {
  const root = await s.handlers.openRepository({ path: join(fx.repo, 'scale2') });
  assert.equal(root?.name, 'scale2');
  await rejects(s.handlers.openRepository({ path: 'relative/dir' }), 'INVALID_ARGUMENT', /absolute/);
  await rejects(s.handlers.openRepository({ path: join(fx.dir, 'missing') }), 'NOT_FOUND', /does not exist/);
  await rejects(s.handlers.openRepository({}), 'INVALID_ARGUMENT', /folder picker/);
  const electron = await makeServices(fx, 'electron');
  try {
    await rejects(electron.handlers.openRepository({ path: fx.repo }), 'FORBIDDEN', /dialog/);
    assert.equal((await electron.handlers.appInfo(undefined)).canOpenByPath, false);
  } finally {
    await electron.close();
  }
});

test('edit flow: read, validate, refused invalid save, conflict, save with backup, diff vs server', async () => {
  const path = 'scale2/config.pbtxt';
  const file = await s.handlers.readFile({ rootId, path });
  assert.equal(file.text, SCALE_CONFIG);

  const broken = file.text.replace('dims: [ 2, 3 ] } ]\noutput', 'dims: [ 2, 3 } ]\noutput');
  const v = await s.handlers.validateConfig({ text: broken, file: path });
  assert.ok(
    v.diagnostics.some((d) => d.severity === 'error' && d.line === 4),
    JSON.stringify(v.diagnostics),
  );
  await rejects(
    s.handlers.saveFile({ rootId, path, text: broken, expectedHash: file.hash }),
    'INVALID_ARGUMENT',
    /scale2\/config\.pbtxt/,
  );

  // someone else edits the file on disk: our stale hash must be refused
  writeFileSync(join(fx.repo, path), file.text + '# external edit\n');
  const edited = file.text.replace('name: "scale2"', 'name: "scale2"\n# tuned');
  await rejects(
    s.handlers.saveFile({ rootId, path, text: edited, expectedHash: file.hash }),
    'CONFLICT',
    /changed on disk/,
  );

  const fresh = await s.handlers.readFile({ rootId, path });
  const saved = await s.handlers.saveFile({ rootId, path, text: edited, expectedHash: fresh.hash });
  assert.equal(readFileSync(join(fx.repo, path), 'utf8'), edited);
  assert.ok(saved.backupPath, 'a backup was written');
  assert.equal(readFileSync(join(fx.repo, saved.backupPath), 'utf8'), fresh.text);
  assert.notEqual(saved.hash, fresh.hash);

  const diff = await s.handlers.configDiff({ rootId, path, connectionId: 'demo', model: 'scale2' });
  assert.equal(diff.disk.text, edited);
  assert.match(diff.server?.pbtxt ?? '', /name: "scale2"[\s\S]*dims: \[ 2, 3 \]/);
  const missing = await s.handlers.configDiff({ rootId, path, connectionId: 'demo', model: 'no_such_model' });
  assert.equal(missing.server?.error?.code, 'NOT_FOUND');
});

test('server ops and inference relay through the real embedded server', async () => {
  const index = await s.handlers.repositoryIndex({ connectionId: 'demo' });
  const byName = Object.fromEntries(index.models.map((m) => [m.name, m]));
  assert.equal(byName.scale2.state, 'READY');
  assert.equal(byName.trt_only.state, 'UNAVAILABLE');
  assert.match(byName.trt_only.reason, /tensorrt/);

  const meta = await s.handlers.modelMetadata({ connectionId: 'demo', model: 'scale2' });
  assert.deepEqual(meta.inputs, [{ name: 'INPUT', datatype: 'FP32', shape: [2, 3] }]);

  const r = await s.handlers.infer({
    connectionId: 'demo',
    model: 'scale2',
    id: 'req-1',
    inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [2, 3], data: f32([1, 2, 3, 4, 5, 6.5]) }],
  });
  assert.equal(r.id, 'req-1');
  assert.deepEqual(readF32(r.outputs[0].data), [2, 4, 6, 8, 10, 13]);
  assert.equal(r.outputs[0].data.byteLength, 24);
  assert.ok(r.timing.rpcMs > 0 && r.timing.totalMs >= r.timing.rpcMs);

  const stats = await s.handlers.modelStatistics({ connectionId: 'demo', model: 'scale2' });
  assert.match(stats.models[0].inferenceCount, /^\d+$/, 'uint64 counters stay exact decimal strings');
  assert.ok(BigInt(stats.models[0].inferenceCount) >= 1n);

  // load with a pbtxt override: a syntax error comes back with line:column, a valid one applies
  await rejects(
    s.handlers.loadModel({
      connectionId: 'demo',
      model: 'scale2',
      configOverride: { pbtxt: 'name: "scale2"\nmax_batch_size: [' },
    }),
    'INVALID_ARGUMENT',
    /config override: 2:\d+/,
  );
  await s.handlers.loadModel({
    connectionId: 'demo',
    model: 'scale2',
    configOverride: {
      pbtxt: SCALE_CONFIG.replace(
        'name: "scale2"',
        'name: "scale2"\nparameters { key: "tag" value { string_value: "override" } }',
      ),
    },
  });
  const cfg = await s.handlers.modelConfig({ connectionId: 'demo', model: 'scale2' });
  assert.deepEqual((cfg.config.parameters as Record<string, unknown>).tag, { string_value: 'override' });

  await s.handlers.unloadModel({ connectionId: 'demo', model: 'scale2' });
  const after = await s.handlers.repositoryIndex({ connectionId: 'demo' });
  assert.equal(after.models.find((m) => m.name === 'scale2')?.state, 'UNAVAILABLE');
  await rejects(
    s.handlers.infer({
      connectionId: 'demo',
      model: 'scale2',
      inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [2, 3], data: f32([1, 2, 3, 4, 5, 6]) }],
    }),
    'NOT_FOUND',
    /has no available versions/,
  );
  await s.handlers.loadModel({ connectionId: 'demo', model: 'scale2' });
});

test('outputs for IPC get buffers of their own; for the bridge the client bytes pass as they are', () => {
  // What gRPC hands over: an output that is a slice of a larger receive buffer, at an odd offset.
  const wire = Buffer.from([9, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const slice = wire.subarray(3, 11);
  const response = { model: 'm', version: '1', outputs: [{ name: 'o', datatype: 'UINT8', shape: [8], data: slice }] };
  const own = inferOutputsFromClient(response as never, { ownBuffers: true })[0].data;
  assert.deepEqual([...own], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(own.byteOffset, 0);
  assert.equal(own.buffer.byteLength, 8, 'exactly its bytes: a structured clone copies nothing else');
  assert.notEqual(own.buffer, wire.buffer);
  const passed = inferOutputsFromClient(response as never, { ownBuffers: false })[0].data;
  assert.equal(passed, slice, 'no copy');
  assert.throws(
    () =>
      inferOutputsFromClient({ ...response, outputs: [{ ...response.outputs[0], datatype: 'FP8' }] } as never, {
        ownBuffers: false,
      }),
    /output 'o' has unknown datatype 'FP8'/,
  );
});

test('demo media is readable by name only', async () => {
  const m = await s.handlers.readDemoMedia({ name: 'frame.png' });
  assert.equal(m.mime, 'image/png');
  assert.deepEqual([...m.data.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  await rejects(s.handlers.readDemoMedia({ name: 'secret.txt' }), 'NOT_FOUND');
  // one level of sub-folders is listed (the generator's scenes/ and video/), deeper ones are not
  const names = (await s.handlers.demoStatus(undefined)).media.map((x) => x.name);
  assert.ok(names.includes('video/road.webm'), names.join(', '));
  assert.ok(!names.some((n) => n.includes('hidden')), names.join(', '));
  const v = await s.handlers.readDemoMedia({ name: 'video/road.webm' });
  assert.equal(v.mime, 'video/webm');
  await rejects(s.handlers.readDemoMedia({ name: 'video/deeper' }), 'NOT_FOUND');
});

test('connection profiles persist; TLS files are read at connect time with a clear error', async () => {
  const pem = (kind: string) => `-----BEGIN ${kind}-----\nAAAA\n-----END ${kind}-----\n`;
  const ca = join(fx.dir, 'ca.pem');
  writeFileSync(ca, pem('CERTIFICATE'));
  writeFileSync(join(fx.dir, 'c.pem'), pem('CERTIFICATE'));
  writeFileSync(join(fx.dir, 'k.pem'), pem('PRIVATE KEY'));
  const events: string[] = [];
  const unsub = s.events.subscribe((e) => events.push(e));
  const p = await s.handlers.saveConnection({
    name: 'orin (mTLS)',
    url: '127.0.0.1:1',
    tls: { enabled: true, caPath: ca, certPath: join(fx.dir, 'c.pem'), keyPath: join(fx.dir, 'k.pem') },
  });
  unsub();
  assert.ok(events.includes('connectionsChanged'));
  const stored = JSON.parse(readFileSync(join(fx.configDir, 'connections.json'), 'utf8'));
  assert.equal(stored.profiles[0].tls.caPath, ca);
  // Files are read again at connect time: one removed since the save is named then.
  rmSync(ca);
  await rejects(
    s.handlers.connect({ id: p.id }),
    'INVALID_ARGUMENT',
    /cannot read CA certificate file .*ca\.pem of connection 'orin \(mTLS\)'/,
  );

  // a second services instance (app restart) sees the profile; the builtin demo profile is not persisted
  const again = await makeServices(fx);
  try {
    const list = await again.handlers.listConnections(undefined);
    assert.deepEqual(
      list.map((x) => x.name),
      ['orin (mTLS)'],
    );
    await again.handlers.deleteConnection({ id: p.id });
    assert.deepEqual(await again.handlers.listConnections(undefined), []);
  } finally {
    await again.close();
  }
  await rejects(s.handlers.saveConnection({ id: 'demo', name: 'x', url: 'a:1' }), 'FAILED_PRECONDITION');
});

test('status polling backs off while a server is down and recovers', async () => {
  const polled = await makeServices(fx, 'browser', { poll: true });
  try {
    const p = await polled.handlers.saveConnection({
      name: 'down',
      url: '127.0.0.1:9',
      pollIntervalMs: 500,
      timeoutMs: 1000,
    });
    const seen: ConnectionStatus[] = [];
    polled.events.subscribe((e, payload) => {
      if (e === 'connectionStatus' && (payload as ConnectionStatus).id === p.id) seen.push(payload as ConnectionStatus);
    });
    const first = await polled.handlers.connect({ id: p.id });
    assert.equal(first.state, 'error');
    assert.equal(first.live, false);
    assert.equal(first.consecutiveFailures, 1);
    assert.equal(first.nextCheckInMs, 1000);
    assert.ok(first.error?.message);
    // wait for the next poll (1 s): the delay doubles
    const second = await new Promise<ConnectionStatus>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no second poll within 4 s')), 4000);
      const iv = setInterval(() => {
        const s2 = seen.find((x) => x.consecutiveFailures === 2);
        if (s2) {
          clearTimeout(t);
          clearInterval(iv);
          resolve(s2);
        }
      }, 50);
    });
    assert.equal(second.nextCheckInMs, 2000);
    // a healthy server: refresh resets the backoff
    const demoUrl = (await s.handlers.demoStatus(undefined)).url!;
    await polled.handlers.saveConnection({ id: p.id, name: 'up', url: demoUrl, pollIntervalMs: 500 });
    const up = await polled.handlers.refreshStatus({ id: p.id });
    assert.equal(up.state, 'connected');
    assert.equal(up.live, true);
    // Triton's strict readiness: not ready while a model (trt_only) is UNAVAILABLE
    assert.equal(up.ready, false);
    assert.equal(up.consecutiveFailures, 0);
    assert.equal(up.nextCheckInMs, 500);
    assert.equal(up.metadata?.name, 'triton');
    const down = await polled.handlers.disconnect({ id: p.id });
    assert.equal(down.state, 'disconnected');
  } finally {
    await polled.close();
  }
});

test('a read-only (production) profile refuses load and unload, naming the profile; reading still works', async () => {
  const demoUrl = (await s.handlers.demoStatus(undefined)).url!;
  const prod = await s.handlers.saveConnection({ name: 'Orin prod', url: demoUrl, readOnly: true });
  try {
    assert.equal((await s.handlers.listConnections(undefined)).find((p) => p.id === prod.id)?.readOnly, true);
    await rejects(
      s.handlers.unloadModel({ connectionId: prod.id, model: 'scale2' }),
      'FAILED_PRECONDITION',
      /'Orin prod' is marked read-only \(production\): unloading 'scale2'/,
    );
    await rejects(
      s.handlers.loadModel({ connectionId: prod.id, model: 'scale2', configOverride: { pbtxt: SCALE_CONFIG } }),
      'FAILED_PRECONDITION',
      /loading 'scale2'/,
    );
    // nothing reached the server: scale2 is still READY, and the index is readable through the profile
    const index = await s.handlers.repositoryIndex({ connectionId: prod.id });
    assert.equal(index.models.find((m) => m.name === 'scale2')?.state, 'READY');
    // clearing the flag allows it again
    await s.handlers.saveConnection({ id: prod.id, name: 'Orin prod', url: demoUrl, readOnly: false });
    await s.handlers.loadModel({ connectionId: prod.id, model: 'scale2' });
  } finally {
    await s.handlers.deleteConnection({ id: prod.id });
  }
});

test('"Retry now" (refresh) reaches a server that came back at once, not after gRPC\'s reconnect backoff', async () => {
  const { startEmbeddedServer } = await import('../../electron/server');
  let server = await startEmbeddedServer({ modelRepository: fx.repo, host: '127.0.0.1', port: 0, loadModels: [] });
  const port = server.port;
  await server.close();
  const p = await s.handlers.saveConnection({ name: 'restarting', url: `127.0.0.1:${port}`, timeoutMs: 1000 });
  try {
    // Down: a few failed checks put the gRPC channel into its own reconnect backoff.
    assert.equal((await s.handlers.connect({ id: p.id })).state, 'error');
    assert.equal((await s.handlers.refreshStatus({ id: p.id })).state, 'error');
    assert.equal((await s.handlers.refreshStatus({ id: p.id })).state, 'error');
    server = await startEmbeddedServer({ modelRepository: fx.repo, host: '127.0.0.1', port, loadModels: [] });
    const back = await s.handlers.refreshStatus({ id: p.id });
    assert.equal(back.state, 'connected', JSON.stringify(back.error));
    assert.equal(back.consecutiveFailures, 0);
  } finally {
    await s.handlers.deleteConnection({ id: p.id });
    await server.close();
  }
});

test('status backoff doubles per failure and is capped at 10 s', () => {
  assert.equal(MAX_BACKOFF_MS, 10_000);
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 60].map((n) => nextCheckDelay(2000, n)),
    [2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000],
  );
  // a profile polled less often than the cap is not polled faster because it failed
  assert.equal(nextCheckDelay(30_000, 3), 30_000);
});

test('backups stay inside the model folder and are not listed as model files', () => {
  const backups = readdirSync(join(fx.repo, 'scale2/.tritonscope-backup'));
  assert.equal(backups.length, 1);
  assert.ok(existsSync(join(fx.repo, 'scale2/config.pbtxt')));
});
