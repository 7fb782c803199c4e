/**
 * One spelling per email address, so that uniqueness means what a person expects:
 * `" Alice@Example.COM "` and `"Alice@example.com"` are one account, and so are the
 * full-width `"Ａlice@example.com"` and its ASCII form (NFKC). The local part keeps its
 * case: RFC 5321 lets a mail server tell `Alice` from `alice`, so merging them could hand
 * one person's account to another.
 */

import { InvalidEmailError } from '../../errors.js';

/** Longest address accepted, in UTF-8 bytes after normalization (RFC 5321 §4.5.3.1.3). */
export const MAX_EMAIL_BYTES = 254;

/** Longest local part accepted, in UTF-8 bytes (RFC 5321 §4.5.3.1.1). */
export const MAX_EMAIL_LOCAL_BYTES = 64;

// Input longer than this (UTF-16 units) is refused before normalizing: NFKC can expand a
// string 18-fold, and no trimming brings a kilobyte down to an address.
const MAX_INPUT_UNITS = 1024;

/**
 * Whitespace (any Unicode space or line break), control characters, invisible formatting
 * characters (zero-width joiners, bidirectional overrides that make an address display as
 * another) and lone surrogates (not encodable as UTF-8). None belongs in an address.
 */
const FORBIDDEN = /[\s\p{Z}\p{Cc}\p{Cf}\p{Cs}]/u;

function refuse(reason: 'format' | 'characters' | 'too_long', message: string): never {
  throw new InvalidEmailError(reason, message);
}

/**
 * The normalized form of an email address: trimmed, NFKC, the domain lower-cased, the
 * local part as typed. Normalizing a normalized address returns it unchanged.
 *
 * It checks the shape a sign-up form can check without sending mail, and nothing more
 * (whether the mailbox exists is for a confirmation email): exactly one `@`, a non-empty
 * local part and domain, no empty domain label, no whitespace, control or formatting
 * characters inside, at most 254 UTF-8 bytes in all and 64 in the local part. Anything
 * else throws `InvalidEmailError` with a `reason`; the message never repeats the address.
 *
 * @example
 * ```ts
 * normalizeEmail('  Alice@Example.COM '); // 'Alice@example.com'
 * ```
 */
export function normalizeEmail(input: string): string {
  if (typeof input !== 'string') refuse('format', 'an email address must be a string');
  if (input.length > MAX_INPUT_UNITS) {
    refuse('too_long', `an email address has at most ${MAX_EMAIL_BYTES} bytes`);
  }
  // Trimmed again after NFKC: a few characters decompose to a leading space (U+1FBF).
  const text = input.trim().normalize('NFKC').trim();
  if (FORBIDDEN.test(text)) {
    refuse('characters', 'an email address cannot contain whitespace or control characters');
  }
  const at = text.indexOf('@');
  if (at === -1 || text.indexOf('@', at + 1) !== -1) {
    refuse('format', 'an email address has exactly one "@"');
  }
  const local = text.slice(0, at);
  // Lower case can leave a string that NFKC changes again (U+0130 and a few others), so
  // the domain is normalized once more to keep the result a fixed point.
  const domain = text
    .slice(at + 1)
    .toLowerCase()
    .normalize('NFKC');
  if (local === '' || domain === '') {
    refuse('format', 'an email address needs text before and after the "@"');
  }
  if (domain.split('.').includes('')) {
    refuse('format', 'the domain of an email address cannot have an empty label');
  }
  const email = `${local}@${domain}`;
  if (Buffer.byteLength(local, 'utf8') > MAX_EMAIL_LOCAL_BYTES) {
    refuse('too_long', `the part of an email address before "@" has at most 64 bytes`);
  }
  if (Buffer.byteLength(email, 'utf8') > MAX_EMAIL_BYTES) {
    refuse('too_long', `an email address has at most ${MAX_EMAIL_BYTES} bytes`);
  }
  return email;
}

/**
 * {@link normalizeEmail}, or `null` for input that is no valid address. For lookups: no
 * user can have an address `create` refuses, so "not a valid address" and "no such user"
 * are the same answer there.
 */
export function normalizeEmailOrNull(input: string): string | null {
  try {
    return normalizeEmail(input);
  } catch (error) {
    if (error instanceof InvalidEmailError) return null;
    throw error;
  }
}
