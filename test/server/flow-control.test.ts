/**
 * HTTP/2 flow-control windows on both ends of our gRPC (electron/server/flowControl.ts and
 * electron/triton/connection.ts): each side tells its peer it may send 8 MiB before waiting, in
 * SETTINGS (every stream) and a WINDOW_UPDATE on stream 0 (the connection). Observed from the peer's
 * side with plain node:http2, which is what decides how much the other end sends at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmbeddedServer } from '../../electron/server';
import { FLOW_CONTROL_WINDOW_BYTES as SERVER_WINDOW } from '../../electron/server/flowControl';
import { FLOW_CONTROL_WINDOW_BYTES as CLIENT_WINDOW } from '../../electron/triton/connection';
import { TritonClient } from '../../electron/triton';

const HTTP2_DEFAULT_WINDOW = 65_535;

/** The session's send window once the peer's WINDOW_UPDATE has arrived (or the last value seen). */
async function connectionSendWindow(session: http2.Http2Session): Promise<number | undefined> {
  for (let i = 0; i < 100 && (session.state.remoteWindowSize ?? 0) <= HTTP2_DEFAULT_WINDOW; i++) await sleep(10);
  return session.state.remoteWindowSize;
}

test('the embedded server lets a client send 8 MiB per stream and per connection before it waits', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'flow-control-'));
  const server = await startEmbeddedServer({ modelRepository: repo });
  const session = http2.connect(`http://${server.url}`);
  try {
    const settings = await new Promise<http2.Settings>((done, fail) => {
      session.once('remoteSettings', done);
      session.once('error', fail);
    });
    assert.equal(settings.initialWindowSize, SERVER_WINDOW);
    assert.equal(await connectionSendWindow(session), SERVER_WINDOW);
  } finally {
    session.destroy();
    await server.close();
    rmSync(repo, { recursive: true, force: true });
  }
});

test('TritonClient lets a server send 8 MiB per stream and per connection before it waits', async () => {
  const peer = http2.createServer();
  const sessions: http2.ServerHttp2Session[] = [];
  const settings = new Promise<http2.Settings>((done) =>
    peer.on('session', (session) => {
      sessions.push(session);
      session.once('remoteSettings', done);
    }),
  );
  peer.on('stream', (stream) =>
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { endStream: true }),
  );
  await new Promise<void>((done) => peer.listen(0, '127.0.0.1', done));
  const { port } = peer.address() as { port: number };
  const client = new TritonClient({ url: `127.0.0.1:${port}`, timeoutMs: 5_000 });
  try {
    await client.serverLive().catch(() => undefined); // the peer answers no gRPC; the connection is what counts
    assert.equal((await settings).initialWindowSize, CLIENT_WINDOW);
    assert.equal(await connectionSendWindow(sessions[0]), CLIENT_WINDOW);
  } finally {
    client.close();
    for (const s of sessions) s.destroy();
    await new Promise((done) => peer.close(done));
  }
});
