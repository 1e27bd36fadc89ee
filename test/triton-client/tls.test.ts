/** TLS and mutual TLS against a real grpc-js server with certificates generated in the test. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { TritonClient, TritonError } from '../../electron/triton';
import { makeTestPki, type TestPki } from './helpers/certs';
import { startPeerServer, type PeerServer } from './helpers/peerServer';
import { spawnCli } from '../helpers/cli';

let pki: TestPki;
let tlsServer: PeerServer; // server auth only
let mtlsServer: PeerServer; // requires a client certificate signed by our CA
let dir: string;

before(async () => {
  pki = makeTestPki();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tritonscope-tls-'));
  for (const [name, pem] of Object.entries({ ca: pki.ca, client: pki.client })) {
    fs.writeFileSync(path.join(dir, `${name}.crt`), pem.cert);
    fs.writeFileSync(path.join(dir, `${name}.key`), pem.key);
  }
  const keyCert = [{ private_key: Buffer.from(pki.server.key), cert_chain: Buffer.from(pki.server.cert) }];
  tlsServer = await startPeerServer({ credentials: grpc.ServerCredentials.createSsl(null, keyCert, false) });
  mtlsServer = await startPeerServer({
    credentials: grpc.ServerCredentials.createSsl(Buffer.from(pki.ca.cert), keyCert, true),
  });
});
after(async () => {
  await tlsServer.close();
  await mtlsServer.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function withClient<T>(
  opts: ConstructorParameters<typeof TritonClient>[0],
  fn: (c: TritonClient) => Promise<T>,
): Promise<T> {
  const c = new TritonClient({ timeoutMs: 5000, ...opts });
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

test('TLS with our CA (file path) verifies the server', async () => {
  await withClient({ url: tlsServer.url, tls: { ca: path.join(dir, 'ca.crt') } }, async (c) => {
    assert.equal(await c.serverLive(), true);
  });
});

test('TLS to "localhost" and a server-name override both verify', async () => {
  await withClient({ url: `localhost:${tlsServer.port}`, tls: { ca: pki.ca.cert } }, async (c) =>
    assert.equal(await c.serverLive(), true),
  );
  await withClient(
    { url: `127.0.0.1:${tlsServer.port}`, tls: { ca: pki.ca.cert, serverName: 'localhost' } },
    async (c) => assert.equal(await c.serverLive(), true),
  );
});

test('a wrong CA is rejected with a clear TLS message', async () => {
  await withClient({ url: tlsServer.url, tls: { ca: pki.otherCa.cert } }, async (c) => {
    await assert.rejects(c.serverLive(), (e: TritonError) => {
      assert.equal(e.code, 'UNAVAILABLE');
      assert.match(
        e.message,
        new RegExp(`^UNAVAILABLE: TLS handshake with Triton at ${tlsServer.url.replace(/\./g, '\\.')} failed: `),
      );
      return true;
    });
  });
});

test('a server-name mismatch is rejected', async () => {
  await withClient(
    { url: tlsServer.url, tls: { ca: pki.ca.cert, serverName: 'not-the-server.example' } },
    async (c) => {
      await assert.rejects(c.serverLive(), (e: TritonError) => e.code === 'UNAVAILABLE');
    },
  );
});

test('insecure skips verification (unknown CA accepted)', async () => {
  await withClient({ url: tlsServer.url, tls: { insecure: true } }, async (c) =>
    assert.equal(await c.serverLive(), true),
  );
  await withClient({ url: tlsServer.url, tls: { ca: pki.otherCa.cert, insecure: true } }, async (c) =>
    assert.equal(await c.serverLive(), true),
  );
});

test('the CLI over TLS to an IP address: no DEP0123 warning on stderr', async () => {
  const r = await spawnCli(['status', '--url', tlsServer.url, '--tls', '--ca', path.join(dir, 'ca.crt'), '--json']);
  assert.doesNotMatch(r.stderr, /DEP0123|DeprecationWarning/);
  assert.equal(r.code, 0, r.stderr);
});

test('plaintext client against a TLS server fails clearly', async () => {
  await withClient({ url: tlsServer.url, timeoutMs: 3000 }, async (c) => {
    await assert.rejects(c.serverLive(), (e: TritonError) => e.code === 'UNAVAILABLE' || e.code === 'INTERNAL');
  });
});

test('mTLS: client certificate accepted; an infer round-trips', async () => {
  await withClient(
    {
      url: mtlsServer.url,
      tls: { ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'client.crt'), key: path.join(dir, 'client.key') },
    },
    async (c) => {
      assert.equal(await c.serverLive(), true);
      const r = await c.infer({
        model: 'echo',
        inputs: [{ name: 'x', datatype: 'UINT8', shape: [3], data: new Uint8Array([1, 2, 3]) }],
      });
      assert.deepEqual([...r.outputs[0].data], [1, 2, 3]);
    },
  );
});

test('mTLS: missing client certificate is rejected', async () => {
  await withClient({ url: mtlsServer.url, tls: { ca: pki.ca.cert } }, async (c) => {
    await assert.rejects(c.serverLive(), (e: TritonError) => e.code === 'UNAVAILABLE');
  });
});

test('mTLS: a client certificate from another CA is rejected', async () => {
  await withClient(
    { url: mtlsServer.url, tls: { ca: pki.ca.cert, cert: pki.otherClient.cert, key: pki.otherClient.key } },
    async (c) => {
      await assert.rejects(c.serverLive(), (e: TritonError) => e.code === 'UNAVAILABLE');
    },
  );
});

test('certificate without key is a configuration error', () => {
  assert.throws(
    () => new TritonClient({ url: mtlsServer.url, tls: { cert: pki.client.cert } }),
    /needs both a client certificate and its key/,
  );
});
