/**
 * Test PKI generated at run time with node-forge (keys by node:crypto, which is fast and native).
 * One PKI per test process: its five RSA-2048 keys cost about a second of CPU, and the test runner
 * runs several TLS test files in one process (scripts/run-tests.mjs). Nothing changes it once made.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';

export interface Pem {
  cert: string;
  key: string;
}

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const priv = forge.pki.privateKeyFromPem(keyPem);
  const pub = forge.pki.setRsaPublicKey(priv.n, priv.e);
  return { privateKey: priv, publicKey: pub, keyPem };
}

let serial = 1;

function makeCert(opts: {
  cn: string;
  issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
  ca?: boolean;
  altNames?: Array<{ type: number; value?: string; ip?: string }>;
  clientAuth?: boolean;
}): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey; pem: Pem } {
  const kp = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = kp.publicKey;
  cert.serialNumber = (serial++).toString(16).padStart(2, '0');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const subject = [{ name: 'commonName', value: opts.cn }];
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? opts.issuer.cert.subject.attributes : subject);
  const ext: object[] = [];
  if (opts.ca)
    ext.push(
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    );
  else {
    ext.push(
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    );
    ext.push({ name: 'extKeyUsage', serverAuth: !opts.clientAuth, clientAuth: Boolean(opts.clientAuth) });
  }
  if (opts.altNames) ext.push({ name: 'subjectAltName', altNames: opts.altNames });
  cert.setExtensions(ext);
  cert.sign(opts.issuer ? opts.issuer.key : kp.privateKey, forge.md.sha256.create());
  return { cert, key: kp.privateKey, pem: { cert: forge.pki.certificateToPem(cert), key: kp.keyPem } };
}

export interface TestPki {
  ca: Pem;
  server: Pem;
  client: Pem;
  /** A second, unrelated CA (and a client cert signed by it). */
  otherCa: Pem;
  otherClient: Pem;
}

let made: TestPki | undefined;

/** The test process's PKI (made on first use; the same objects afterwards: treat them as read-only). */
export function makeTestPki(): TestPki {
  made ??= freshPki();
  return made;
}

function freshPki(): TestPki {
  const ca = makeCert({ cn: 'Tritonscope Test CA', ca: true });
  const server = makeCert({
    cn: 'localhost',
    issuer: ca,
    altNames: [
      { type: 2, value: 'localhost' },
      { type: 7, ip: '127.0.0.1' },
    ],
  });
  const client = makeCert({ cn: 'tritonscope-client', issuer: ca, clientAuth: true });
  const other = makeCert({ cn: 'Other CA', ca: true });
  const otherClient = makeCert({ cn: 'intruder', issuer: other, clientAuth: true });
  return { ca: ca.pem, server: server.pem, client: client.pem, otherCa: other.pem, otherClient: otherClient.pem };
}
