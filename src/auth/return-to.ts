/**
 * Return URLs that cannot leave the site (S-42, S-43): the page a user is sent back to
 * after signing in comes from the request (`?returnTo=`, a form field), so an attacker
 * can make it anything. Only same-origin relative paths are accepted, and what is
 * returned is the path as the WHATWG URL parser re-serialized it, never the raw input.
 *
 * Why each rule exists (browsers differ from one another and from Node):
 * - `//evil.example`, `/\evil.example`, `\\evil` are protocol-relative in browsers
 *   (backslashes count as slashes in http(s) URLs), so a second character of `/` or `\`
 *   and any backslash are refused;
 * - browsers strip ASCII tab and newline anywhere in a URL, so `/\t/evil.example` becomes
 *   `//evil.example`: control characters and whitespace are refused;
 * - `/..//evil.example` resolves to the path `//evil.example`, which a relative
 *   `Location` would turn into another host: the resolved path is checked too;
 * - servers and proxies may decode a value once or twice more (`%2F`, `%252F`): every
 *   decoding layer obeys the same rules.
 */

/** Longest accepted return URL, in UTF-16 code units (S-42). */
export const MAX_RETURN_TO_LENGTH = 2048;

/** A fixed base for resolving: only whether the origin stays the same matters. */
const BASE = 'https://return-to.invalid';
const BASE_ORIGIN = new URL(BASE).origin;
/** Decoding layers checked before a value is refused as too deeply encoded. */
const MAX_DECODE_LAYERS = 4;
const PERCENT_ESCAPE = /%([0-9A-Fa-f]{2})/g;
const HAS_PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;
/** Every Unicode space and line separator (`\s` covers U+FEFF too), and the backslash. */
const SPACE_OR_BACKSLASH = /[\s\\]/;

/** True when `text` holds a character below `below`, or DEL, or (with `c1`) a C1 control. */
function hasControl(text: string, below: number, c1: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < below || c === 0x7f || (c1 && c >= 0x80 && c <= 0x9f)) return true;
  }
  return false;
}

/** Raw input: no C0 or C1 control, no DEL, no whitespace, no backslash. */
function hasForbiddenRaw(text: string): boolean {
  return hasControl(text, 0x21, true) || SPACE_OR_BACKSLASH.test(text);
}

/**
 * A decoded layer holds bytes as characters, so only ASCII is judged: no control, no DEL,
 * no backslash (an encoded space is harmless; UTF-8 bytes of U+0080 and up are not C1).
 */
function hasForbiddenDecoded(text: string): boolean {
  return hasControl(text, 0x20, false) || text.includes('\\');
}

/** Starts with exactly one `/` (or is `/`), and the second character is not `/` or `\`. */
function startsWithOneSlash(text: string): boolean {
  if (text.charCodeAt(0) !== 0x2f) return false;
  const second = text.charCodeAt(1);
  return second !== 0x2f && second !== 0x5c;
}

/** One percent-decoding pass over the escapes, byte by byte (never throws). */
function decodeOnce(text: string): string {
  return text.replace(PERCENT_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The resolved path, query and fragment of `text` when it stays on the site, else `null`. */
function resolveOnSite(text: string): string | null {
  let resolved: URL;
  try {
    resolved = new URL(text, BASE);
  } catch {
    return null;
  }
  if (resolved.origin !== BASE_ORIGIN || !startsWithOneSlash(resolved.pathname)) return null;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

/**
 * Every percent-decoding of `text` (up to four) is still a path on this site, before and
 * after resolving: a server or proxy that decodes once more must not find another host.
 */
function decodedLayersAreSafe(text: string): boolean {
  let layer = text;
  for (let round = 0; round < MAX_DECODE_LAYERS; round++) {
    if (!HAS_PERCENT_ESCAPE.test(layer)) return true;
    layer = decodeOnce(layer);
    if (hasForbiddenDecoded(layer) || !startsWithOneSlash(layer)) return false;
    if (resolveOnSite(layer) === null) return false;
  }
  return !HAS_PERCENT_ESCAPE.test(layer);
}

/**
 * `value` as a same-origin path (`/account?tab=keys#top`) when it is safe to redirect to,
 * else `fallback`.
 *
 * Accepted: a string of at most 2,048 characters that is `/` or starts with one `/`
 * followed by anything but `/` or `\`; that holds no backslash, control character or
 * whitespace, raw or percent-encoded (at any depth up to four decodings); and whose
 * resolved path does not start with `//`. The result is the resolved path, query and
 * fragment (dot segments removed, characters percent-encoded by the URL parser), so it
 * is safe in a `Location` header. Encode it for HTML when rendering it into a page.
 *
 * ```ts
 * safeReturnTo('/account?tab=keys'); // '/account?tab=keys'
 * safeReturnTo('//evil.example'); // '/'
 * safeReturnTo(['/a', '/b'], '/home'); // '/home' (a repeated query parameter)
 * ```
 *
 * @param value - untrusted input (a query or form value: maybe absent, maybe an array).
 * @param fallback - what to use instead; trusted, returned as given. @default '/'
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > MAX_RETURN_TO_LENGTH) return fallback;
  if (!startsWithOneSlash(value) || hasForbiddenRaw(value)) return fallback;
  if (!decodedLayersAreSafe(value)) return fallback;
  const path = resolveOnSite(value);
  // The serialized form is checked too: resolving can turn `%2E` into a dot segment.
  if (path === null || path.length > MAX_RETURN_TO_LENGTH || !decodedLayersAreSafe(path)) {
    return fallback;
  }
  return path;
}

/**
 * The URL of the sign-in page that brings the user back to `returnTo` afterwards:
 * `signInRedirect('/login', '/account')` is `/login?returnTo=%2Faccount`. An unsafe or
 * missing `returnTo` (see {@link safeReturnTo}) is left out, so the sign-in page's own
 * default applies. Validate the value again when the sign-in form is submitted: an
 * attacker can link to the sign-in page with any `returnTo` (S-43).
 *
 * @param signInPath - the sign-in page, a same-origin path (it may carry a query).
 * @throws TypeError when `signInPath` is not a safe same-origin path.
 */
export function signInRedirect(signInPath: string, returnTo: unknown): string {
  const page = safeReturnTo(signInPath, '');
  if (page === '') {
    throw new TypeError('signInPath must be a same-origin path such as "/login"');
  }
  const target = safeReturnTo(returnTo, '');
  if (target === '') return page;
  const url = new URL(page, BASE);
  url.searchParams.set('returnTo', target);
  return `${url.pathname}${url.search}${url.hash}`;
}
