/**
 * `Cookie` request header parsing (RFC 6265 §4.2, RFC 6265bis §5.4 style). This runs on
 * every request, so it is one pass over the header with `indexOf` for the delimiters and
 * character loops for trimming: no regular expression, no `split`, and one string per
 * name and per value.
 */

/** The cookies of one request. */
export interface ParsedCookies {
  /** Each cookie name that appeared exactly once, mapped to its (decoded) value. */
  readonly values: ReadonlyMap<string, string>;
  /**
   * Names that appeared more than once. They are absent from `values`: when a name is
   * sent twice (a cookie tossed from a subdomain or with a narrower Path, or two
   * `Cookie` header lines that Node joined with `; `), no order tells which one is
   * genuine, so neither may be used (S-07).
   */
  readonly duplicates: ReadonlySet<string>;
}

/** Parsing options. */
export interface ParseCookieOptions {
  /**
   * Percent-decode values that contain `%` (`decodeURIComponent`; an invalid escape keeps
   * the raw value, so decoding never throws).
   *
   * @default true. Security: turn it off where a value must have one canonical spelling
   * (MAC'd or sealed tokens), so that `%41` is not accepted as a variant of `A`. Turned
   * off, values are kept exactly as sent, surrounding double quotes included (S-26):
   * `"token"` is a second spelling of `token`, so it must fail verification.
   */
  readonly decode?: boolean;
}

function refuseMutation(): never {
  throw new TypeError('parsed cookies are read-only');
}

/** The empty collections are shared by every request, so they must stay empty. */
class EmptyMap extends Map<string, string> {
  override set(): this {
    return refuseMutation();
  }
  override delete(): boolean {
    return refuseMutation();
  }
  override clear(): void {
    refuseMutation();
  }
}

class EmptySet extends Set<string> {
  override add(): this {
    return refuseMutation();
  }
  override delete(): boolean {
    return refuseMutation();
  }
  override clear(): void {
    refuseMutation();
  }
}

const EMPTY: ParsedCookies = Object.freeze({ values: new EmptyMap(), duplicates: new EmptySet() });

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function decodeValue(value: string): string {
  if (value.indexOf('%') === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Parses a `Cookie` header into the cookies sent exactly once plus the names sent more
 * than once. Pairs are separated by `;`; names and values are trimmed of spaces and tabs;
 * a pair without `=` or with an empty name is skipped; one pair of surrounding double
 * quotes is removed from a value unless `decode` is `false`. Names are exact and case-sensitive (`__Host-sid` and
 * `__HOST-sid` are different cookies). Never throws, whatever the input.
 *
 * Treat the result as read-only: an absent or empty header, and the `duplicates` of a
 * header without any, share one empty object whose collections refuse changes.
 */
export function parseCookieHeader(
  header: string | undefined,
  options?: ParseCookieOptions,
): ParsedCookies {
  if (typeof header !== 'string' || header.length < 2) return EMPTY;
  const decode = options?.decode !== false;
  const length = header.length;
  const values = new Map<string, string>();
  let duplicates: Set<string> | undefined;
  let position = 0;
  // The next '=' at or after `position`, reused across pairs that have none, so a header
  // full of pairs without '=' is still scanned once (no quadratic re-scan).
  let equals = header.indexOf('=');
  while (position < length && equals !== -1) {
    let end = header.indexOf(';', position);
    if (end === -1) end = length;
    if (equals < position) {
      equals = header.indexOf('=', position);
      if (equals === -1) break;
    }
    if (equals < end) {
      let nameStart = position;
      let nameEnd = equals;
      while (nameStart < nameEnd && isSpace(header.charCodeAt(nameStart))) nameStart++;
      while (nameEnd > nameStart && isSpace(header.charCodeAt(nameEnd - 1))) nameEnd--;
      if (nameEnd > nameStart) {
        const name = header.slice(nameStart, nameEnd);
        if (duplicates === undefined || !duplicates.has(name)) {
          let valueStart = equals + 1;
          let valueEnd = end;
          while (valueStart < valueEnd && isSpace(header.charCodeAt(valueStart))) valueStart++;
          while (valueEnd > valueStart && isSpace(header.charCodeAt(valueEnd - 1))) valueEnd--;
          if (
            decode &&
            valueEnd - valueStart >= 2 &&
            header.charCodeAt(valueStart) === 0x22 &&
            header.charCodeAt(valueEnd - 1) === 0x22
          ) {
            valueStart++;
            valueEnd--;
          }
          const raw = header.slice(valueStart, valueEnd);
          // One hash operation in the common case: a set that does not grow the map
          // replaced an earlier cookie of the same name.
          const size = values.size;
          values.set(name, decode ? decodeValue(raw) : raw);
          if (values.size === size) {
            values.delete(name);
            duplicates ??= new Set();
            duplicates.add(name);
          }
        }
      }
    }
    position = end + 1;
  }
  if (values.size === 0 && duplicates === undefined) return EMPTY;
  return { values, duplicates: duplicates ?? EMPTY.duplicates };
}
