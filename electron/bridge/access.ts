/**
 * Who may use the bridge. The per-run token arrives two ways: `Authorization: Bearer` (scripts) or
 * `?token=` (the printed URL, once). The first page load trades it for a cookie that holds a second,
 * separate per-run secret, never the token: cookies ignore ports, so Chromium also sends ours to any
 * other server on 127.0.0.1 (a notebook, a dev server), which could replay it; replayed as a Bearer
 * token or `?token=` it is refused, and as a cookie it is never enough alone. With the cookie a
 * request must come from our own page:
 *  - an Origin header equal to this server's origin (scheme, host and port), which browsers always
 *    send on WebSocket handshakes and cross-origin or non-GET requests;
 *  - for plain GETs (navigations, scripts, images), which carry no Origin, the browser's own
 *    `Sec-Fetch-Site: same-origin | none` (pages cannot set it; `same-site` is another port).
 * A request with any foreign Origin is refused whatever the token source. One-time login codes
 * (a short random code exchanged once for the cookie) let us open a browser without putting the
 * token on a command line.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { parseCookies, tokensEqual } from './security';

export type Refusal = { status: number; text: string };

const LOGIN_CODE_TTL_MS = 120_000;
const OWN_PAGE_FETCH_SITES = new Set(['same-origin', 'none']);

export class BridgeAccess {
  /** Fresh every run, so two instances never overwrite each other's cookie; not derived from the port. */
  readonly cookieName = `tritonscope_${randomBytes(9).toString('base64url')}`;
  /** What the cookie carries: accepted only as the cookie, under the own-page rules above. */
  readonly cookieValue = randomBytes(32).toString('base64url');
  private readonly loginCodes = new Map<string, number>();

  constructor(readonly token: string) {}

  /**
   * Host-only (no Domain), HttpOnly, SameSite=Strict. The `__Host-` prefix needs `Secure`, which the
   * bridge's plain-http scheme does not allow; the random per-run name and the Origin rule above
   * stand in for it.
   */
  setCookieHeader(): string {
    return `${this.cookieName}=${this.cookieValue}; HttpOnly; SameSite=Strict; Path=/`;
  }

  issueLoginCode(): string {
    const code = randomBytes(24).toString('base64url');
    this.loginCodes.set(code, Date.now() + LOGIN_CODE_TTL_MS);
    return code;
  }

  /** True once per issued code, within its lifetime. */
  redeemLoginCode(code: string): boolean {
    const now = Date.now();
    for (const [c, expiry] of this.loginCodes) if (expiry < now) this.loginCodes.delete(c);
    for (const c of this.loginCodes.keys()) {
      if (tokensEqual(code, c)) {
        this.loginCodes.delete(c);
        return true;
      }
    }
    return false;
  }

  /**
   * Checks one HTTP request or WebSocket upgrade. `ownOrigin` is this server's origin as named by
   * the request's (already validated) Host header.
   */
  check(req: IncomingMessage, url: URL, ownOrigin: string, kind: 'http' | 'ws'): Refusal | null {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== ownOrigin) return { status: 403, text: 'Forbidden origin' };
    const auth = req.headers.authorization;
    let given: string | undefined;
    let fromCookie = false;
    if (auth?.startsWith('Bearer ')) given = auth.slice(7).trim();
    else if (url.searchParams.has('token')) given = url.searchParams.get('token') ?? undefined;
    else {
      given = parseCookies(req.headers.cookie).get(this.cookieName);
      fromCookie = given !== undefined;
    }
    if (given === undefined)
      return {
        status: 401,
        text: 'Tritonscope: open the URL printed by `npm start` / `tritonscope ui` (it carries the access token)',
      };
    if (!tokensEqual(given, fromCookie ? this.cookieValue : this.token))
      return { status: 403, text: 'Tritonscope: wrong access token (the token changes every run)' };
    if (fromCookie && origin === undefined) {
      const site = req.headers['sec-fetch-site'];
      const ownPage = kind === 'http' && typeof site === 'string' && OWN_PAGE_FETCH_SITES.has(site);
      if (!ownPage)
        return {
          status: 403,
          text: 'Tritonscope: the access cookie alone is not enough (no Origin of this server); use the printed URL',
        };
    }
    return null;
  }
}
