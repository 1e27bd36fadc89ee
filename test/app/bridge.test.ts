/**
 * Browser-mode bridge over real HTTP and WebSocket on 127.0.0.1: token required everywhere,
 * Host/Origin checks, static files without traversal, and the same contract as IPC, including a
 * binary inference round trip through the real embedded server.
 */
import { test, before, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import fs, { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  ApiError,
  createApiClient,
  createWebSocketTransport,
  encodeFrame,
  encodeFrameParts,
  decodeFrame,
  type TritonscopeApi,
  type WebSocketLike,
  type WebSocketTransport,
} from '../../shared/contract';
import { startBrowserMode, type BrowserMode } from '../../electron/bridge/browserMode';
import { startBridge } from '../../electron/bridge/server';
import { makeFixture, f32, readF32, type Fixture } from './fixtures';

let fx: Fixture;
let mode: BrowserMode;
let base: string;
let token: string;

before(async () => {
  fx = makeFixture();
  const dist = join(fx.dir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><title>Tritonscope</title><script type="module" src="./assets/app.js"></script>',
  );
  writeFileSync(join(dist, 'assets/app.js'), 'console.log(1)');
  symlinkSync(fx.secret, join(dist, 'assets/leak.js'));
  mode = await startBrowserMode({
    staticDir: dist,
    configDir: fx.configDir,
    services: { demoRepoDir: fx.repo, demoMediaDir: fx.media, poll: false },
  });
  base = mode.bridge.origin;
  token = mode.bridge.token;
});
after(async () => {
  await mode?.close();
  fx?.cleanup();
});

function raw(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const cookie = () => `${mode.bridge.cookieName}=${mode.bridge.cookieValue}`;
/** What the browser sends with our page's own requests: the cookie plus Sec-Fetch-Site (see bridge-token.test). */
const ownPage = () => ({ cookie: cookie(), 'sec-fetch-site': 'same-origin' });

test('binds 127.0.0.1 with a fresh 256-bit token; refuses other interfaces unless explicitly allowed', async () => {
  assert.equal(mode.bridge.host, '127.0.0.1');
  assert.match(mode.bridge.url, new RegExp(`^http://127\\.0\\.0\\.1:${mode.bridge.port}/\\?token=[A-Za-z0-9_-]{43}$`));
  assert.equal(mode.demoError, null);
  await assert.rejects(
    startBridge({ handlers: mode.services.handlers, events: mode.services.events, staticDir: fx.dir, host: '0.0.0.0' }),
    /refusing to listen on 0\.0\.0\.0/,
  );
});

test('every HTTP request needs the token: 401 without, 403 wrong; first load moves it into a cookie', async () => {
  assert.equal((await raw('/')).status, 401);
  assert.equal((await raw('/assets/app.js')).status, 401);
  assert.equal((await raw('/?token=wrong')).status, 403);
  assert.equal((await raw('/', { cookie: `${mode.bridge.cookieName}=nope` })).status, 403);
  const first = await raw(`/?token=${token}`);
  assert.equal(first.status, 302);
  assert.equal(first.headers.location, '/');
  const setCookie = String(first.headers['set-cookie']);
  assert.match(
    setCookie,
    new RegExp(`^${mode.bridge.cookieName}=${mode.bridge.cookieValue}; HttpOnly; SameSite=Strict; Path=/`),
  );
  assert.ok(!setCookie.includes(token), 'the cookie does not carry the token');
  const page = await raw('/', ownPage());
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>Tritonscope<\/title>/);
  const csp = String(page.headers['content-security-policy']);
  assert.match(csp, /default-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-eval/);
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /img-src 'self' blob: data:/);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.equal(page.headers['x-frame-options'], 'DENY');
  const js = await raw('/assets/app.js', { authorization: `Bearer ${token}` });
  assert.equal(js.status, 200);
  assert.match(String(js.headers['content-type']), /text\/javascript/);
  assert.equal((await raw('/', ownPage(), 'POST')).status, 405);
});

test('DNS rebinding: a foreign Host header is refused even with the token', async () => {
  const r = await raw('/', { host: `evil.example:${mode.bridge.port}`, ...ownPage() });
  assert.equal(r.status, 421);
  const wrongPort = await raw('/', { host: '127.0.0.1:1', ...ownPage() });
  assert.equal(wrongPort.status, 421);
  assert.equal((await raw('/', { host: `localhost:${mode.bridge.port}`, ...ownPage() })).status, 200);
});

test('static serving does not leave dist/renderer', async () => {
  for (const p of [
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/leak.js',
    '/.hidden',
    '/assets/%00x',
  ]) {
    const r = await raw(p, ownPage());
    assert.equal(r.status, 404, p);
    assert.doesNotMatch(r.body, /outside the repository/);
  }
  // unknown routes without an extension get the app (single-page routing)
  assert.match((await raw('/models/scale2', ownPage())).body, /Tritonscope/);
});

/** GET `path` as our page does: the status, or 'cut' when the connection ends before the body does. */
function getOrCut(path: string): Promise<number | 'cut'> {
  return new Promise((resolve) => {
    const req = request(`${base}${path}`, { headers: ownPage() }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode!));
      res.on('error', () => resolve('cut'));
      res.on('aborted', () => resolve('cut'));
    });
    req.on('error', () => resolve('cut'));
    req.end();
  });
}

test('a static file that vanishes or fails to read mid-request: a 404 or a cut response, and the bridge keeps serving', async () => {
  const restore = () => {
    mock.restoreAll();
    syncBuiltinESMExports();
  };
  try {
    // Gone between the lookup and the open (a renderer rebuild replacing dist/).
    mock.method(fs, 'openSync', () => {
      throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
    });
    syncBuiltinESMExports();
    assert.equal(await getOrCut('/assets/app.js'), 404);
    restore();
    // A read error after the headers went out.
    mock.method(fs, 'createReadStream', (_path: string, opts: { fd: number }) => {
      fs.closeSync(opts.fd);
      return new Readable({
        read() {
          this.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
        },
      });
    });
    syncBuiltinESMExports();
    assert.equal(await getOrCut('/assets/app.js'), 'cut');
  } finally {
    restore();
  }
  const again = await raw('/assets/app.js', ownPage());
  assert.equal(again.status, 200);
  assert.equal(again.body, 'console.log(1)');
});

function wsUpgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (e) => (e.message.includes('Unexpected server response') ? undefined : reject(e)));
  });
}

test('WebSocket needs the token and our own Origin', async () => {
  const wsBase = `ws://127.0.0.1:${mode.bridge.port}/api/ws`;
  assert.equal(await wsUpgradeStatus(wsBase), 401);
  assert.equal(await wsUpgradeStatus(`${wsBase}?token=wrong`), 403);
  assert.equal(await wsUpgradeStatus(wsBase, { cookie: cookie(), origin: 'http://evil.example' }), 403);
  assert.equal(
    await wsUpgradeStatus(wsBase, { cookie: cookie(), origin: `http://localhost:${mode.bridge.port}` }),
    403,
  );
  assert.equal(
    await wsUpgradeStatus(wsBase, { cookie: cookie(), origin: `http://127.0.0.1:${mode.bridge.port}` }),
    101,
  );
  assert.equal(await wsUpgradeStatus(`${wsBase}?token=${token}`), 101);
  assert.equal(await wsUpgradeStatus(`ws://127.0.0.1:${mode.bridge.port}/other?token=${token}`), 404);
});

function client(): { api: TritonscopeApi; transport: WebSocketTransport } {
  const transport = createWebSocketTransport({
    url: `ws://127.0.0.1:${mode.bridge.port}/api/ws`,
    reconnect: false,
    createSocket: (url) =>
      new WebSocket(url, {
        headers: { cookie: cookie(), origin: `http://127.0.0.1:${mode.bridge.port}` },
      }) as unknown as WebSocketLike,
  });
  return { api: createApiClient(transport), transport };
}

test('the contract over the bridge: real server calls, binary infer round trip, events, validation', async () => {
  const { api, transport } = client();
  try {
    const info = await api.appInfo();
    assert.equal(info.mode, 'browser');
    const demo = await api.demoStatus();
    assert.equal(demo.running, true);
    const status = await api.connect({ id: 'demo' });
    assert.equal(status.state, 'connected');
    const index = await api.repositoryIndex({ connectionId: 'demo' });
    assert.deepEqual(index.models.map((m) => `${m.name}:${m.state}`).sort(), ['scale2:READY', 'trt_only:UNAVAILABLE']);

    // two requests in flight at once, matched by id
    const [a, b] = await Promise.all(
      [1, 10].map((k, i) =>
        api.infer({
          connectionId: 'demo',
          model: 'scale2',
          id: `r${i}`,
          inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [2, 3], data: f32([1, 2, 3, 4, 5, 6].map((v) => v * k)) }],
        }),
      ),
    );
    assert.equal(a.id, 'r0');
    assert.deepEqual(readF32(a.outputs[0].data), [2, 4, 6, 8, 10, 12]);
    assert.deepEqual(readF32(b.outputs[0].data), [20, 40, 60, 80, 100, 120]);
    assert.ok(a.outputs[0].data instanceof Uint8Array);

    const changed = new Promise((resolve) => api.on('connectionsChanged', resolve));
    await api.saveConnection({ name: 'jetson', url: 'orin.local:8001' });
    const ev = (await changed) as { profiles: { name: string }[] };
    assert.ok(ev.profiles.some((p) => p.name === 'jetson'));

    await assert.rejects(
      api.infer({
        connectionId: 'demo',
        model: 'scale2',
        inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [2, 3], data: f32([1]) }],
      }),
      (e: unknown) => e instanceof ApiError && e.code === 'INVALID_ARGUMENT' && /needs 24 bytes, got 4/.test(e.message),
    );
    await assert.rejects(
      transport.call('__proto__' as never, {}),
      (e: unknown) => e instanceof ApiError && e.code === 'UNKNOWN_METHOD',
    );
    await assert.rejects(
      api.readFile({ rootId: demo.rootId!, path: 'scale2/leak.txt' }),
      (e: unknown) => e instanceof ApiError && e.code === 'FORBIDDEN',
    );
    const media = await api.readDemoMedia({ name: 'frame.png' });
    assert.deepEqual([...media.data.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  } finally {
    transport.close();
  }
});

test('malformed frames close the socket; text frames are refused', async () => {
  const open = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${mode.bridge.port}/api/ws?token=${token}`);
      ws.on('open', () => resolve(ws));
      ws.on('error', reject);
    });
  const closeCode = (ws: WebSocket) => new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  let ws = await open();
  let closed = closeCode(ws);
  ws.send('{"t":"call"}');
  assert.equal(await closed, 1003);
  ws = await open();
  closed = closeCode(ws);
  ws.send(new Uint8Array([1, 0, 0, 0, 9]));
  assert.equal(await closed, 1007);
  // a well-formed frame still works on a fresh socket
  ws = await open();
  const reply = new Promise<unknown>((resolve) => ws.on('message', (d) => resolve(decodeFrame(d as Buffer))));
  ws.send(encodeFrame({ t: 'call', id: 5, method: 'listRepositories' }));
  const msg = (await reply) as { t: string; id: number; ok: boolean; payload: unknown[] };
  assert.equal(msg.id, 5);
  assert.equal(msg.ok, true);
  assert.ok(Array.isArray(msg.payload));
  ws.close();
});

test('a frame in parts over the real socket is joined before it is read; a bad part closes the socket', async () => {
  const open = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${mode.bridge.port}/api/ws?token=${token}`);
      ws.on('open', () => resolve(ws));
      ws.on('error', reject);
    });
  const call = (id: number) =>
    ({
      t: 'call',
      id,
      method: 'infer',
      payload: {
        connectionId: 'demo',
        model: 'scale2',
        inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [2, 3], data: new Uint8Array(1_200_000) }],
      },
    }) as const;
  let ws = await open();
  const reply = new Promise<unknown>((resolve) => ws.on('message', (d) => resolve(decodeFrame(d as Buffer))));
  const parts = encodeFrameParts(call(11), { chunkBytes: 64 * 1024 });
  assert.ok(parts.length > 15);
  for (const p of parts) ws.send(p);
  // The whole tensor arrived: validation speaks of all its bytes.
  const msg = (await reply) as { id: number; ok: boolean; error: { code: string; message: string } };
  assert.equal(msg.id, 11);
  assert.equal(msg.ok, false);
  assert.equal(msg.error.code, 'INVALID_ARGUMENT');
  assert.match(msg.error.message, /needs 24 bytes, got 1200000/);
  ws.close();

  ws = await open();
  const closed = new Promise<[number, string]>((resolve) =>
    ws.on('close', (code, why) => resolve([code, String(why)])),
  );
  ws.send(parts[0]);
  ws.send(new Uint8Array(2_000_000)); // more than the rest of the frame
  const [code, why] = await closed;
  assert.equal(code, 1007);
  assert.match(why, /bad frame: part 2 of \d+ runs past the frame's \d+ bytes/);
});
