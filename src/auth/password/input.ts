/**
 * How a password becomes the bytes that are hashed: NFKC normalization (so `"é"` typed
 * as U+00E9 and as `"e\u0301"`, or full-width and ASCII digits, are one password, as
 * NIST SP 800-63B asks), then UTF-8, never truncated.
 */

/**
 * Upper bound on what is hashed, in UTF-8 bytes after normalization (S-34): 256 code
 * points of 4 bytes each. Longer input is refused rather than cut, and refused before any
 * hashing, so a megabyte "password" costs nothing.
 */
export const MAX_PASSWORD_BYTES = 1024;

/**
 * Characters no password may hold: a lone surrogate cannot be encoded as UTF-8 (it
 * would become U+FFFD, merging passwords), and U+0000 is invisible to scrypt, whose
 * HMAC pads the password with zero bytes (`"secret"` and `"secret\0"` would be one).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what this refuses.
export const UNHASHABLE_CHARACTERS = /[\p{Cs}\u0000]/u;

/** The NFKC form of `password`. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * The bytes to hash for `password`, or a reason it cannot be hashed: `type` (not a
 * string, not well-formed Unicode, or holding U+0000) or `length` (above {@link MAX_PASSWORD_BYTES}).
 */
export function passwordBytes(password: unknown): Buffer | 'type' | 'length' {
  if (typeof password !== 'string' || UNHASHABLE_CHARACTERS.test(password)) return 'type';
  // Each UTF-16 unit is at least one UTF-8 byte: longer input is over S-34's limit as
  // submitted, and is refused before normalizing (NFKC can expand a string 18-fold).
  if (password.length > MAX_PASSWORD_BYTES) return 'length';
  const bytes = Buffer.from(normalizePassword(password), 'utf8');
  return bytes.byteLength > MAX_PASSWORD_BYTES ? 'length' : bytes;
}
