/**
 * When a connection fails with a text that does not say why ("Failed to connect", "Protocol
 * error"), two small probes of the port tell the likely cause apart: does it complete a TLS
 * handshake (and with which ALPN protocol), and does it answer a plain HTTP/1.1 request? The HTTP
 * request is Triton's own health route (`GET /v2/health/live`), harmless on any server. Each probe
 * has a short timeout and its socket is always destroyed. Certificates are not checked here: the
 * question is only which protocol the port speaks.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { ProbeFindings } from '../../shared/connection';

const PROBE_TIMEOUT_MS = 1500;

function hostPort(address: string): { host: string; port: number } | null {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(address);
  return m ? { host: m[1] ?? m[2], port: Number(m[3]) } : null;
}

function probeTls(host: string, port: number, timeoutMs: number): Promise<Pick<ProbeFindings, 'tls' | 'alpn'>> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: Pick<ProbeFindings, 'tls' | 'alpn'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const socket = tls.connect({
      host,
      port,
      // SNI must be a host name; an IP address is not sent (RFC 6066).
      servername: net.isIP(host) ? undefined : host,
      rejectUnauthorized: false,
      ALPNProtocols: ['h2', 'http/1.1'],
    });
    const timer = setTimeout(() => finish({ tls: null }), timeoutMs);
    socket.once('secureConnect', () => finish({ tls: true, alpn: socket.alpnProtocol || null }));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      // A server that does not speak TLS answers the ClientHello with something that is not a TLS
      // record, or closes the connection: the handshake fails. A refused connection says nothing.
      const refused = err.code === 'ECONNREFUSED' || err.code === 'EHOSTUNREACH' || err.code === 'ENOTFOUND';
      // "no application protocol": it does speak TLS, just not h2 or http/1.1 by ALPN.
      if (/no application protocol|alert number 120/i.test(err.message)) finish({ tls: true, alpn: null });
      else finish({ tls: refused ? null : false });
    });
  });
}

function probeHttp1(host: string, port: number, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    let done = false;
    let head = '';
    const finish = (status: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(status);
    };
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.setEncoding('latin1');
    socket.once('connect', () => {
      const hostHeader = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      socket.write(`GET /v2/health/live HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: string) => {
      head += chunk;
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (m) finish(Number(m[1]));
      else if (head.length >= 12) finish(null);
    });
    socket.once('error', () => finish(null));
    socket.once('close', () => finish(null));
  });
}

/** Both probes, one after the other (a TLS server can get upset by garbage first). */
export async function probeEndpoint(address: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeFindings | null> {
  const hp = hostPort(address);
  if (!hp) return null;
  const t = await probeTls(hp.host, hp.port, timeoutMs);
  const http1Status = t.tls === true ? null : await probeHttp1(hp.host, hp.port, timeoutMs);
  return { ...t, http1Status };
}
