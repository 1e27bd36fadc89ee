/**
 * Connection profiles through the real services: a profile with a bad TLS file is not saved (and
 * the error names the field), endpoints are normalised, status errors against real servers of the
 * wrong kind (TLS vs plain gRPC, an HTTP/1.1 port) carry an explanation and the raw text, and the
 * certificate file browser stays inside its allowed folders.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createServices, type Services } from '../../electron/services';
import { FieldErrorsDetailsSchema, serializeError, type ConnectionStatus } from '../../shared/contract';
import { makeTestPki, type TestPki } from '../triton-client/helpers/certs';
import { startPeerServer, type PeerServer } from '../triton-client/helpers/peerServer';
import { makeTempDir } from '../helpers/tempDir';

let dir: string;
let cleanup: () => void;
let s: Services;
let pki: TestPki;
let plain: PeerServer;
let tlsServer: PeerServer;
let httpServer: http.Server;
let httpPort: number;

before(async () => {
  ({ dir, cleanup } = makeTempDir('tritonscope-conn-'));
  mkdirSync(join(dir, 'config'));
  mkdirSync(join(dir, 'certs/.hidden'), { recursive: true });
  pki = makeTestPki();
  writeFileSync(join(dir, 'certs/ca.crt'), pki.ca.cert);
  writeFileSync(join(dir, 'certs/client.crt'), pki.client.cert);
  writeFileSync(join(dir, 'certs/client.key'), pki.client.key);
  writeFileSync(join(dir, 'certs/.hidden/secret.key'), pki.client.key);
  writeFileSync(join(dir, 'certs/notes.txt'), 'not a certificate');
  writeFileSync(join(dir, 'outside.txt'), 'outside');
  symlinkSync(join(dir, 'outside.txt'), join(dir, 'certs/escape.txt'));
  s = await createServices({
    mode: 'browser',
    configDir: join(dir, 'config'),
    poll: false,
    fileRoots: [join(dir, 'certs')],
  });
  const keyCert = [{ private_key: Buffer.from(pki.server.key), cert_chain: Buffer.from(pki.server.cert) }];
  plain = await startPeerServer();
  tlsServer = await startPeerServer({ credentials: grpc.ServerCredentials.createSsl(null, keyCert, false) });
  // Triton's HTTP/REST port, as far as a gRPC client can tell: an HTTP/1.1 server.
  httpServer = http.createServer((_req, res) => res.end('{}'));
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  httpPort = (httpServer.address() as { port: number }).port;
});

after(async () => {
  await s?.close();
  await plain?.close();
  await tlsServer?.close();
  httpServer?.close();
  cleanup?.();
});

function storedProfiles(): { name: string; url: string; tls?: Record<string, unknown> }[] {
  const file = join(dir, 'config/connections.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).profiles : [];
}

async function refusedFields(p: Promise<unknown>): Promise<{ message: string; fields: string[] }> {
  let caught: unknown;
  await p.catch((e: unknown) => (caught = e));
  assert.ok(caught, 'the save was refused');
  const e = serializeError(caught);
  assert.equal(e.code, 'INVALID_ARGUMENT');
  const details = FieldErrorsDetailsSchema.parse((caught as { details?: unknown }).details);
  return { message: e.message, fields: details.fields.map((f) => f.field) };
}

test('a profile whose CA file is missing is not saved, new or edited, and the error names the field', async () => {
  const missing = join(dir, 'certs/missing-ca.pem');
  const r = await refusedFields(
    s.handlers.saveConnection({ name: 'lab', url: 'lab:8001', tls: { enabled: true, caPath: missing } }),
  );
  assert.deepEqual(r.fields, ['tls.caPath']);
  assert.match(r.message, /CA certificate \(tls\.caPath\): .*missing-ca\.pem does not exist/);
  assert.deepEqual(storedProfiles(), [], 'nothing was written');

  const saved = await s.handlers.saveConnection({ name: 'lab', url: 'lab:8001' });
  await refusedFields(
    s.handlers.saveConnection({ id: saved.id, name: 'lab', url: 'lab:8001', tls: { enabled: true, caPath: missing } }),
  );
  assert.deepEqual(storedProfiles()[0].tls, { enabled: false }, 'the stored profile is unchanged');
  assert.deepEqual((await s.handlers.listConnections(undefined))[0].tls, { enabled: false });

  // Not PEM, a key given as the certificate, a certificate without its key: each named.
  const bad = await refusedFields(
    s.handlers.saveConnection({
      name: 'lab',
      url: 'lab:8001',
      tls: { enabled: true, caPath: join(dir, 'certs/notes.txt'), certPath: join(dir, 'certs/client.key') },
    }),
  );
  assert.deepEqual(bad.fields, ['tls.keyPath', 'tls.caPath', 'tls.certPath']);
  assert.match(bad.message, /notes\.txt is not a PEM certificate/);
  await s.handlers.deleteConnection({ id: saved.id });
});

test('a FIFO given as the CA file is refused at once (no hang)', async () => {
  const fifo = join(dir, 'fifo.pem');
  execFileSync('mkfifo', [fifo]);
  const r = await refusedFields(
    s.handlers.saveConnection({ name: 'f', url: 'f:1', tls: { enabled: true, caPath: fifo } }),
  );
  assert.deepEqual(r.fields, ['tls.caPath']);
  assert.match(r.message, /not a regular file/);
  // Saved while it was a file, a FIFO by the time of the connect (files are read again then).
  const ca = join(dir, 'later-fifo.pem');
  copyFileSync(join(dir, 'certs/ca.crt'), ca);
  const saved = await s.handlers.saveConnection({ name: 'g', url: 'g:1', tls: { enabled: true, caPath: ca } });
  try {
    rmSync(ca);
    execFileSync('mkfifo', [ca]);
    await assert.rejects(s.handlers.connect({ id: saved.id }), (e: unknown) => {
      assert.equal(serializeError(e).code, 'INVALID_ARGUMENT');
      assert.match(
        serializeError(e).message,
        /cannot read CA certificate file .*later-fifo\.pem of connection 'g': it is not a regular file/,
      );
      return true;
    });
  } finally {
    await s.handlers.deleteConnection({ id: saved.id });
  }
});

test('grpc:// and grpcs:// endpoints and spaces are stored as host:port; grpcs turns TLS on', async () => {
  const a = await s.handlers.saveConnection({ name: 'a', url: ' grpc://orin.local:8001 ' });
  assert.equal(a.url, 'orin.local:8001');
  const b = await s.handlers.saveConnection({
    name: 'b',
    url: 'grpcs://orin.local:9001',
    tls: { enabled: false },
  });
  assert.deepEqual([b.url, b.tls?.enabled], ['orin.local:9001', true]);
  const c = await s.handlers.saveConnection({
    name: 'c',
    url: 'orin.local',
    tls: { enabled: true, caPath: join(dir, 'certs/ca.crt'), serverName: 'triton.lab' },
  });
  assert.deepEqual(c.tls, { enabled: true, caPath: join(dir, 'certs/ca.crt'), serverName: 'triton.lab' });
  assert.equal(c.url, 'orin.local:8001');
  for (const p of [a, b, c]) await s.handlers.deleteConnection({ id: p.id });
});

async function statusOf(url: string, tls?: { caPath?: string; serverName?: string }): Promise<ConnectionStatus> {
  const p = await s.handlers.saveConnection({
    name: `probe ${url}`,
    url,
    timeoutMs: 4000,
    ...(tls ? { tls: { enabled: true, ...tls } } : {}),
  });
  try {
    return await s.handlers.connect({ id: p.id });
  } finally {
    await s.handlers.deleteConnection({ id: p.id });
  }
}

test('status errors against servers of the wrong kind are explained, the raw text kept', async () => {
  const ca = join(dir, 'certs/ca.crt');
  const tlsToPlain = await statusOf(plain.url, { caPath: ca });
  assert.equal(tlsToPlain.state, 'error');
  assert.equal(tlsToPlain.error?.explanation?.kind, 'tls-to-plain-server');
  assert.match(tlsToPlain.error?.detail ?? '', /wrong version number/, 'the OpenSSL text is one click away');

  const plainToTls = await statusOf(tlsServer.url);
  assert.equal(plainToTls.error?.explanation?.kind, 'plain-to-tls-server', JSON.stringify(plainToTls.error));

  const httpPortStatus = await statusOf(`127.0.0.1:${httpPort}`);
  assert.equal(httpPortStatus.error?.explanation?.kind, 'http-port', JSON.stringify(httpPortStatus.error));
  assert.match(httpPortStatus.error.explanation.summary, /HTTP\/REST port/);

  // The server-name override reaches the client: the certificate is for localhost, not 127.0.0.1's other names.
  const named = await statusOf(tlsServer.url, { caPath: ca, serverName: 'not-localhost.example' });
  assert.equal(named.error?.explanation?.kind, 'name-mismatch', JSON.stringify(named.error));
  const ok = await statusOf(tlsServer.url, { caPath: ca, serverName: 'localhost' });
  assert.equal(ok.state, 'connected', JSON.stringify(ok.error));
});

test('the certificate browser lists only inside its folders, without dot-files', async () => {
  const root = await s.handlers.browseFiles({});
  assert.equal(root.dir, join(dir, 'certs'));
  assert.equal(root.parent, null);
  assert.deepEqual(
    root.entries.map((e) => `${e.kind}:${e.name}`),
    ['file:ca.crt', 'file:client.crt', 'file:client.key', 'file:escape.txt', 'file:notes.txt'],
  );
  const refuse = async (d: string, code: string, re: RegExp) => {
    await assert.rejects(s.handlers.browseFiles({ dir: d }), (e: unknown) => {
      const se = serializeError(e);
      assert.equal(se.code, code, se.message);
      assert.match(se.message, re);
      return true;
    });
  };
  await refuse(dir, 'FORBIDDEN', /outside the folders/);
  await refuse(join(dir, 'certs/..'), 'FORBIDDEN', /outside the folders/);
  await refuse(join(dir, 'certs/.hidden'), 'FORBIDDEN', /hidden folder/);
  await refuse('certs', 'INVALID_ARGUMENT', /not an absolute folder path/);
  await refuse(join(dir, 'certs/ca.crt'), 'INVALID_ARGUMENT', /not a folder/);
  // pickFile needs a native dialog, which browser mode does not have.
  await assert.rejects(s.handlers.pickFile({ purpose: 'tls-ca' }), /no native file dialog/);
  // With native dialogs (Electron) the page gets paths from the dialog and may not list folders.
  const electron = await createServices({
    mode: 'electron',
    configDir: join(dir, 'config'),
    poll: false,
    fileRoots: [join(dir, 'certs')],
    pickFile: () => Promise.resolve(join(dir, 'certs/ca.crt')),
  });
  try {
    assert.deepEqual(await electron.handlers.pickFile({ purpose: 'tls-ca' }), { path: join(dir, 'certs/ca.crt') });
    await assert.rejects(electron.handlers.browseFiles({}), (e: unknown) => {
      assert.equal(serializeError(e).code, 'FAILED_PRECONDITION');
      assert.match(serializeError(e).message, /native file dialog is used here/);
      return true;
    });
  } finally {
    await electron.close();
  }
});
