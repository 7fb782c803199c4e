/**
 * Checks every repository makes on its arguments before touching its backend, so that a
 * hostile or mistaken value gets the same typed answer from each of them.
 */
import type { NewUser } from './contract.js';
import { normalizeEmail } from './email.js';

/**
 * Longest id a lookup sends to the backend. Ids the repositories make have 22
 * characters; an ORM's own ids (UUIDs, cuid2) are shorter than this. A longer one cannot
 * exist, so it is answered "no such user" without a query.
 */
export const MAX_USER_ID_LENGTH = 255;

/** Longest password hash stored. PHC strings and bcrypt hashes have about 60 to 120. */
export const MAX_PASSWORD_HASH_LENGTH = 1024;

// PostgreSQL text cannot hold U+0000, and a lone surrogate is no UTF-8: no stored id has
// either, and sending one would fail the query instead of finding nobody.
const IMPOSSIBLE_IN_ID = /[\p{Cc}\p{Cs}]/u;

/**
 * Whether `id` could name a stored user: a string of 1 to 255 characters without control
 * characters or lone surrogates. Anything else is "no such user" without a query.
 */
export function isPlausibleUserId(id: unknown): id is string {
  return (
    typeof id === 'string' &&
    id.length > 0 &&
    id.length <= MAX_USER_ID_LENGTH &&
    !IMPOSSIBLE_IN_ID.test(id)
  );
}

/**
 * Throws a `TypeError` unless `hash` is a non-empty string of at most
 * {@link MAX_PASSWORD_HASH_LENGTH} characters: an empty or absurd hash is a bug of the
 * caller (as a lone surrogate in a password is for `hash()`), and storing it would lock
 * the user out.
 */
export function checkPasswordHash(hash: unknown): string {
  if (typeof hash !== 'string' || hash.length === 0 || hash.length > MAX_PASSWORD_HASH_LENGTH) {
    throw new TypeError(
      `passwordHash must be a non-empty string of at most ${MAX_PASSWORD_HASH_LENGTH} characters`,
    );
  }
  return hash;
}

/** The normalized email and checked hash of a new user (throws as `create` must). */
export function checkNewUser(user: NewUser): { email: string; passwordHash: string } {
  return { email: normalizeEmail(user.email), passwordHash: checkPasswordHash(user.passwordHash) };
}
