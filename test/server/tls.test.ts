/**
 * TLS and mutual TLS between TritonClient and the embedded server, with the test PKI's CA, server and
 * client certificates (test/triton-client/helpers/certs.ts) and a second, unrelated CA.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { TritonClient, TritonError } from '../../electron/triton';
import { f32, makeRepository, readF32, type Repo } from './fixtures';
import { makeTestPki, type TestPki } from '../triton-client/helpers/certs';

let repo: Repo;
let pki: TestPki;
let mtls: EmbeddedServer;

before(async () => {
  repo = makeRepository();
  pki = makeTestPki();
  mtls = await startEmbeddedServer({
    modelRepository: repo.dir,
    loadModels: ['scaled'],
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requireClientCert: true },
  });
});

after(async () => {
  await mtls?.close();
  repo?.cleanup();
});

test('mTLS: client with a CA-signed certificate gets through, inference works', async () => {
  const client = new TritonClient({
    url: mtls.url,
    tls: { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key },
  });
  try {
    assert.equal(await client.serverLive(), true);
    const r = await client.infer({
      model: 'scaled',
      version: '1',
      inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [1, 3], data: f32([1, 2, 3]) }],
    });
    assert.deepEqual(readF32(r.outputs[0].data), [2, 4, 6]);
  } finally {
    client.close();
  }
});

test('mTLS: a client without a certificate is refused', async () => {
  const client = new TritonClient({ url: mtls.url, tls: { ca: pki.ca.cert }, timeoutMs: 5000 });
  try {
    await assert.rejects(client.serverLive(), (e: unknown) => e instanceof TritonError && e.code === 'UNAVAILABLE');
  } finally {
    client.close();
  }
});

test('mTLS: a plaintext client is refused', async () => {
  const client = new TritonClient({ url: mtls.url, timeoutMs: 5000 });
  try {
    await assert.rejects(client.serverLive(), (e: unknown) => e instanceof TritonError && e.code === 'UNAVAILABLE');
  } finally {
    client.close();
  }
});

test('TLS without client certificates: server verified by CA; unknown CA rejected', async () => {
  const server = await startEmbeddedServer({
    modelRepository: repo.dir,
    tls: { cert: pki.server.cert, key: pki.server.key },
  });
  const good = new TritonClient({ url: server.url, tls: { ca: pki.ca.cert } });
  const bad = new TritonClient({ url: server.url, tls: { ca: pki.otherCa.cert }, timeoutMs: 5000 });
  try {
    assert.equal(await good.serverReady(), true);
    await assert.rejects(bad.serverLive(), (e: unknown) => e instanceof TritonError && e.code === 'UNAVAILABLE');
  } finally {
    good.close();
    bad.close();
    await server.close();
  }
});
