/**
 * Reading and writing cookies exactly as the `cookies` package (0.9) does for
 * cookie-session, so responses carry the same `Set-Cookie` lines, attribute for attribute:
 * lower-case attribute names in a fixed order, `expires` (never `Max-Age`), `path=/` and
 * `httponly` unless turned off, and the `overwrite` filter.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The cookie attributes a session cookie is written with (cookie-session's options). */
export interface CookieAttributes {
  maxAge?: number | null | undefined;
  expires?: Date | undefined;
  path?: string | undefined;
  domain?: string | undefined;
  partitioned?: boolean | undefined;
  priority?: 'low' | 'medium' | 'high' | undefined;
  sameSite?: 'strict' | 'lax' | 'none' | boolean | undefined;
  secure?: boolean | undefined;
  httpOnly?: boolean | undefined;
  overwrite?: boolean | undefined;
}

// RFC 7230 field-content, and the characters `cookies` refuses in names and values.
const FIELD_CONTENT = /^[\t\u0020-\u007e\u0080-\u00ff]+$/;
const RESTRICTED_NAME = /[;=]/;
const RESTRICTED_VALUE = /[;]/;
const PRIORITY = /^(?:low|medium|high)$/i;
const SAME_SITE = /^(?:lax|none|strict)$/i;
const EPOCH = new Date(0);

/**
 * The first `name=value` pair of the `Cookie` header (as `cookies` finds it), without
 * surrounding double quotes; `undefined` when absent.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined || header === '') return undefined;
  let first = 0;
  while (header.charCodeAt(first) === 32) first++;
  let at = header.startsWith(`${name}=`, first) ? first : -1;
  for (let from = 0; at < 0; ) {
    const semi = header.indexOf(';', from);
    if (semi < 0) return undefined;
    let start = semi + 1;
    while (header.charCodeAt(start) === 32) start++;
    if (header.startsWith(`${name}=`, start)) at = start;
    from = semi + 1;
  }
  const valueStart = at + name.length + 1;
  const end = header.indexOf(';', valueStart);
  let value = header.slice(valueStart, end < 0 ? header.length : end);
  if (value.startsWith('"')) value = value.slice(1, -1);
  return value;
}

/**
 * One `Set-Cookie` line. An empty value expires the cookie (epoch, no `maxAge`).
 * @throws TypeError - for names, values or attributes `cookies` refuses (the caller
 * drops the cookie, as cookie-session does).
 */
export function serializeCookie(
  name: string,
  value: string,
  attributes: CookieAttributes,
  secure: boolean,
  now: number,
): string {
  if (!FIELD_CONTENT.test(name) || RESTRICTED_NAME.test(name)) {
    throw new TypeError('argument name is invalid');
  }
  if (value !== '' && (!FIELD_CONTENT.test(value) || RESTRICTED_VALUE.test(value))) {
    throw new TypeError('argument value is invalid');
  }
  const path = attributes.path ?? '/';
  const { domain, priority, sameSite } = attributes;
  let expires = value === '' ? EPOCH : attributes.expires;
  const maxAge = value === '' ? null : attributes.maxAge;
  if (path && !FIELD_CONTENT.test(path)) throw new TypeError('option path is invalid');
  if (domain && !FIELD_CONTENT.test(domain)) throw new TypeError('option domain is invalid');
  if (typeof maxAge === 'number' ? !Number.isFinite(maxAge) : maxAge) {
    throw new TypeError('option maxAge is invalid');
  }
  if (priority && !PRIORITY.test(priority)) throw new TypeError('option priority is invalid');
  if (sameSite && sameSite !== true && !SAME_SITE.test(sameSite)) {
    throw new TypeError('option sameSite is invalid');
  }
  if (maxAge) expires = new Date(now + maxAge);
  let line = `${name}=${value}`;
  if (path) line += `; path=${path}`;
  if (expires) line += `; expires=${expires.toUTCString()}`;
  if (domain) line += `; domain=${domain}`;
  if (priority) line += `; priority=${priority.toLowerCase()}`;
  if (sameSite) line += `; samesite=${sameSite === true ? 'strict' : sameSite.toLowerCase()}`;
  if (secure) line += '; secure';
  if (attributes.httpOnly ?? true) line += '; httponly';
  if (attributes.partitioned) line += '; partitioned';
  return line;
}

/** True when the request arrived over TLS, as `cookies` decides it (Express's `req.protocol`). */
export function isSecureRequest(req: IncomingMessage): boolean {
  if ((req as { protocol?: unknown }).protocol === 'https') return true;
  return (req.socket as { encrypted?: boolean } | null)?.encrypted === true;
}

/**
 * Appends `line` to the response's `Set-Cookie`, first removing earlier lines for the
 * same cookie name when `overwrite` is set (the `cookies` rule: any path or domain).
 */
export function appendSetCookie(
  res: ServerResponse,
  name: string,
  line: string,
  overwrite: boolean,
): void {
  const current = res.getHeader('set-cookie');
  let lines: string[];
  if (current === undefined) lines = [];
  else if (Array.isArray(current)) lines = current.slice();
  else lines = [String(current)];
  if (overwrite) lines = lines.filter((existing) => !existing.startsWith(`${name}=`));
  lines.push(line);
  res.setHeader('set-cookie', lines);
}
