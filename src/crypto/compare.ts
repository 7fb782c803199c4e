/**
 * Constant-time comparison for every secret-dependent check (S-30).
 *
 * `crypto.timingSafeEqual` throws on inputs of different lengths, and a plain `===` or
 * `Buffer.equals` stops at the first differing byte, which lets an attacker who can time
 * responses learn a MAC or token byte by byte.
 */
import { hash, timingSafeEqual } from 'node:crypto';

/** Scratch digests for {@link timingSafeEqualStrings}; JavaScript runs one call at a time. */
const left = Buffer.alloc(32);
const right = Buffer.alloc(32);

/**
 * True when `a` and `b` hold the same bytes, in time that depends only on their length.
 *
 * Returns false (never throws) when the lengths differ or either is not a byte view.
 * The length itself is not hidden: use this for values of public, fixed length (MACs,
 * digests); for values whose length is secret use {@link timingSafeEqualStrings} or hash
 * both sides first.
 */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b)) return false;
  if (a.byteLength !== b.byteLength) return false;
  return timingSafeEqual(a, b);
}

/**
 * True when `a` and `b` are the same string, compared in constant time over their
 * SHA-256 digests, so unequal lengths neither throw nor short-circuit (S-30).
 *
 * The strings are hashed as UTF-16 code units, not UTF-8: UTF-8 encoding maps every lone
 * surrogate to U+FFFD, which would make some distinct strings compare equal. Returns false
 * (never throws) when either argument is not a string.
 */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  left.write(hash('sha256', Buffer.from(a, 'utf16le'), 'binary'), 0, 'latin1');
  right.write(hash('sha256', Buffer.from(b, 'utf16le'), 'binary'), 0, 'latin1');
  return timingSafeEqual(left, right);
}
