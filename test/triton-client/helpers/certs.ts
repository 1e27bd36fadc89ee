/**
 * Test PKI generated at run time with node-forge (keys by node:crypto, which is fast and native).
 * Its five RSA-2048 keys cost about a second of CPU, so it is made once per test process, and once per
 * run where scripts/run-tests.mjs names the run's directory (TEST_RUN_DIR): the first process to need
 * it writes it there, the other lanes read it (two that need it at the same moment may each make one).
 * Nothing changes it once made.
 */
import crypto from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** The run's (or this process's) PKI, made on first use; the same objects afterwards: treat them as read-only. */
export function makeTestPki(): TestPki {
  made ??= runPki() ?? freshPki();
  return made;
}

/** The PKI shared by the run's processes, or undefined outside scripts/run-tests.mjs. */
function runPki(): TestPki | undefined {
  const dir = process.env['TEST_RUN_DIR'];
  if (!dir) return undefined;
  const file = join(dir, 'test-pki.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TestPki;
  } catch {
    const pki = freshPki();
    // Written whole, then renamed: a lane reading meanwhile sees no file or a complete one. Two lanes
    // that both found none each make one; the last rename wins, and each keeps using its own. A
    // directory that cannot be written only means the other lanes make their own.
    try {
      const tmp = `${file}.${process.pid}`;
      writeFileSync(tmp, JSON.stringify(pki));
      renameSync(tmp, file);
    } catch {
      /* not shared */
    }
    return pki;
  }
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
