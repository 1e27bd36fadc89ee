/**
 * The TLS files a profile names, checked before the profile is saved: each must be an absolute
 * path to a readable regular file of at most 1 MiB in PEM form (gRPC reads nothing else). A
 * missing CA file found only at connect time used to leave a saved, broken profile behind; now
 * the save is refused and the message names the field. Files are still read again at connect time
 * (certificates get rotated on disk), so nothing but the path is stored.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { FieldProblem, ProfileField } from '../../shared/connection';
import type { TlsSettings } from '../../shared/contract';

export const TLS_FILE_LIMIT = 1024 * 1024;

const FILES: { field: ProfileField; key: 'caPath' | 'certPath' | 'keyPath'; pem: RegExp; what: string }[] = [
  { field: 'tls.caPath', key: 'caPath', pem: /-----BEGIN CERTIFICATE-----/, what: 'a PEM certificate' },
  { field: 'tls.certPath', key: 'certPath', pem: /-----BEGIN CERTIFICATE-----/, what: 'a PEM certificate' },
  { field: 'tls.keyPath', key: 'keyPath', pem: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: 'a PEM private key' },
];

/**
 * A TLS file's bytes, read through one non-blocking handle: opening a FIFO for reading would
 * otherwise wait for a writer forever, and a device (/dev/zero) would never end. Throws an Error
 * whose message says what is wrong with the path (no path in it: callers name the file).
 */
export async function readTlsFile(path: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error('does not exist', { cause: err });
    if (code === 'EACCES' || code === 'EPERM') throw new Error('cannot be read (permission denied)', { cause: err });
    throw new Error(`cannot be opened (${code ?? (err as Error).message})`, { cause: err });
  }
  try {
    const s = await handle.stat();
    if (!s.isFile()) throw new Error('is not a regular file');
    if (s.size > TLS_FILE_LIMIT) throw new Error('is larger than 1 MiB');
    const data = await handle.readFile();
    // It may have grown since the stat.
    if (data.byteLength > TLS_FILE_LIMIT) throw new Error('is larger than 1 MiB');
    return data;
  } catch (err) {
    if (!(err as NodeJS.ErrnoException).code) throw err;
    throw new Error(`cannot be read (${(err as NodeJS.ErrnoException).code})`, { cause: err });
  } finally {
    await handle.close();
  }
}

async function checkOne(path: string, pem: RegExp, what: string): Promise<string | null> {
  if (!isAbsolute(path)) return `${path} is not an absolute path`;
  let text: string;
  try {
    text = (await readTlsFile(path)).toString('latin1');
  } catch (err) {
    return `${path} ${(err as Error).message}`;
  }
  if (!pem.test(text)) return `${path} is not ${what} (no matching -----BEGIN line)`;
  return null;
}

/** One problem per bad file, in the form's order (CA, certificate, key). */
export async function checkTlsFiles(tls: TlsSettings | undefined): Promise<FieldProblem[]> {
  if (!tls?.enabled) return [];
  const problems: FieldProblem[] = [];
  for (const f of FILES) {
    const path = tls[f.key];
    if (!path) continue;
    const message = await checkOne(path, f.pem, f.what);
    if (message) problems.push({ field: f.field, message });
  }
  return problems;
}
