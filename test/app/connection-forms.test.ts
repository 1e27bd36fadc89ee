/**
 * The connection form's pure logic (shared/connection): endpoints as users type them, per-field
 * profile problems, and connection failures explained from the texts grpc-js and OpenSSL really
 * produce (captured from @grpc/grpc-js 1.14 against the servers of test/triton-client/tls.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeProblem,
  explainConnectionFailure,
  needsProbe,
  normalizeEndpoint,
  normalizeProfile,
} from '../../shared/connection';
import { ConnectionProfileInputSchema } from '../../shared/contract';

test('endpoints: grpc:// and grpcs:// prefixes, spaces and a missing port are normalised', () => {
  const ok = (raw: string) => {
    const r = normalizeEndpoint(raw);
    assert.ok(r.ok, `${raw}: ${r.ok ? '' : r.message}`);
    return r;
  };
  assert.deepEqual(ok('grpc://orin.local:8001'), {
    ok: true,
    address: 'orin.local:8001',
    scheme: 'grpc',
    protocol: 'grpc',
    tls: false,
  });
  assert.deepEqual(ok('  GRPCS://orin.local:9001/ \t'), {
    ok: true,
    address: 'orin.local:9001',
    scheme: 'grpcs',
    protocol: 'grpc',
    tls: true,
  });
  assert.equal(ok('10.0.0.7:8001 ').address, '10.0.0.7:8001');
  assert.equal(ok('orin.local').address, 'orin.local:8001', 'the default gRPC port');
  assert.equal(ok('[::1]:8001').address, '[::1]:8001');
  assert.equal(ok('grpc://[fe80::1%eth0]').address, '[fe80::1%eth0]:8001');
  // HTTP/REST addresses name their protocol; a bare host takes the default port of the profile's protocol.
  assert.deepEqual(ok(' http://orin.local:8000/ '), {
    ok: true,
    address: 'orin.local:8000',
    scheme: 'http',
    protocol: 'http',
    tls: false,
  });
  assert.equal(ok('https://x').address, 'x:8000');
  assert.equal(ok('https://x:8443').tls, true);
  assert.deepEqual(normalizeEndpoint('orin', 'http'), {
    ok: true,
    address: 'orin:8000',
    scheme: null,
    protocol: null,
    tls: null,
  });
});

test('endpoints: bad ones say what is wrong', () => {
  const bad = (raw: string, re: RegExp) => {
    const r = normalizeEndpoint(raw);
    assert.equal(r.ok, false, raw);
    if (!r.ok) assert.match(r.message, re, raw);
  };
  bad('', /enter the server's address/);
  bad('   ', /enter the server's address/);
  bad('ftp://h:1', /'ftp:\/\/' is not a Triton endpoint scheme/);
  bad('http://h:8000/v2', /has a path/);
  bad('h:0', /port '0' is not a number from 1 to 65535/);
  bad('h:70000', /port '70000'/);
  bad('h:80x', /port '80x'/);
  bad('h:8001/v2', /has a path/);
  bad('::1:8001', /IPv6 address in brackets/);
  bad('orin local:8001', /contains a space/);
  bad('-bad-:1', /not a valid host name/);
  bad(':8001', /host is missing/);
});

test('the contract accepts what the form accepts', () => {
  for (const url of ['grpc://h:1', ' h:2 ', 'grpcs://[::1]:3', 'h', 'https://h:8000/'])
    assert.ok(ConnectionProfileInputSchema.safeParse({ name: 'n', url }).success, url);
  const r = ConnectionProfileInputSchema.safeParse({ name: 'n', url: 'h:99999' });
  assert.equal(r.success, false);
  assert.match(r.error.issues[0].message, /port '99999'/);
});

test('profiles: grpcs:// turns TLS on, blanks are dropped, each problem names its field', () => {
  const { profile, problems } = normalizeProfile({
    name: ' Orin ',
    url: 'grpcs://orin.local:8001 ',
    tls: { enabled: false, caPath: '  ', serverName: ' triton.lab ' },
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(profile, {
    name: 'Orin',
    url: 'orin.local:8001',
    tls: { enabled: true, serverName: 'triton.lab' },
  });
  // https:// picks HTTP/REST and TLS; grpc:// over an HTTP profile picks gRPC again.
  assert.deepEqual(normalizeProfile({ name: 'h', url: 'https://orin:8443' }).profile, {
    name: 'h',
    url: 'orin:8443',
    protocol: 'http',
    tls: { enabled: true },
  });
  assert.equal(normalizeProfile({ name: 'h', url: 'grpc://orin', protocol: 'http' }).profile.protocol, 'grpc');
  assert.equal(normalizeProfile({ name: 'h', url: 'orin', protocol: 'http' }).profile.url, 'orin:8000');
  assert.equal('protocol' in normalizeProfile({ name: 'g', url: 'grpc://orin' }).profile, false, 'gRPC stays implicit');
  // A blank metrics URL means the default: not stored.
  assert.equal('metricsUrl' in normalizeProfile({ name: 'a', url: 'h:1', metricsUrl: '  ' }).profile, false);
  // TLS off drops the TLS paths; unrelated fields pass through untouched.
  const off = normalizeProfile({ name: 'a', url: 'h:1', tls: { enabled: false, caPath: '/x' }, timeoutMs: 500 });
  assert.deepEqual(off.profile, { name: 'a', url: 'h:1', tls: { enabled: false }, timeoutMs: 500 });

  const bad = normalizeProfile({
    name: '',
    url: 'h:0',
    tls: { enabled: true, certPath: '/c.pem', serverName: 'not a host' },
  });
  assert.deepEqual(
    bad.problems.map((p) => p.field),
    ['name', 'url', 'tls.keyPath', 'tls.serverName'],
  );
  assert.equal(describeProblem(bad.problems[2]), 'Client key (tls.keyPath): mutual TLS needs the client key too');
});

const A = '127.0.0.1:38185';
const TLS_TO_PLAIN =
  'No connection established. Last error: Error: 80AC85BB317F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n. Resolution note: ';
const PLAIN_TO_TLS =
  'No connection established. Last error: Failed to connect (2026-12-01T09:08:15.799Z). Resolution note: ';
const TO_HTTP_PORT =
  'No connection established. Last error: Protocol error (2026-12-01T09:08:15.812Z). Resolution note: ';
const TO_HTTPS_PORT =
  'No connection established. Last error: Error: 80AC85BB317F0000:error:0A000460:SSL routines:ssl3_read_bytes:tlsv1 alert no application protocol:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 120\n. Resolution note: ';
const UNTRUSTED =
  'No connection established. Last error: Error: unable to verify the first certificate. Resolution note: ';
const NO_CLIENT_CERT =
  'No connection established. Last error: 80AC85BB317F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116\n (2026-12-01T09:08:15.883Z). Resolution note: ';
const BAD_NAME =
  "No connection established. Last error: Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: nope.example. is not in the cert's altnames: DNS:localhost, IP Address:127.0.0.1. Resolution note: ";

test('failures: TLS against a plain server, a plain client against TLS, an HTTP port', () => {
  const tlsToPlain = explainConnectionFailure(TLS_TO_PLAIN, { address: A, tls: true });
  assert.equal(tlsToPlain?.kind, 'tls-to-plain-server');
  assert.match(tlsToPlain.advice, /Turn "Use TLS" off/);

  // "Failed to connect" alone could be anything: the probe decides.
  assert.equal(explainConnectionFailure(PLAIN_TO_TLS, { address: A, tls: false }), null);
  assert.ok(needsProbe(PLAIN_TO_TLS));
  const plainToTls = explainConnectionFailure(PLAIN_TO_TLS, {
    address: A,
    tls: false,
    probe: { tls: true, alpn: 'h2' },
  });
  assert.equal(plainToTls?.kind, 'plain-to-tls-server');
  assert.match(plainToTls.advice, /Turn on "Use TLS"/);

  const http = explainConnectionFailure(TO_HTTP_PORT, {
    address: 'orin:8000',
    tls: false,
    probe: { tls: false, http1Status: 200 },
  });
  assert.equal(http?.kind, 'http-port');
  assert.match(http.summary, /HTTP\/REST port/);
  assert.match(http.advice, /try port 8001/);
  // Without a probe the text still points there.
  assert.equal(explainConnectionFailure(TO_HTTP_PORT, { address: A, tls: false })?.kind, 'http-port');

  assert.equal(explainConnectionFailure(TO_HTTPS_PORT, { address: A, tls: true })?.kind, 'https-port');
  // TLS client, plain server that answers HTTP/1.1: that is the HTTP port, not merely "no TLS".
  assert.equal(
    explainConnectionFailure(TLS_TO_PLAIN, { address: A, tls: true, probe: { tls: false, http1Status: 400 } })?.kind,
    'http-port',
  );
});

test('failures: certificate problems name the field to change', () => {
  const untrusted = explainConnectionFailure(UNTRUSTED, { address: A, tls: true });
  assert.equal(untrusted?.kind, 'untrusted-certificate');
  assert.match(untrusted.advice, /CA certificate/);
  assert.equal(
    explainConnectionFailure(NO_CLIENT_CERT, { address: A, tls: true })?.kind,
    'client-certificate-required',
  );
  const name = explainConnectionFailure(BAD_NAME, { address: A, tls: true });
  assert.equal(name?.kind, 'name-mismatch');
  assert.match(name.advice, /Server name \(SNI\)".*\(DNS:localhost, IP Address:127\.0\.0\.1\)/);
  assert.equal(
    explainConnectionFailure('No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1', {
      address: '127.0.0.1:1',
      tls: false,
    })?.kind,
    'connection-refused',
  );
  // A text we do not recognise gets no made-up explanation.
  assert.equal(explainConnectionFailure('something else entirely', { address: A, tls: false }), null);
});
