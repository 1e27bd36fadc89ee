/**
 * Browser mode: the same services behind a loopback HTTP + WebSocket server.
 *
 *  - HTTP serves the built renderer (GET/HEAD only) with the CSP and security headers.
 *  - The API is a WebSocket (/api/ws; the page and its frame worker each open one) speaking
 *    shared/contract/framing: binary frames, JSON header + raw tensor bytes, large frames in
 *    parts (frameParts); every request validated with the contract's zod schemas, exactly like
 *    Electron IPC (responses and events too in development).
 *  - Binds 127.0.0.1 unless `allowNonLoopback` is set explicitly.
 *  - A random per-run token (32 bytes from crypto.randomBytes) is required on EVERY request: the
 *    printed URL carries it once (?token=...); the first page load trades it for an HttpOnly,
 *    SameSite=Strict cookie with a per-run name and a secret of its own (not the token: other
 *    local servers receive our cookies) and redirects to the bare URL; API clients may also
 *    send it as `Authorization: Bearer ...` or `?token=` on the WebSocket URL. A one-time login
 *    code (?code=...) is exchanged once for the cookie (see ./launch: no token in any argv).
 *  - Host header must name us (DNS rebinding); a cookie alone is never enough and any foreign
 *    Origin is refused (see ./access).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  FrameAssembler,
  frameSegments,
  planFrame,
  writeFrame,
  type FramePlan,
  MAX_FRAME_BYTES,
  parseEvent,
  parseRequest,
  parseResponse,
  requireApiMethod,
  serializeError,
  type ApiEventName,
  type ApiHandlers,
  type WireMessage,
} from '../../shared/contract';
import type { ServiceEvents } from '../services/events';
import { BridgeAccess } from './access';
import {
  contentSecurityPolicy,
  isAllowedHostHeader,
  isLoopbackHost,
  nonLoopbackRefusal,
  mimeType,
  resolveStaticFile,
  securityHeaders,
} from './security';

export interface BridgeOptions {
  handlers: ApiHandlers;
  events: ServiceEvents;
  /** Built renderer (dist/renderer). Missing: pages answer 503 with how to build it. */
  staticDir: string;
  host?: string;
  port?: number;
  /** Required to bind anything but a loopback address. */
  allowNonLoopback?: boolean;
  /** Fixed token (tests); default: fresh random per run. */
  token?: string;
  validateResponses?: boolean;
  /** Concurrent calls per socket before new ones are refused (protects the 2-core machine). */
  maxInFlight?: number;
}

export interface Bridge {
  /** http://127.0.0.1:PORT/?token=... — the URL to open. */
  url: string;
  origin: string;
  port: number;
  host: string;
  token: string;
  cookieName: string;
  /** The cookie's value: a per-run secret of its own, not the token (./access). */
  cookieValue: string;
  /** A code for `${origin}/?code=…` that logs a browser in once, within two minutes. */
  issueLoginCode(): string;
  close(): Promise<void>;
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const host = opts.host ?? '127.0.0.1';
  const refusal = nonLoopbackRefusal(host, opts.allowNonLoopback);
  if (refusal) throw new Error(refusal);
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const validateResponses = opts.validateResponses ?? process.env.NODE_ENV !== 'production';
  const maxInFlight = opts.maxInFlight ?? 32;
  let staticRoot: string | null = null;
  try {
    staticRoot = realpathSync(opts.staticDir);
  } catch {
    staticRoot = null;
  }

  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();
  let port = 0;
  const access = new BridgeAccess(token);
  let allowedHosts = new Set<string>();
  let csp = contentSecurityPolicy();

  /** Our origin as the request names us (its Host header is checked against allowedHosts first). */
  const ownOrigin = (req: IncomingMessage) => `http://${String(req.headers.host).trim().toLowerCase()}`;

  const sendText = (res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, {
      ...securityHeaders(csp),
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      ...extra,
    });
    res.end(text + '\n');
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!isAllowedHostHeader(req.headers.host, allowedHosts, port)) return sendText(res, 421, 'unexpected Host header');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const code = url.searchParams.get('code');
    if (code !== null && url.pathname === '/' && req.method === 'GET') {
      if (!access.redeemLoginCode(code))
        return sendText(res, 403, 'Tritonscope: this login link was used already or has expired');
      // 200 + refresh rather than a 302: the browser came from a local file, and a redirect would
      // keep that cross-site initiator; the refresh is a navigation of our own page.
      res.writeHead(200, {
        ...securityHeaders(csp),
        'Set-Cookie': access.setCookieHeader(),
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        Refresh: '0;url=/',
      });
      return res.end('<!doctype html><title>Tritonscope</title><a href="/">Open Tritonscope</a>\n');
    }
    const refusal = access.check(req, url, ownOrigin(req), 'http');
    if (refusal) return sendText(res, refusal.status, refusal.text);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    if (url.searchParams.has('token')) {
      // Move the token from the URL into a cookie and drop it from the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(302, {
        ...securityHeaders(csp),
        'Set-Cookie': access.setCookieHeader(),
        Location: `${url.pathname}${url.search}`,
        'Cache-Control': 'no-store',
      });
      return res.end();
    }
    if (!staticRoot)
      return sendText(
        res,
        503,
        `the renderer is not built (${opts.staticDir} missing): run npm start, or npx vite build --config renderer/vite.config.ts`,
      );
    const file = resolveStaticFile(staticRoot, url.pathname);
    if (!file) return sendText(res, 404, 'not found');
    // One handle from size to bytes: the file may go (a renderer rebuild) between the lookup and the
    // read, and a throw or an unhandled stream error here would take browser mode down.
    let fd: number;
    let size: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return sendText(res, 404, 'not found');
    }
    try {
      size = fstatSync(fd).size;
    } catch {
      closeSync(fd);
      return sendText(res, 404, 'not found');
    }
    res.writeHead(200, {
      ...securityHeaders(csp),
      'Content-Type': mimeType(file),
      'Content-Length': String(size),
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      closeSync(fd);
      return res.end();
    }
    const body = createReadStream(file, { fd });
    // Headers are out: a failed read can only cut the response short (the client sees it truncated).
    body.on('error', () => res.destroy());
    body.pipe(res);
  });

  const refuseUpgrade = (socket: Duplex, status: number, text: string) => {
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`,
    );
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!isAllowedHostHeader(req.headers.host, allowedHosts, port))
      return refuseUpgrade(socket, 421, 'Misdirected Request');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname !== '/api/ws') return refuseUpgrade(socket, 404, 'Not Found');
    // Browsers always send Origin on WebSocket handshakes, so a cookie needs our exact Origin;
    // scripts authenticate with the token itself (Bearer or ?token=).
    const refusal = access.check(req, url, ownOrigin(req), 'ws');
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.status === 401 ? 'Unauthorized' : 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  });

  // Uninitialised memory for frames (every byte is written): a zeroed multi-megabyte buffer comes
  // fresh from the OS, and on a small VM its page faults cost more than the copy into it.
  const allocFrame = (byteLength: number) => Buffer.allocUnsafe(byteLength);
  const FRAGMENT_FROM_BYTES = 64 * 1024;
  const send = (ws: WebSocket, msg: WireMessage) => {
    if (ws.readyState !== ws.OPEN) return;
    let plan: FramePlan;
    try {
      plan = planFrame(msg);
    } catch (err) {
      if (msg.t !== 'result') return;
      plan = planFrame({ t: 'result', id: msg.id, ok: false, error: serializeError(err) });
    }
    if (plan.byteLength < FRAGMENT_FROM_BYTES) return ws.send(writeFrame(plan, allocFrame));
    // A large answer (output tensors) goes as one message in fragments: the header, then each
    // tensor's bytes as the client handed them over, so no frame-sized buffer is made for it.
    // Sent back to back in one go, so nothing else can come between the fragments.
    const segments = frameSegments(plan);
    segments.forEach((segment, i) => ws.send(segment, { binary: true, fin: i === segments.length - 1 }));
  };

  function onSocket(ws: WebSocket) {
    sockets.add(ws);
    let inFlight = 0;
    // A large frame may arrive in several messages (shared/contract/frameParts).
    const assembler = new FrameAssembler(allocFrame);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => ws.terminate());
    ws.on('message', async (data, isBinary) => {
      if (!isBinary) return ws.close(1003, 'binary frames only');
      let msg: WireMessage | null;
      try {
        msg = assembler.push(
          Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data,
        );
      } catch (err) {
        return ws.close(1007, (err as Error).message.slice(0, 120));
      }
      if (!msg) return; // more parts of this frame to come
      if (msg.t !== 'call' || !Number.isSafeInteger(msg.id)) return ws.close(1008, 'expected a call message');
      const id = msg.id;
      if (inFlight >= maxInFlight) {
        return send(ws, {
          t: 'result',
          id,
          ok: false,
          error: { code: 'RESOURCE_EXHAUSTED', message: `more than ${maxInFlight} calls in flight on one connection` },
        });
      }
      inFlight++;
      try {
        const method = requireApiMethod(msg.method);
        const request = parseRequest(method, msg.payload);
        const result = await (opts.handlers[method] as (r: unknown) => Promise<unknown>)(request);
        send(ws, { t: 'result', id, ok: true, payload: validateResponses ? parseResponse(method, result) : result });
      } catch (err) {
        send(ws, { t: 'result', id, ok: false, error: serializeError(err) });
      } finally {
        inFlight--;
      }
    });
  }

  const unsubscribe = opts.events.subscribe((event: ApiEventName, payload: unknown) => {
    if (sockets.size === 0) return;
    let checked = payload;
    if (validateResponses) {
      try {
        checked = parseEvent(event, payload);
      } catch (err) {
        process.emitWarning((err as Error).message);
        return;
      }
    }
    for (const ws of sockets) send(ws, { t: 'event', event, payload: checked });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  allowedHosts = new Set([urlHost.toLowerCase()]);
  if (isLoopbackHost(host)) for (const h of ['127.0.0.1', 'localhost', '[::1]']) allowedHosts.add(h);
  const origin = `http://${urlHost}:${port}`;
  // CSP host-sources cannot be IPv6 literals; [::1] pages still match 'self'.
  csp = contentSecurityPolicy([...allowedHosts].filter((h) => !h.startsWith('[')).map((h) => `ws://${h}:${port}`));

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    host,
    token,
    cookieName: access.cookieName,
    cookieValue: access.cookieValue,
    issueLoginCode: () => access.issueLoginCode(),
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
