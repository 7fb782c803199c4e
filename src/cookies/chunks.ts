/**
 * Cookie-mode chunking (S-21, S-22): a sealed session too large for one cookie is split
 * into `name.0`, `name.1`, … each of which fits a browser's 4096-byte bound, and is
 * reassembled from the request only when the set of cookies is unambiguous.
 */

import { InvalidOptionsError, SessionTooLargeError } from '../errors.js';
import type { ParsedCookies } from './parse.js';
import { MAX_COOKIE_LINE_BYTES } from './serialize.js';

/** One cookie of a plan. */
export interface CookieChunk {
  readonly name: string;
  readonly value: string;
}

/** The reassembled value and every cookie name of the family in the request. */
export type ChunkReadResult =
  | { readonly value: string; readonly present: string[] }
  | { readonly duplicate: true; readonly present: string[] };

function checkCount(maxChunks: number): void {
  if (!Number.isInteger(maxChunks) || maxChunks < 1) {
    throw new InvalidOptionsError('maxChunks must be an integer of at least 1');
  }
}

/** Value bytes that fit in a cookie named `nameLength` bytes with the given suffix. */
function capacity(nameLength: number, suffixLength: number): number {
  return Math.max(0, MAX_COOKIE_LINE_BYTES - nameLength - 1 - suffixLength);
}

/**
 * Splits `value` into the fewest cookies that each keep `name=value` plus the attribute
 * suffix (`; Path=/; …`, `attributeSuffixLength` bytes) within 4096 bytes: the plain
 * `name` if it fits, else `name.0`, `name.1`, …. Names never repeat (S-22). `name` and
 * `value` must be ASCII (token and cookie-octets), so characters count as bytes.
 *
 * @throws {SessionTooLargeError} if more than `maxChunks` cookies would be needed, or
 * the cookies would add more than `maxCookieBytes` to the `Cookie` header sent back
 * ({@link cookieHeaderBytes}); nothing is planned, so nothing is emitted.
 * @throws {InvalidOptionsError} if `maxChunks` is not a positive integer.
 */
export function planChunks(
  name: string,
  value: string,
  attributeSuffixLength: number,
  maxChunks: number,
  maxCookieBytes: number = Number.POSITIVE_INFINITY,
): CookieChunk[] {
  const chunks = planByCount(name, value, attributeSuffixLength, maxChunks);
  const bytes = cookieHeaderBytes(chunks);
  if (bytes > maxCookieBytes) throw new SessionTooLargeError(bytes, maxCookieBytes);
  return chunks;
}

/**
 * Bytes the chunks add to the `Cookie` header a browser sends back: each `name=value`,
 * joined by `; `. Names and values are ASCII, so `.length` counts bytes.
 */
export function cookieHeaderBytes(chunks: readonly CookieChunk[]): number {
  let bytes = 2 * (chunks.length - 1);
  for (const chunk of chunks) bytes += chunk.name.length + 1 + chunk.value.length;
  return bytes;
}

function planByCount(
  name: string,
  value: string,
  attributeSuffixLength: number,
  maxChunks: number,
): CookieChunk[] {
  checkCount(maxChunks);
  if (!Number.isInteger(attributeSuffixLength) || attributeSuffixLength < 0) {
    throw new InvalidOptionsError('attributeSuffixLength must be a non-negative integer');
  }
  const single = capacity(name.length, attributeSuffixLength);
  if (value.length <= single) return [{ name, value }];
  // Each pass adds one chunk; when the value does not fit, the loop runs on to
  // maxChunks only to sum the true limit for the error.
  const chunks: CookieChunk[] = [];
  let offset = 0;
  let limit = 0;
  for (let index = 0; index < maxChunks; index++) {
    const chunkName = `${name}.${index}`;
    const room = capacity(chunkName.length, attributeSuffixLength);
    // Later names are no shorter, so no later chunk has room either.
    if (room === 0) break;
    limit += room;
    if (offset < value.length) {
      chunks.push({ name: chunkName, value: value.slice(offset, offset + room) });
      offset += room;
    }
    if (offset >= value.length) return chunks;
  }
  throw new SessionTooLargeError(value.length, Math.max(single, maxChunks > 1 ? limit : 0));
}

/**
 * Where `key` sits in the family of `name`: -1 for the plain cookie, the index for a
 * chunk `name.<k>` (canonical decimal, no leading zeros), or -2 when it is unrelated.
 */
function familyIndex(key: string, name: string): number {
  if (key === name) return -1;
  const digits = key.length - name.length - 1;
  if (digits < 1 || !key.startsWith(name) || key.charCodeAt(name.length) !== 0x2e) return -2;
  if (digits > 1 && key.charCodeAt(name.length + 1) === 0x30) return -2;
  let index = 0;
  for (let i = name.length + 1; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -2;
    index = index * 10 + (c - 0x30);
  }
  // Huge indices stay family members (to be expired) but can never be contiguous.
  return digits > 9 ? Number.MAX_SAFE_INTEGER : index;
}

/**
 * True for a family index Tessera itself may have written with `maxChunks`: the plain
 * cookie or `name.0` … `name.{maxChunks-1}`. Only these are ever expired (S-21): a
 * request can carry thousands of `name.<k>` cookies, and answering each with a
 * `Set-Cookie` would multiply the request into a response many times its size.
 */
function isWritable(index: number, maxChunks: number): boolean {
  return index === -1 || (index >= 0 && index < maxChunks);
}

/**
 * The cookie names of the session family of `name` in the request that Tessera could
 * have written (the plain cookie and `name.0` … `name.{maxChunks-1}`, duplicated ones
 * included), so that a writer can expire stale ones even when {@link readChunks}
 * returned `null`. Never more than `maxChunks + 1` names; other `name.<k>` are ignored.
 *
 * @throws {InvalidOptionsError} if `maxChunks` is not a positive integer.
 */
export function cookieFamily(parsed: ParsedCookies, name: string, maxChunks: number): string[] {
  checkCount(maxChunks);
  const present: string[] = [];
  for (const key of parsed.values.keys()) {
    if (isWritable(familyIndex(key, name), maxChunks)) present.push(key);
  }
  for (const key of parsed.duplicates) {
    if (isWritable(familyIndex(key, name), maxChunks)) present.push(key);
  }
  return present;
}

/**
 * Reassembles the session value of `name` from the request: the plain `name` cookie
 * alone, or `name.0` … `name.{n-1}` with no gap and `n <= maxChunks`.
 *
 * - Any family name sent twice: `{ duplicate: true, present }` (guest, S-07).
 * - No family cookie, both plain and chunked forms, a gap, or too many chunks: `null`
 *   (guest; call {@link cookieFamily} to find the names to expire).
 *
 * Every family name counts towards consistency, but `present` lists only the names
 * Tessera could have written (see {@link cookieFamily}), at most `maxChunks + 1`.
 *
 * @throws {InvalidOptionsError} if `maxChunks` is not a positive integer.
 */
export function readChunks(
  parsed: ParsedCookies,
  name: string,
  maxChunks: number,
): ChunkReadResult | null {
  checkCount(maxChunks);
  const present: string[] = [];
  let duplicate = false;
  for (const key of parsed.duplicates) {
    const index = familyIndex(key, name);
    if (index === -2) continue;
    duplicate = true;
    if (isWritable(index, maxChunks)) present.push(key);
  }
  let plain = false;
  let count = 0;
  let highest = -1;
  for (const key of parsed.values.keys()) {
    const index = familyIndex(key, name);
    if (index === -2) continue;
    if (isWritable(index, maxChunks)) present.push(key);
    if (index === -1) plain = true;
    else {
      count++;
      if (index > highest) highest = index;
    }
  }
  if (duplicate) return { duplicate: true, present };
  if (plain) return count === 0 ? { value: parsed.values.get(name)!, present } : null;
  // Names are distinct, so n chunks whose highest index is n-1 are exactly 0..n-1.
  if (count === 0 || count > maxChunks || highest !== count - 1) return null;
  let value = '';
  for (let index = 0; index < count; index++) value += parsed.values.get(`${name}.${index}`)!;
  return { value, present };
}

/** Names present in the request but not written now: each needs an expiring cookie. */
export function staleChunkNames(present: readonly string[], written: readonly string[]): string[] {
  return present.filter((cookieName) => !written.includes(cookieName));
}
