/**
 * Cookie name prefixes (RFC 6265bis §4.1.3; `__Http-`/`__Host-Http-` as shipped by
 * browsers and documented on MDN). A prefix is a promise the browser enforces: it
 * refuses a prefixed cookie whose attributes break the promise, so a subdomain or a
 * plain-HTTP network attacker cannot plant ("toss") a cookie under that name.
 *
 * User agents match prefixes case-insensitively (§5.4), so `__HOST-sid` must meet the
 * `__Host-` rules too; we do the same when checking, while names stay case-sensitive
 * everywhere else.
 */

/** What a name's prefix demands from its attributes. */
export interface PrefixRules {
  /** The prefix as spelled canonically, or `null` when the name has none. */
  readonly prefix: '__Host-Http-' | '__Host-' | '__Http-' | '__Secure-' | null;
  /** `Secure` is required (every prefix). */
  readonly secure: boolean;
  /** `HttpOnly` is required (`__Http-`, `__Host-Http-`). */
  readonly httpOnly: boolean;
  /** `Path=/` and no `Domain` are required (`__Host-`, `__Host-Http-`). */
  readonly hostOnly: boolean;
}

const NONE: PrefixRules = { prefix: null, secure: false, httpOnly: false, hostOnly: false };
const HOST_HTTP: PrefixRules = {
  prefix: '__Host-Http-',
  secure: true,
  httpOnly: true,
  hostOnly: true,
};
const HOST: PrefixRules = { prefix: '__Host-', secure: true, httpOnly: false, hostOnly: true };
const HTTP: PrefixRules = { prefix: '__Http-', secure: true, httpOnly: true, hostOnly: false };
const SECURE: PrefixRules = { prefix: '__Secure-', secure: true, httpOnly: false, hostOnly: false };

/** ASCII case-insensitive `startsWith`; `lowerPrefix` must already be lower-case. */
function startsWithIgnoreCase(name: string, lowerPrefix: string): boolean {
  const length = lowerPrefix.length;
  if (name.length < length) return false;
  for (let i = 0; i < length; i++) {
    let c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lowerPrefix.charCodeAt(i)) return false;
  }
  return true;
}

/** The rules a cookie named `name` must follow, matching prefixes case-insensitively. */
export function prefixRules(name: string): PrefixRules {
  // Every prefix starts with two underscores; most names do not, so this is the fast exit.
  if (name.charCodeAt(0) !== 0x5f || name.charCodeAt(1) !== 0x5f) return NONE;
  if (startsWithIgnoreCase(name, '__host-http-')) return HOST_HTTP;
  if (startsWithIgnoreCase(name, '__host-')) return HOST;
  if (startsWithIgnoreCase(name, '__http-')) return HTTP;
  if (startsWithIgnoreCase(name, '__secure-')) return SECURE;
  return NONE;
}

/** The attributes a prefix constrains. */
interface PrefixedAttributes {
  readonly secure?: boolean | undefined;
  readonly httpOnly?: boolean | undefined;
  readonly path?: string | undefined;
  readonly domain?: string | undefined;
}

/**
 * Why `attributes` break the rules of `name`'s prefix, or `null` if they do not. The
 * reason names the prefix and the attribute, never the cookie name itself.
 */
export function prefixViolation(name: string, attributes: PrefixedAttributes): string | null {
  const rules = prefixRules(name);
  if (rules.prefix === null) return null;
  if (attributes.secure !== true) return `a ${rules.prefix} cookie requires Secure`;
  if (rules.httpOnly && attributes.httpOnly !== true) {
    return `a ${rules.prefix} cookie requires HttpOnly`;
  }
  if (rules.hostOnly) {
    if (attributes.path !== '/') return `a ${rules.prefix} cookie requires Path=/`;
    if (attributes.domain !== undefined) return `a ${rules.prefix} cookie must not have a Domain`;
  }
  return null;
}
