/** What the middleware reads from the request: the session cookie, HTTPS, the path. */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { parseCookieHeader } from '../../cookies/parse.js';
import { unsignSessionId } from './signature.js';

/**
 * The session id in the request's cookie `name`, or `undefined` when there is none, it is
 * not signed, no secret verifies it, or the name is sent twice (S-07: which copy the
 * server sees would be the attacker's choice; express-session takes the first).
 */
export function sessionIdFromCookie(
  header: string | undefined,
  name: string,
  secrets: readonly string[],
): string | undefined {
  const cookies = parseCookieHeader(header);
  if (cookies.duplicates.has(name)) return undefined;
  const raw = cookies.values.get(name);
  return raw === undefined ? undefined : unsignSessionId(raw, secrets);
}

/**
 * Whether the request arrived over HTTPS, as express-session decides it: a TLS socket;
 * else with `proxy: true` the first `X-Forwarded-Proto`; with `proxy: false` never; unset,
 * Express's `req.secure` (which follows the app's "trust proxy" setting).
 */
export function isSecure(req: IncomingMessage, proxy: boolean | undefined): boolean {
  if ((req.socket as TLSSocket | undefined)?.encrypted === true) return true;
  if (proxy === false) return false;
  if (proxy !== true) return (req as { secure?: unknown }).secure === true;
  const header = req.headers['x-forwarded-proto'];
  const first = (typeof header === 'string' ? header : '').split(',')[0] ?? '';
  return first.trim().toLowerCase() === 'https';
}

/** The path of the URL the request was sent to (`originalUrl` under Express routers). */
export function originalPathname(req: IncomingMessage): string {
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  if (url.startsWith('/')) {
    const end = url.search(/[?#]/);
    return end === -1 ? url : url.slice(0, end) || '/';
  }
  try {
    return new URL(url).pathname || '/';
  } catch {
    return '/';
  }
}
