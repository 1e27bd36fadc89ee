/**
 * TLS and mutual TLS between TritonClient and the embedded server, with a CA, server and client
 * certificates generated here with node-forge (keys from node:crypto, which is much faster).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { TritonClient, TritonError } from '../../electron/triton';
import { f32, makeRepository, readF32, type Repo } from './fixtures';

interface Pem {
  cert: string;
  key: string;
}

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

function certificate(
  cn: string,
  serial: string,
  issuer: { cert?: forge.pki.Certificate; key?: forge.pki.PrivateKey },
  isCa: boolean,
  altNames: object[] = [],
) {
  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const subject = [{ name: 'commonName', value: cn }];
  cert.setSubject(subject);
  cert.setIssuer(issuer.cert ? issuer.cert.subject.attributes : subject);
  const extensions: object[] = [{ name: 'basicConstraints', cA: isCa }];
  if (isCa) extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true });
  else {
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true });
    extensions.push({ name: 'extKeyUsage', serverAuth: true, clientAuth: true });
  }
  if (altNames.length) extensions.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(extensions);
  cert.sign((issuer.key ?? keys.privateKey) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return {
    cert,
    key: keys.privateKey,
    pem: { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) },
  };
}

let repo: Repo;
let ca: ReturnType<typeof certificate>;
let serverCert: Pem;
let clientCert: Pem;
let mtls: EmbeddedServer;

before(async () => {
  repo = makeRepository();
  ca = certificate('tritonscope test CA', '01', {}, true);
  serverCert = certificate('localhost', '02', ca, false, [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
  ]).pem;
  clientCert = certificate('tritonscope test client', '03', ca, false).pem;
  mtls = await startEmbeddedServer({
    modelRepository: repo.dir,
    loadModels: ['scaled'],
    tls: { cert: serverCert.cert, key: serverCert.key, ca: ca.pem.cert, requireClientCert: true },
  });
});

after(async () => {
  await mtls?.close();
  repo?.cleanup();
});

test('mTLS: client with a CA-signed certificate gets through, inference works', async () => {
  const client = new TritonClient({
    url: mtls.url,
    tls: { ca: ca.pem.cert, cert: clientCert.cert, key: clientCert.key },
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
  const client = new TritonClient({ url: mtls.url, tls: { ca: ca.pem.cert }, timeoutMs: 5000 });
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
    tls: { cert: serverCert.cert, key: serverCert.key },
  });
  const good = new TritonClient({ url: server.url, tls: { ca: ca.pem.cert } });
  const otherCa = certificate('some other CA', '09', {}, true);
  const bad = new TritonClient({ url: server.url, tls: { ca: otherCa.pem.cert }, timeoutMs: 5000 });
  try {
    assert.equal(await good.serverReady(), true);
    await assert.rejects(bad.serverLive(), (e: unknown) => e instanceof TritonError && e.code === 'UNAVAILABLE');
  } finally {
    good.close();
    bad.close();
    await server.close();
  }
});
