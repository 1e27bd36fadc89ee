/**
 * Browser-mode token hardening (issue 11): the access cookie leaks to every port of 127.0.0.1
 * (cookies ignore ports), so a cookie alone must never be enough: cookie-authenticated HTTP
 * requests and WebSocket upgrades need this server's exact Origin (HTTP page loads, which carry no
 * Origin, need the browser's own Sec-Fetch-Site: same-origin/none), the cookie name changes every
 * run, and opening the browser puts no token on any command line.
 */
import { createRequire } from 'node:module';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import { startBridge, type Bridge } from '../../electron/bridge/server';
import { openInBrowser } from '../../electron/bridge/launch';
import { ServiceEvents } from '../../electron/services/events';
import type { ApiHandlers } from '../../shared/contract';
import { CHROMIUM } from '../helpers/chromium';
import { makeTempDir, type TempDir } from '../helpers/tempDir';

let tmp: TempDir;
let bridge: Bridge;

before(async () => {
  tmp = makeTempDir('tritonscope-bridge-token-');
  const dist = join(tmp.dir, 'dist');
  mkdirSync(dist);
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Tritonscope</title>');
  const handlers = { appInfo: async () => ({}) } as unknown as ApiHandlers;
  bridge = await startBridge({ handlers, events: new ServiceEvents(), staticDir: dist, validateResponses: false });
});
after(async () => {
  await bridge?.close();
  tmp?.cleanup();
});

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request(`${bridge.origin}${path}`, { headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

function upgradeStatus(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/ws`, { headers });
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

const cookie = () => `${bridge.cookieName}=${bridge.cookieValue}`;

test('a replayed cookie with no Origin, or a foreign Origin, is refused (HTTP and WebSocket)', async () => {
  assert.equal((await get('/', { cookie: cookie() })).status, 403, 'cookie alone, no Origin');
  for (const origin of ['http://127.0.0.1:1', 'http://evil.example', `https://127.0.0.1:${bridge.port}`, 'null']) {
    assert.equal((await get('/', { cookie: cookie(), origin })).status, 403, `HTTP, Origin ${origin}`);
    assert.equal(await upgradeStatus({ cookie: cookie(), origin }), 403, `WebSocket, Origin ${origin}`);
  }
  assert.equal(await upgradeStatus({ cookie: cookie() }), 403, 'WebSocket, cookie alone');
  // A page of another port on the same host is "same-site" but not same-origin.
  assert.equal((await get('/', { cookie: cookie(), 'sec-fetch-site': 'same-site' })).status, 403);
  assert.equal((await get('/', { cookie: cookie(), 'sec-fetch-site': 'cross-site' })).status, 403);
  // Our own page: exact Origin, or the browser's own navigation/subresource marker.
  assert.equal((await get('/', { cookie: cookie(), origin: bridge.origin })).status, 200);
  assert.equal((await get('/', { cookie: cookie(), 'sec-fetch-site': 'same-origin' })).status, 200);
  assert.equal((await get('/', { cookie: cookie(), 'sec-fetch-site': 'none' })).status, 200);
  assert.equal(await upgradeStatus({ cookie: cookie(), origin: bridge.origin }), 101);
  // The explicit token (scripts, the printed URL) still works without an Origin, but not from a foreign one.
  assert.equal((await get('/', { authorization: `Bearer ${bridge.token}` })).status, 200);
  assert.equal(
    (await get('/', { authorization: `Bearer ${bridge.token}`, origin: 'http://evil.example' })).status,
    403,
  );
  // Another local server that received our cookie cannot turn it into the token: the cookie holds a
  // secret of its own, refused as a Bearer token or ?token=, and the token is refused as the cookie.
  assert.notEqual(bridge.cookieValue, bridge.token);
  assert.equal((await get('/', { authorization: `Bearer ${bridge.cookieValue}` })).status, 403);
  assert.equal((await get(`/?token=${bridge.cookieValue}`)).status, 403);
  assert.equal(await upgradeStatus({ authorization: `Bearer ${bridge.cookieValue}` }), 403);
  assert.equal((await get('/', { cookie: `${bridge.cookieName}=${bridge.token}`, origin: bridge.origin })).status, 403);
});

test('the cookie name is fresh every run and host-only', async () => {
  const other = await startBridge({
    handlers: {} as ApiHandlers,
    events: new ServiceEvents(),
    staticDir: tmp.dir,
    validateResponses: false,
  });
  try {
    assert.notEqual(other.cookieName, bridge.cookieName);
    assert.doesNotMatch(other.cookieName, new RegExp(String(other.port)), 'not derived from the port');
  } finally {
    await other.close();
  }
  const first = await get(`/?token=${bridge.token}`);
  const setCookie = String(first.headers['set-cookie']);
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Strict/);
  assert.match(setCookie, /Path=\//);
  assert.doesNotMatch(setCookie, /Domain=/i);
});

test('opening the browser: a fake xdg-open sees no token, and the one-time page logs in once', async () => {
  if (process.platform !== 'linux') return;
  const bin = join(tmp.dir, 'bin');
  mkdirSync(bin);
  const record = join(tmp.dir, 'xdg-open.argv');
  writeFileSync(
    join(bin, 'xdg-open'),
    `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}.part"\nmv "${record}.part" "${record}"\n`,
  );
  chmodSync(join(bin, 'xdg-open'), 0o755);
  const savedPath = process.env.PATH;
  process.env.PATH = `${bin}:${savedPath}`;
  let launched;
  try {
    launched = openInBrowser(bridge);
  } finally {
    process.env.PATH = savedPath;
  }
  for (let i = 0; i < 200 && !existsSync(record); i++) await new Promise((r) => setTimeout(r, 25));
  const argv = readFileSync(record, 'utf8');
  assert.ok(!argv.includes(bridge.token), 'the token is on the opener command line');
  const opened = argv.trim();
  // A private file (0600 in a 0700 folder) the browser follows to a one-time login.
  assert.equal(statSync(opened).mode & 0o777, 0o600);
  assert.equal(statSync(dirname(opened)).mode & 0o777, 0o700);
  const page = readFileSync(opened, 'utf8');
  assert.ok(!page.includes(bridge.token), 'the opened file holds a one-time code, not the token');
  const m = /url=(http:\/\/[^"']+)/.exec(page);
  assert.ok(m, page);
  const loginPath = new URL(m[1].replace(/&amp;/g, '&')).pathname + new URL(m[1].replace(/&amp;/g, '&')).search;
  const login = await get(loginPath);
  assert.equal(login.status, 200);
  const setCookie = String(login.headers['set-cookie']);
  assert.ok(setCookie.startsWith(`${bridge.cookieName}=${bridge.cookieValue};`));
  assert.equal((await get(loginPath)).status, 403, 'a code works once');
  launched.cleanup();
  assert.equal(existsSync(opened), false, 'the launch file is removed');
});

test('in a real Chromium: the launch file logs in, and the page, its module script and the WebSocket work', async (t) => {
  if (!existsSync(CHROMIUM)) return t.skip(`${CHROMIUM} not present`);
  // require(), as test/e2e/harness.ts loads it: CommonJS, loaded once per test process.
  const { chromium } = createRequire(import.meta.url)('playwright-core') as typeof import('playwright-core');
  const dist = join(tmp.dir, 'dist-ws');
  mkdirSync(dist);
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><title>start</title><script type="module" src="./app.js"></script>',
  );
  // The page reports whether the API WebSocket (cookie + Origin) opened.
  writeFileSync(
    join(dist, 'app.js'),
    `const ws = new WebSocket('ws://' + location.host + '/api/ws');
     ws.onopen = () => { document.title = 'ws open'; };
     ws.onerror = () => { document.title = 'ws refused'; };`,
  );
  const b = await startBridge({ handlers: {} as ApiHandlers, events: new ServiceEvents(), staticDir: dist });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const launch = openInBrowser(b, '/bin/true');
    await page.goto(`file://${launch.file}`);
    await page.waitForFunction(() => document.title.startsWith('ws '), undefined, { timeout: 10_000 });
    assert.equal(await page.title(), 'ws open');
    assert.equal(new URL(page.url()).search, '', 'no code or token left in the address bar');
    launch.cleanup();
    // The printed URL (typed or pasted: the token moves into the cookie) works the same way.
    const typed = await browser.newPage();
    await typed.goto(`${b.origin}/?token=${b.token}`);
    await typed.waitForFunction(() => document.title.startsWith('ws '), undefined, { timeout: 10_000 });
    assert.equal(await typed.title(), 'ws open');
  } finally {
    await browser.close();
    await b.close();
  }
});
