/**
 * The attributes of a `Set-Cookie` header, and the compile-time form of the prefix rules.
 */

/** Longest lifetime a user agent keeps a cookie: 400 days in seconds (RFC 6265bis §5.5). */
export const MAX_COOKIE_AGE_SECONDS = 34_560_000;

/** Attributes of one `Set-Cookie` header line. Every field is optional. */
export interface CookieAttributes {
  /**
   * Lifetime in seconds, emitted as
   * [`Max-Age`](https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-the-max-age-attribute).
   * Must be an integer; `0` or less tells the browser to delete the cookie now. Values
   * above 400 days are capped to 400 days, as browsers do anyway (RFC 6265bis §5.5).
   *
   * @default undefined - a session cookie, deleted when the browser decides the session
   * ends. Security: prefer no lifetime for session ids; when a lifetime is wanted
   * ("remember me"), keep it no longer than the server-side absolute timeout.
   */
  maxAge?: number;
  /**
   * Expiry instant, emitted as
   * [`Expires`](https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-the-expires-attribute)
   * in IMF-fixdate form. When both are set, browsers follow `maxAge`; set them to the same
   * instant. Must be a valid `Date`.
   *
   * @default undefined. Security: the browser's expiry is a hint to the client, never an
   * access control; the server enforces its own timeouts.
   */
  expires?: Date;
  /**
   * Host the cookie is sent to, emitted as
   * [`Domain`](https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-the-domain-attribute).
   * Must be a plain host name (letters, digits, inner hyphens; a leading dot is allowed
   * and ignored by browsers).
   *
   * @default undefined - host-only: sent to exactly the host that set it. Security: a
   * Domain shares the cookie with every subdomain, and lets any subdomain overwrite it;
   * leave it unset unless you need that. `__Host-` cookies forbid it.
   */
  domain?: string;
  /**
   * Path prefix the cookie is sent for, emitted as
   * [`Path`](https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-the-path-attribute).
   * Must start with `/` and contain only printable ASCII without `;` (at most 1024 chars).
   *
   * @default undefined - the browser uses the directory of the request URL. Security:
   * Path is not a security boundary (pages on other paths of the origin can read the
   * cookie); `__Host-` cookies require `/`.
   */
  path?: string;
  /**
   * Emit [`Secure`](https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-the-secure-attribute):
   * the browser sends the cookie over HTTPS only (and to `http://localhost`).
   *
   * @default false. Security: required by every name prefix, by `SameSite=None` and by
   * `Partitioned`; always set it for session cookies in production.
   */
  secure?: boolean;
  /**
   * Emit [`HttpOnly`](https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-the-httponly-attribute):
   * page scripts cannot read the cookie through `document.cookie`.
   *
   * @default false. Security: set it for session ids so an XSS bug cannot steal them.
   */
  httpOnly?: boolean;
  /**
   * Cross-site policy, emitted as
   * [`SameSite`](https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-the-samesite-attribute):
   * `'strict'` (never sent on cross-site requests), `'lax'` (sent on top-level
   * navigations only) or `'none'` (always sent; requires `secure`).
   *
   * @default undefined - browsers then apply their own default, which differs between
   * them. Security: set it explicitly; `'lax'` or `'strict'` is a CSRF defence in depth.
   */
  sameSite?: 'strict' | 'lax' | 'none';
  /**
   * Emit [`Partitioned`](https://datatracker.ietf.org/doc/html/draft-cutler-httpbis-partitioned-cookies):
   * the browser keys the cookie by the top-level site (CHIPS), for embedded third-party
   * use. Requires `secure`.
   *
   * @default false
   */
  partitioned?: boolean;
  /**
   * Eviction priority, emitted as
   * [`Priority`](https://datatracker.ietf.org/doc/html/draft-west-cookie-priority-00#section-4.1)
   * (Chromium only). `'high'` makes the cookie among the last evicted when the browser
   * trims a full cookie jar.
   *
   * @default undefined - the browser treats it as `'medium'`.
   */
  priority?: 'low' | 'medium' | 'high';
}

/**
 * {@link CookieAttributes} narrowed by the cookie name's prefix, so that a literal name
 * such as `'__Host-sid'` with missing `secure: true` or `path: '/'` fails to compile.
 * The same rules are checked at runtime, case-insensitively, for names not known
 * statically.
 */
export type CookieAttributesFor<Name extends string> = Name extends `__Host-Http-${string}`
  ? CookieAttributes & { secure: true; httpOnly: true; path: '/'; domain?: undefined }
  : Name extends `__Host-${string}`
    ? CookieAttributes & { secure: true; path: '/'; domain?: undefined }
    : Name extends `__Http-${string}`
      ? CookieAttributes & { secure: true; httpOnly: true }
      : Name extends `__Secure-${string}`
        ? CookieAttributes & { secure: true }
        : CookieAttributes;
