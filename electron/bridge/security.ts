/**
 * Security policy shared by the Electron shell (app:// protocol) and the browser-mode bridge:
 * the Content Security Policy, the other response headers, path-traversal-safe static file
 * resolution, and the token/Host/Origin checks of the bridge.
 */
import { timingSafeEqual } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';

/**
 * default-src 'self' and no 'unsafe-eval'/'unsafe-inline' for scripts. style-src allows inline
 * styles because CodeMirror injects its theme as <style> elements. Images and media may be blob:
 * and data: (frames the user opens are shown through object URLs). `connectSrc` adds the bridge's
 * WebSocket origin (older engines do not count ws: as 'self').
 */
export function contentSecurityPolicy(connectSrc: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self'${connectSrc.map((c) => ` ${c}`).join('')}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  };
}

export const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path to a file inside `root` (which must be a real path), or null. Decodes once,
 * refuses NUL, backslashes, `..` segments and dot-files, then checks the realpath (symlinks) is
 * still inside the root. Paths without an extension fall back to index.html (single-page app).
 */
export function resolveStaticFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return null;
  const candidates = segments.length === 0 ? ['index.html'] : [segments.join('/')];
  if (segments.length && !extname(segments[segments.length - 1])) candidates.push('index.html');
  for (const rel of candidates) {
    const p = join(root, rel);
    try {
      const real = realpathSync(p);
      if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
      if (statSync(real).isFile()) return real;
    } catch {
      /* try the next candidate */
    }
  }
  return null;
}

/** Constant-time comparison of two tokens (length is not secret: tokens have a fixed length). */
export function tokensEqual(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Why the bridge will not listen on `host` (null: it will): the API can read model repositories. */
export function nonLoopbackRefusal(host: string, allowNonLoopback: boolean | undefined): string | null {
  return isLoopbackHost(host) || allowNonLoopback
    ? null
    : `refusing to listen on ${host}: only loopback addresses unless --allow-non-loopback is given (the API can read model repositories)`;
}

/**
 * DNS-rebinding defence: a page on evil.example resolving to 127.0.0.1 still sends
 * `Host: evil.example:PORT`. We accept only the names we are reachable under, with our port.
 */
export function isAllowedHostHeader(
  hostHeader: string | undefined,
  allowedHosts: ReadonlySet<string>,
  port: number,
): boolean {
  const parsed = hostHeader ? parseHostHeader(hostHeader) : null;
  if (!parsed) return false;
  if ((parsed.port ?? 80) !== port) return false;
  return allowedHosts.has(parsed.name);
}

/** A Host header (`name`, `name:port`, `[v6]:port`) as its lower-cased name and port; null if malformed. */
export function parseHostHeader(hostHeader: string): { name: string; port?: number } | null {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.trim().toLowerCase());
  if (!m) return null;
  return m[2] === undefined ? { name: m[1] } : { name: m[1], port: Number(m[2]) };
}
