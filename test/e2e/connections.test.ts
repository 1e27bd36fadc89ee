/**
 * Issue #14 item 9, connection forms, in real Chromium against real servers: the embedded demo
 * server (plain gRPC), an embedded server with TLS (certificates made here), and an HTTP/1.1 port.
 * The form starts with placeholders, takes `grpc://` / `grpcs://` and stray spaces, chooses the CA
 * file through the confined file browser (browser mode has no native dialog), has a server-name
 * field; wrong-kind connections say what is probably wrong with the raw text one click away; a
 * profile whose CA file is missing is not saved and the form names the field.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { makeTestPki } from '../triton-client/helpers/certs';
import { makeTempDir } from '../helpers/tempDir';
import { shotBoth, startHarness, type Harness } from './harness';

let h: Harness;
let page: Page;
let certs: { dir: string; cleanup(): void };
let tlsServer: EmbeddedServer;
let httpServer: http.Server;
let demoUrl: string;
let httpPort: number;

async function addProfile(name: string, url: string): Promise<void> {
  await page.click('[data-testid=add-server]');
  await page.fill('[data-testid=profile-name]', name);
  await page.fill('[data-testid=profile-url]', url);
}

async function profileByName(name: string) {
  const list = await h.services.handlers.listConnections(undefined);
  const p = list.find((x) => x.name === name);
  assert.ok(p, `profile '${name}' saved (${list.map((x) => x.name).join(', ')})`);
  return p;
}

async function connectAndReadError(name: string): Promise<{ title: string; kind: string | null; text: string }> {
  await page.click(`[data-testid="server-${name}"]`);
  await page.click('[data-testid=connect]');
  const err = page.locator('[data-testid=server-error]');
  await err.waitFor({ timeout: 30_000 });
  return {
    title: (await err.locator('.alert-title').textContent()) ?? '',
    kind: await err.locator('[data-testid=error-explanation]').getAttribute('data-kind'),
    text: (await err.textContent()) ?? '',
  };
}

describe('connection forms (E2E, issue #14 item 9)', { timeout: 170_000 }, () => {
  before(async () => {
    certs = makeTempDir('tritonscope-e2e-certs-');
    const pki = makeTestPki();
    mkdirSync(join(certs.dir, 'lab'));
    writeFileSync(join(certs.dir, 'lab/ca.crt'), pki.ca.cert);
    writeFileSync(join(certs.dir, 'lab/README.txt'), 'certificates of the lab Orin');
    const emptyRepo = join(certs.dir, 'repo');
    mkdirSync(emptyRepo);
    tlsServer = await startEmbeddedServer({
      modelRepository: emptyRepo,
      host: '127.0.0.1',
      port: 0,
      controlMode: 'explicit',
      loadModels: [],
      tls: { cert: pki.server.cert, key: pki.server.key },
    });
    httpServer = http.createServer((_req, res) => res.end('{}'));
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
    httpPort = (httpServer.address() as { port: number }).port;
    h = await startHarness({ services: { fileRoots: [certs.dir] } });
    page = h.page;
    await page.waitForSelector('[data-testid=nav-servers]', { timeout: 15_000 });
    await page.click('[data-testid=nav-servers]');
    await page.click('[data-testid=server-demo]');
    await page.click('[data-testid=connect]');
    await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 30_000 });
    demoUrl = (await h.services.handlers.demoStatus(undefined)).url!;
  });

  after(async () => {
    await h?.close();
    await tlsServer?.close();
    httpServer?.close();
    certs?.cleanup();
  });

  it('a new profile shows placeholders, takes grpc:// with spaces, and stores host:port', async () => {
    await page.click('[data-testid=add-server]');
    for (const id of ['profile-name', 'profile-url']) {
      assert.equal(await page.inputValue(`[data-testid=${id}]`), '', `${id} starts empty`);
      assert.ok(await page.getAttribute(`[data-testid=${id}]`, 'placeholder'), `${id} has a placeholder`);
    }
    // Saving the empty form names the fields instead of saving anything.
    await page.click('[data-testid=profile-save]');
    await page.waitForSelector('[data-testid=profile-name-error]');
    await page.waitForSelector('[data-testid=profile-url-error]:has-text("enter the server\'s address")');
    await page.fill('[data-testid=profile-name]', 'Plain');
    // Typed: the hint says what will be stored, and leaving the field tidies it.
    await page.type('[data-testid=profile-url]', ` grpc://${demoUrl} `);
    await page.waitForSelector(`[data-testid=profile-editor] :text("Saved as ${demoUrl}")`);
    await page.click('[data-testid=profile-name]');
    assert.equal(await page.inputValue('[data-testid=profile-url]'), demoUrl);
    // Pasted: tidied at once.
    await page.fill('[data-testid=profile-url]', `  grpc://${demoUrl}  `);
    assert.equal(await page.inputValue('[data-testid=profile-url]'), demoUrl);
    await page.click('[data-testid=profile-save]');
    await page.waitForSelector('[data-testid=server-Plain]');
    assert.equal((await profileByName('Plain')).url, demoUrl);
    await page.click('[data-testid=connect]');
    await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 30_000 });
  });

  it('TLS against a plain server: says the server does not use TLS; the OpenSSL text is one click away', async () => {
    await addProfile('TLS to plain', `grpcs://${demoUrl}`);
    // grpcs:// turned TLS on by itself.
    assert.equal(await page.isChecked('[data-testid=profile-tls]'), true);
    // The CA file is chosen in the confined file browser (browser mode has no native dialog).
    await page.click('[data-testid=profile-ca-choose]');
    await page.waitForSelector('[data-testid=file-browser]');
    await page.click('[data-testid="file-entry-lab"]');
    await page.click('[data-testid="file-entry-ca.crt"]');
    await page.waitForSelector('[data-testid=file-browser]', { state: 'detached' });
    assert.equal(await page.inputValue('[data-testid=profile-ca]'), join(certs.dir, 'lab/ca.crt'));
    await page.click('[data-testid=profile-save]');
    await page.waitForSelector('[data-testid="server-TLS to plain"]');
    const stored = await profileByName('TLS to plain');
    assert.deepEqual([stored.url, stored.tls?.enabled], [demoUrl, true]);

    const e = await connectAndReadError('TLS to plain');
    assert.equal(e.kind, 'tls-to-plain-server');
    assert.match(e.title, /does not use TLS/);
    assert.doesNotMatch(e.text, /ssl3_get_record|wrong version number/, 'no raw OpenSSL text up front');
    await page.click('[data-testid=server-error] [data-testid=error-details-toggle]');
    assert.match((await page.textContent('[data-testid=error-details]')) ?? '', /wrong version number/);
    await shotBoth(page, 'forms-01-tls-to-plain-explained');
  });

  it('a plain client against a TLS server: says TLS is required; with the CA and server name it connects', async () => {
    await addProfile('Secure', tlsServer.url);
    await page.click('[data-testid=profile-save]');
    await page.waitForSelector('[data-testid=server-Secure]');
    const e = await connectAndReadError('Secure');
    assert.equal(e.kind, 'plain-to-tls-server', e.text);
    assert.match(e.title, /requires TLS/);

    // Edit: TLS on, the CA typed, and the server name the certificate carries (localhost).
    await page.click('[data-testid=server-detail] button:has-text("Edit")');
    await page.check('[data-testid=profile-tls]');
    await page.fill('[data-testid=profile-ca]', join(certs.dir, 'lab/ca.crt'));
    await page.fill('[data-testid=profile-server-name]', 'localhost');
    await shotBoth(page, 'forms-02-profile-tls-form');
    await page.click('[data-testid=profile-save]');
    await page.waitForSelector('[data-testid=profile-editor]', { state: 'detached' });
    assert.equal((await profileByName('Secure')).tls?.serverName, 'localhost');
    // Saving a live profile reconnects it by itself; otherwise connect.
    if (await page.locator('[data-testid=connect]').count()) await page.click('[data-testid=connect]');
    await page.waitForSelector('[data-testid=server-status][data-state=connected]', { timeout: 30_000 });
  });

  it("an HTTP port given as the gRPC endpoint: says it is probably Triton's HTTP/REST port", async () => {
    await addProfile('HTTP port', `127.0.0.1:${httpPort}`);
    await page.click('[data-testid=profile-save]');
    await page.waitForSelector('[data-testid="server-HTTP port"]');
    const e = await connectAndReadError('HTTP port');
    assert.equal(e.kind, 'http-port', e.text);
    assert.match(e.title, /HTTP\/REST port/);
    await page.click('[data-testid=server-error] [data-testid=error-details-toggle]');
    assert.match((await page.textContent('[data-testid=error-details]')) ?? '', /Protocol error/);
  });

  it('a profile edited to a missing CA file is not saved, and the form names the field', async () => {
    await page.click('[data-testid=server-Secure]');
    await page.click('[data-testid=server-detail] button:has-text("Edit")');
    const missing = join(certs.dir, 'lab/missing-ca.pem');
    await page.fill('[data-testid=profile-ca]', missing);
    await page.click('[data-testid=profile-save]');
    const fieldError = page.locator('[data-testid=profile-ca-error]');
    await fieldError.waitFor({ timeout: 10_000 });
    assert.match((await fieldError.textContent()) ?? '', /missing-ca\.pem does not exist/);
    assert.match((await page.textContent('[data-testid=profile-error]')) ?? '', /CA certificate \(tls\.caPath\)/);
    assert.equal(await page.locator('[data-testid=profile-editor]').count(), 1, 'the form stays open');
    assert.equal(
      (await profileByName('Secure')).tls?.caPath,
      join(certs.dir, 'lab/ca.crt'),
      'the stored profile still has the old CA',
    );
    await shotBoth(page, 'forms-03-missing-ca-not-saved');
    // Fixing the field clears its error.
    await page.fill('[data-testid=profile-ca]', join(certs.dir, 'lab/ca.crt'));
    assert.equal(await fieldError.count(), 0);
    await page.click('[data-testid=profile-editor] button:has-text("Cancel")');
    assert.deepEqual(h.pageErrors, []);
  });
});
