/**
 * Character-level grammar of cookies (RFC 6265 §4.1.1, RFC 9110 §5.6.2 tokens), as
 * lookup tables and hand-written loops: these checks run on every `Set-Cookie` we emit,
 * so they avoid regular expressions and allocation.
 */

/** Bytes that may appear in an RFC 9110 `token` (and so in a cookie name). */
const TOKEN = new Uint8Array(128);
/** Bytes that may appear in a `cookie-value` (the `cookie-octet` rule). */
const COOKIE_OCTET = new Uint8Array(128);

for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;
for (const ch of "!#$%&'*+-.^_`|~") TOKEN[ch.charCodeAt(0)] = 1;

// cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E: visible ASCII except
// DQUOTE, comma, semicolon and backslash.
for (let c = 0x21; c <= 0x7e; c++) COOKIE_OCTET[c] = 1;
for (const ch of '",;\\') COOKIE_OCTET[ch.charCodeAt(0)] = 0;

/**
 * Longest attribute value a user agent accepts (RFC 6265bis §5.6: attribute values of
 * more than 1024 octets are ignored, which would silently drop our Path or Domain).
 */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 1024;

/** True if `name` is a non-empty RFC 9110 token, the only safe cookie name. */
export function isCookieName(name: string): boolean {
  const length = name.length;
  if (length === 0) return false;
  for (let i = 0; i < length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || TOKEN[c] === 0) return false;
  }
  return true;
}

/**
 * True if `value` consists only of cookie-octets (possibly none). Such a value cannot
 * end the cookie early, add an attribute, or split the header line.
 */
export function isCookieValue(value: string): boolean {
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || COOKIE_OCTET[c] === 0) return false;
  }
  return true;
}

/**
 * True if `path` is an absolute path of printable ASCII without `;` (RFC 6265 `path-value`
 * plus the leading `/` that user agents require, §5.2.4) and short enough to be honoured.
 */
export function isCookiePath(path: string): boolean {
  const length = path.length;
  if (length === 0 || length > MAX_ATTRIBUTE_VALUE_LENGTH || path.charCodeAt(0) !== 0x2f) {
    return false;
  }
  for (let i = 1; i < length; i++) {
    const c = path.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x3b) return false;
  }
  return true;
}

/**
 * True if `domain` is a host name (RFC 1034 labels as relaxed by RFC 1123: letters,
 * digits and inner hyphens, 1 to 63 characters each), optionally with the leading dot
 * that user agents ignore. Anything else (`;`, spaces, controls, `_`, trailing dot) is
 * refused, which also keeps `cookie`'s own stricter check from ever failing after ours.
 */
export function isCookieDomain(domain: string): boolean {
  const length = domain.length;
  if (length === 0 || length > 254) return false;
  let i = domain.charCodeAt(0) === 0x2e ? 1 : 0;
  if (i === length) return false;
  let labelStart = i;
  for (; i <= length; i++) {
    const c = i === length ? 0x2e : domain.charCodeAt(i);
    if (c === 0x2e) {
      const labelLength = i - labelStart;
      if (labelLength === 0 || labelLength > 63) return false;
      if (domain.charCodeAt(labelStart) === 0x2d || domain.charCodeAt(i - 1) === 0x2d) {
        return false;
      }
      labelStart = i + 1;
    } else if (
      !(
        (c >= 0x30 && c <= 0x39) ||
        (c >= 0x41 && c <= 0x5a) ||
        (c >= 0x61 && c <= 0x7a) ||
        c === 0x2d
      )
    ) {
      return false;
    }
  }
  return true;
}
