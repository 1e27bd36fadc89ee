/**
 * HTTPS and mutual TLS between the HTTP/REST client and the embedded server's HTTP front end, with
 * a CA, server and client certificates generated in the test (test/triton-client/helpers/certs).
 * Failures must be the same one-line TritonErrors the gRPC client gives.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { HttpTritonClient, TritonError } from '../../electron/triton';
import { makeTestPki, type TestPki } from '../triton-client/helpers/certs';
import { f32, makeRepository, readF32, type Repo } from './fixtures';

let repo: Repo;
let pki: TestPki;
let tlsServer: EmbeddedServer;
let mtlsServer: EmbeddedServer;

before(async () => {
  repo = makeRepository();
  pki = makeTestPki();
  tlsServer = await startEmbeddedServer({
    modelRepository: repo.dir,
    loadModels: ['scaled'],
    httpPort: 0,
    tls: { cert: pki.server.cert, key: pki.server.key },
  });
  mtlsServer = await startEmbeddedServer({
    modelRepository: repo.dir,
    loadModels: ['scaled'],
    httpPort: 0,
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requireClientCert: true },
  });
});

after(async () => {
  await tlsServer?.close();
  await mtlsServer?.close();
  repo?.cleanup();
});

const scaled = { model: 'scaled', inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [1, 3], data: f32([1, 2, 3]) }] };

async function unavailable(p: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof TritonError, String(err));
    assert.equal(err.code, 'UNAVAILABLE', err.message);
    assert.match(err.message, message);
    return true;
  });
}

test('HTTPS with the CA: https:// URL or host:port with TLS options', async () => {
  for (const url of [`https://${tlsServer.httpUrl}`, tlsServer.httpUrl!]) {
    const client = new HttpTritonClient({ url, tls: { ca: pki.ca.cert }, timeoutMs: 5000 });
    try {
      assert.equal(client.tls, true);
      assert.equal(await client.serverLive(), true);
      const r = await client.infer(scaled);
      assert.deepEqual(readF32(r.outputs[0].data), [3, 6, 9]);
    } finally {
      client.close();
    }
  }
});

test('the server certificate is verified: unknown CA fails, insecure skips, a wrong server name fails', async () => {
  const untrusted = new HttpTritonClient({ url: tlsServer.httpUrl!, tls: { ca: pki.otherCa.cert }, timeoutMs: 5000 });
  await unavailable(untrusted.serverLive(), /^UNAVAILABLE: TLS handshake with Triton at 127\.0\.0\.1:\d+ failed: /);
  untrusted.close();
  const insecure = new HttpTritonClient({ url: tlsServer.httpUrl!, tls: { insecure: true }, timeoutMs: 5000 });
  assert.equal(await insecure.serverLive(), true);
  insecure.close();
  const wrongName = new HttpTritonClient({
    url: tlsServer.httpUrl!,
    tls: { ca: pki.ca.cert, serverName: 'triton.example' },
    timeoutMs: 5000,
  });
  await unavailable(wrongName.serverLive(), /TLS handshake .* failed: .*(altnames|triton\.example)/i);
  wrongName.close();
  const rightName = new HttpTritonClient({
    url: tlsServer.httpUrl!,
    tls: { ca: pki.ca.cert, serverName: 'localhost' },
    timeoutMs: 5000,
  });
  assert.equal(await rightName.serverLive(), true);
  rightName.close();
});

test('mutual TLS: a client certificate from the CA is accepted; none, or one from another CA, is refused', async () => {
  const good = new HttpTritonClient({
    url: mtlsServer.httpUrl!,
    tls: { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key },
    timeoutMs: 5000,
  });
  try {
    assert.equal(await good.serverReady(), true);
    assert.deepEqual(readF32((await good.infer(scaled)).outputs[0].data), [3, 6, 9]);
  } finally {
    good.close();
  }
  const anonymous = new HttpTritonClient({ url: mtlsServer.httpUrl!, tls: { ca: pki.ca.cert }, timeoutMs: 5000 });
  await unavailable(anonymous.serverLive(), /^UNAVAILABLE: (TLS handshake|connection to) Triton at .* failed/);
  anonymous.close();
  const intruder = new HttpTritonClient({
    url: mtlsServer.httpUrl!,
    tls: { ca: pki.ca.cert, cert: pki.otherClient.cert, key: pki.otherClient.key },
    timeoutMs: 5000,
  });
  await unavailable(intruder.serverLive(), /^UNAVAILABLE: (TLS handshake|connection to) Triton at .* failed/);
  intruder.close();
});

test('plain HTTP against an HTTPS port names the likely cause; half a key pair is refused up front', async () => {
  const plain = new HttpTritonClient({ url: tlsServer.httpUrl!, timeoutMs: 5000 });
  await unavailable(plain.serverLive(), /does the server require TLS\?/);
  plain.close();
  assert.throws(
    () => new HttpTritonClient({ url: tlsServer.httpUrl!, tls: { cert: pki.client.cert } }),
    /mutual TLS needs both a client certificate and its key/,
  );
  assert.throws(
    () => new HttpTritonClient({ url: `http://${tlsServer.httpUrl}`, tls: { ca: pki.ca.cert } }),
    /plain http:\/\/ but TLS options were given/,
  );
});
