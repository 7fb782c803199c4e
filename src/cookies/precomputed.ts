/**
 * A cookie whose name and attributes are validated and formatted once, so that writing
 * it per request is string concatenation plus a value check. The output is
 * byte-identical to {@link serializeCookie} with the same arguments (tested).
 */

import { InvalidCookieError } from '../errors.js';
import type { CookieAttributes } from './attributes.js';
import { MAX_COOKIE_AGE_SECONDS } from './attributes.js';
import { isCookieName, isCookieValue } from './grammar.js';
import { prefixRules } from './prefix.js';
import { MAX_COOKIE_LINE_BYTES, serializeCookie, serializeExpiredCookie } from './serialize.js';

/** Per-write choices for {@link ResolvedSessionCookie.serialize}. */
export interface CookieWriteOptions {
  /**
   * Cookie name to write instead of the resolved one: a chunk name such as
   * `__Host-sid.1`. It must be a token with the same prefix as the resolved name.
   * @default the resolved name
   */
  readonly name?: string;
  /**
   * Lifetime in seconds (`Max-Age`), for a persistent ("remember me") cookie; an integer,
   * capped at 400 days.
   * @default undefined - a browser-session cookie
   */
  readonly maxAge?: number;
}

/** A session cookie name with its attributes, validated and preformatted. */
export interface ResolvedSessionCookie {
  /** Final cookie name, including any `__Host-`/`__Secure-` prefix. */
  readonly name: string;
  /** The attributes, frozen; only set ones are present. */
  readonly attributes: Readonly<CookieAttributes>;
  /** Everything after the value in the `Set-Cookie` line, e.g. `; Path=/; HttpOnly`. */
  readonly suffix: string;
  /** Everything after `name=` in the line that deletes this cookie. */
  readonly expiredSuffix: string;
  /**
   * The `Set-Cookie` value carrying `value`.
   * @throws {InvalidCookieError} if `value` holds anything but cookie-octets, the name
   * is invalid or changes the prefix, `maxAge` is not an integer, or the line would
   * exceed 4096 bytes.
   */
  serialize(value: string, options?: CookieWriteOptions): string;
  /**
   * The `Set-Cookie` value that deletes this cookie (or the chunk `name` of it).
   * @throws {InvalidCookieError} if `name` is invalid or changes the prefix.
   */
  serializeExpired(name?: string): string;
}

/**
 * Validates `name` and `attributes` once (through {@link serializeCookie}) and returns the
 * preformatted cookie. `attributes` must not carry `maxAge` or `expires`: those vary per
 * write.
 *
 * @throws {InvalidCookieError} on any invalid name or attribute.
 */
export function precomputeCookie(
  name: string,
  attributes: CookieAttributes,
): ResolvedSessionCookie {
  if (attributes.maxAge !== undefined || attributes.expires !== undefined) {
    throw new InvalidCookieError('a precomputed cookie cannot carry maxAge or expires');
  }
  const frozen: Readonly<CookieAttributes> = Object.freeze({ ...attributes });
  const offset = name.length + 1;
  const suffix = serializeCookie(name, '', frozen).slice(offset);
  const expiredSuffix = serializeExpiredCookie(name, frozen).slice(offset);
  const rules = prefixRules(name);

  const checkName = (other: string): void => {
    // prefixRules returns shared constants, so identity means "same prefix".
    if (other !== name && (!isCookieName(other) || prefixRules(other) !== rules)) {
      throw new InvalidCookieError('cookie name is not a valid token with the same prefix');
    }
  };

  return Object.freeze({
    name,
    attributes: frozen,
    suffix,
    expiredSuffix,
    serialize(value: string, options?: CookieWriteOptions): string {
      const cookieName = options?.name ?? name;
      checkName(cookieName);
      if (typeof value !== 'string' || !isCookieValue(value)) {
        throw new InvalidCookieError('cookie value must consist of cookie-octets only');
      }
      let line = `${cookieName}=${value}`;
      const maxAge = options?.maxAge;
      if (maxAge !== undefined) {
        if (typeof maxAge !== 'number' || !Number.isInteger(maxAge)) {
          throw new InvalidCookieError('cookie maxAge must be an integer number of seconds');
        }
        // Max-Age is the first attribute `cookie` writes, so it goes before the suffix.
        line += `; Max-Age=${Math.min(maxAge, MAX_COOKIE_AGE_SECONDS)}`;
      }
      line += suffix;
      if (line.length > MAX_COOKIE_LINE_BYTES) {
        throw new InvalidCookieError(`cookie line would exceed ${MAX_COOKIE_LINE_BYTES} bytes`);
      }
      return line;
    },
    serializeExpired(cookieName: string = name): string {
      checkName(cookieName);
      return `${cookieName}=${expiredSuffix}`;
    },
  });
}
