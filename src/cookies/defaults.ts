/**
 * Secure defaults for the session cookie and the choice of its name prefix (S-18, S-19).
 * Options are validated once, at startup; each request then picks one of two
 * precomputed variants (secure or plain-HTTP request).
 */

import { InvalidCookieError, InvalidOptionsError } from '../errors.js';
import type { CookieAttributes } from './attributes.js';
import { isCookieDomain, isCookieName, isCookiePath } from './grammar.js';
import type { ResolvedSessionCookie } from './precomputed.js';
import { precomputeCookie } from './precomputed.js';
import { prefixRules } from './prefix.js';

export type { ResolvedSessionCookie } from './precomputed.js';

/** Name and attributes of the session cookie. Every field is optional. */
export interface SessionCookieOptions {
  /**
   * Base cookie name. A `__Host-` or `__Secure-` prefix is added automatically (see
   * `prefix`); a name that already starts with a prefix is kept and its rules enforced.
   * @default 'sid' (generic, so the cookie does not reveal the framework)
   */
  name?: string;
  /**
   * Send `Secure`. `'auto'` marks the cookie Secure when the request is HTTPS (as the
   * adapter reports it, honouring its trusted-proxy setting).
   * @default 'auto'. Security: `'auto'` exists for `http://localhost` development, where
   * the cookie is then bare (`sid`, no Secure, no prefix) because browsers disagree on
   * Secure cookies over plain-HTTP localhost. Behind a TLS-terminating proxy that the
   * adapter does not trust, set `true` so the cookie stays Secure (S-19). A prefixed
   * name, `sameSite: 'none'` or `partitioned` force Secure.
   */
  secure?: boolean | 'auto';
  /**
   * `SameSite` policy. `'none'` requires Secure.
   * @default 'lax'. Security: `'strict'` also withholds the cookie on top-level
   * navigations from other sites; `'none'` sends it on every cross-site request.
   */
  sameSite?: 'strict' | 'lax' | 'none';
  /**
   * `Domain` to share the cookie with subdomains.
   * @default undefined (host-only). Security: any subdomain can then read and overwrite
   * the session cookie; the name gets `__Secure-` instead of `__Host-`.
   */
  domain?: string;
  /** `Path` of the cookie. @default '/' (anything else forgoes `__Host-`) */
  path?: string;
  /** `HttpOnly`: keep the session id away from page scripts. @default true */
  httpOnly?: boolean;
  /** `Partitioned` (CHIPS), for sessions inside third-party iframes. @default false */
  partitioned?: boolean;
  /** Chromium's `Priority` attribute. @default undefined (medium) */
  priority?: 'low' | 'medium' | 'high';
  /**
   * `'auto'`: a Secure cookie gets `__Host-` (no Domain, Path `/`) or otherwise
   * `__Secure-`, so browsers refuse cookies tossed from subdomains or plain HTTP.
   * `'none'`: the name is used as given.
   * @default 'auto'
   */
  prefix?: 'auto' | 'none';
}

/** The session cookie compiled from options, with both variants precomputed. */
export interface CompiledSessionCookie {
  /** The variant for a request: HTTPS (`true`) or plain HTTP (`false`). */
  forRequest(requestIsSecure: boolean): ResolvedSessionCookie;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new InvalidCookieError(message);
}

/**
 * Validates the options once and precomputes the cookie for secure and for plain-HTTP
 * requests.
 *
 * @throws {InvalidCookieError} for an invalid name, domain, path, sameSite or priority,
 * or attributes that break the name's prefix (e.g. `__Host-` with a Domain), or
 * `secure: false` combined with something that requires Secure.
 * @throws {InvalidOptionsError} for an invalid `secure` or `prefix` choice.
 */
export function compileSessionCookie(options: SessionCookieOptions = {}): CompiledSessionCookie {
  const { name = 'sid', secure = 'auto', prefix = 'auto', path = '/', domain } = options;
  const { sameSite = 'lax', httpOnly = true, partitioned = false, priority } = options;
  check(typeof name === 'string' && isCookieName(name), 'session cookie name is not a valid token');
  check(typeof path === 'string' && isCookiePath(path), 'session cookie path is invalid');
  check(
    domain === undefined || (typeof domain === 'string' && isCookieDomain(domain)),
    'session cookie domain is invalid',
  );
  if (secure !== true && secure !== false && secure !== 'auto') {
    throw new InvalidOptionsError("session cookie secure must be true, false or 'auto'");
  }
  if (prefix !== 'auto' && prefix !== 'none') {
    throw new InvalidOptionsError("session cookie prefix must be 'auto' or 'none'");
  }
  const named = prefixRules(name).prefix !== null;
  const needsSecure = named || sameSite === 'none' || partitioned === true;
  check(
    !(secure === false && needsSecure),
    'secure: false conflicts with a prefixed name, sameSite none or partitioned',
  );

  const variant = (isSecure: boolean): ResolvedSessionCookie => {
    const attributes: CookieAttributes = { path, httpOnly, sameSite };
    if (domain !== undefined) attributes.domain = domain;
    if (isSecure) attributes.secure = true;
    if (partitioned) attributes.partitioned = true;
    if (priority !== undefined) attributes.priority = priority;
    let finalName = name;
    if (isSecure && !named && prefix === 'auto') {
      finalName = domain === undefined && path === '/' ? `__Host-${name}` : `__Secure-${name}`;
    }
    // serializeCookie (inside) checks sameSite, priority, booleans and prefix rules.
    return precomputeCookie(finalName, attributes);
  };

  // secure: false uses the plain variant everywhere, secure: true (or anything that
  // requires Secure) the secure one; only 'auto' tells the two requests apart.
  const secureVariant = variant(secure !== false);
  const plainVariant = secure === 'auto' && !needsSecure ? variant(false) : secureVariant;
  return Object.freeze({
    forRequest(requestIsSecure: boolean): ResolvedSessionCookie {
      return requestIsSecure ? secureVariant : plainVariant;
    },
  });
}

/**
 * The session cookie name and attributes for one request: `compileSessionCookie(options)
 * .forRequest(requestIsSecure)`. Compile once instead when serving many requests.
 *
 * With the defaults: an HTTPS request gets `__Host-sid` with `Path=/; HttpOnly; Secure;
 * SameSite=Lax` (no Domain, no Max-Age); a plain-HTTP request gets `sid` without Secure.
 *
 * @throws as {@link compileSessionCookie}.
 */
export function resolveSessionCookie(
  options: SessionCookieOptions,
  requestIsSecure: boolean,
): ResolvedSessionCookie {
  return compileSessionCookie(options).forRequest(requestIsSecure);
}
