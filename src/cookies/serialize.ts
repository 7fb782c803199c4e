/**
 * `Set-Cookie` serialization that refuses to emit anything unsafe (S-20): the `cookie`
 * package formats the line, and every input is checked here first, with messages that
 * never echo the offending name, value or attribute (it may hold a secret or control
 * characters meant for header injection).
 */

import type { SerializeOptions } from 'cookie';
import { serialize } from 'cookie';
import { InvalidCookieError } from '../errors.js';
import type { CookieAttributes, CookieAttributesFor } from './attributes.js';
import { MAX_COOKIE_AGE_SECONDS } from './attributes.js';
import { isCookieDomain, isCookieName, isCookiePath, isCookieValue } from './grammar.js';
import { prefixViolation } from './prefix.js';

/**
 * Longest `Set-Cookie` line (and so also `name=value`) we emit, in bytes. RFC 6265bis
 * §5.6 makes browsers drop a cookie whose name and value exceed 4096 octets; we bound the
 * whole line so that no browser or proxy limit on the header truncates the attributes.
 */
export const MAX_COOKIE_LINE_BYTES = 4096;

/** The attributes argument: optional, unless the name's prefix makes some mandatory. */
export type CookieAttributesArgument<Name extends string> =
  Partial<CookieAttributesFor<Name>> extends CookieAttributesFor<Name>
    ? [attributes?: CookieAttributesFor<Name>]
    : [attributes: CookieAttributesFor<Name>];

/** Already-validated value formatting: our values are cookie-octets, never re-encoded. */
const identity = (value: string): string => value;

/** `Expires` of a deletion cookie: the epoch, long past on every client clock. */
const EPOCH = new Date(0);

function invalid(message: string): never {
  throw new InvalidCookieError(message);
}

function optionalBoolean(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') invalid(`cookie ${field} must be a boolean`);
  return value;
}

/** Checks every attribute and translates them into `cookie`'s options. */
function toSerializeOptions(name: string, attributes: CookieAttributes): SerializeOptions {
  const options: SerializeOptions = { encode: identity };
  const { maxAge, expires, domain, path, sameSite, priority } = attributes;
  if (maxAge !== undefined) {
    if (typeof maxAge !== 'number' || !Number.isInteger(maxAge)) {
      invalid('cookie maxAge must be an integer number of seconds');
    }
    options.maxAge = Math.min(maxAge, MAX_COOKIE_AGE_SECONDS);
  }
  if (expires !== undefined) {
    if (!(expires instanceof Date) || !Number.isFinite(expires.getTime())) {
      invalid('cookie expires must be a valid Date');
    }
    options.expires = expires;
  }
  if (domain !== undefined) {
    if (typeof domain !== 'string' || !isCookieDomain(domain)) invalid('cookie domain is invalid');
    options.domain = domain;
  }
  if (path !== undefined) {
    if (typeof path !== 'string' || !isCookiePath(path)) invalid('cookie path is invalid');
    options.path = path;
  }
  const secure = optionalBoolean(attributes.secure, 'secure');
  const partitioned = optionalBoolean(attributes.partitioned, 'partitioned');
  if (optionalBoolean(attributes.httpOnly, 'httpOnly')) options.httpOnly = true;
  if (secure) options.secure = true;
  if (partitioned) {
    if (!secure) invalid('a Partitioned cookie requires Secure');
    options.partitioned = true;
  }
  if (priority !== undefined) {
    if (priority !== 'low' && priority !== 'medium' && priority !== 'high') {
      invalid("cookie priority must be 'low', 'medium' or 'high'");
    }
    options.priority = priority;
  }
  if (sameSite !== undefined) {
    if (sameSite !== 'strict' && sameSite !== 'lax' && sameSite !== 'none') {
      invalid("cookie sameSite must be 'strict', 'lax' or 'none'");
    }
    if (sameSite === 'none' && !secure) invalid('SameSite=None requires Secure');
    options.sameSite = sameSite;
  }
  const violation = prefixViolation(name, attributes);
  if (violation !== null) invalid(violation);
  return options;
}

/**
 * Formats one `Set-Cookie` header value, e.g.
 * `serializeCookie('__Host-sid', v, { secure: true, path: '/', httpOnly: true, sameSite: 'lax' })`
 * gives `__Host-sid=v; Path=/; HttpOnly; Secure; SameSite=Lax`.
 *
 * `value` is written as is and must already consist of cookie-octets (Tessera's values
 * are base64url); it is not percent-encoded.
 *
 * @throws {InvalidCookieError} (a `TypeError`) if the name is not an RFC 9110 token, the
 * value holds anything but cookie-octets, an attribute is malformed, `SameSite=None` or
 * `Partitioned` lacks `Secure`, a name prefix's rules are broken (`__Host-`, `__Secure-`,
 * `__Http-`, `__Host-Http-`, matched case-insensitively), or the line would exceed 4096
 * bytes. Nothing is returned in that case, so no header can be emitted.
 */
export function serializeCookie<Name extends string>(
  name: Name,
  value: string,
  ...[attributes]: CookieAttributesArgument<Name>
): string {
  if (typeof name !== 'string' || !isCookieName(name)) invalid('cookie name is not a valid token');
  if (typeof value !== 'string' || !isCookieValue(value)) {
    invalid('cookie value must consist of cookie-octets only');
  }
  if (attributes !== undefined && (typeof attributes !== 'object' || attributes === null)) {
    invalid('cookie attributes must be an object');
  }
  const options = toSerializeOptions(name, attributes ?? {});
  let line: string;
  try {
    line = serialize(name, value, options);
  } catch {
    // Unreachable while our checks are at least as strict as cookie's; its messages
    // echo the input, so they must not escape.
    invalid('cookie could not be serialized');
  }
  // Every character was checked to be ASCII (Date strings are too), so length = bytes.
  if (line.length > MAX_COOKIE_LINE_BYTES) {
    invalid(`cookie line would exceed ${MAX_COOKIE_LINE_BYTES} bytes`);
  }
  return line;
}

/**
 * Formats a `Set-Cookie` value that deletes the cookie `name`: empty value, `Max-Age=0`
 * and an `Expires` in the past, with the same Domain, Path and other attributes as the
 * cookie being deleted (a browser only replaces a cookie with the same name, Domain and
 * Path). Any `maxAge`/`expires` in `attributes` is ignored.
 *
 * @throws {InvalidCookieError} under the same rules as {@link serializeCookie}.
 */
export function serializeExpiredCookie<Name extends string>(
  name: Name,
  ...[attributes]: CookieAttributesArgument<Name>
): string {
  const expired: CookieAttributes = { ...attributes, maxAge: 0, expires: EPOCH };
  return serializeCookie(name as string, '', expired);
}
