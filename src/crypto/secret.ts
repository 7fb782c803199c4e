/**
 * Turns one configured secret into key material, refusing anything that does not carry
 * 256 bits of randomness (S-28). The rules, and why each is safe for a freshly generated
 * secret, are in docs/formats.md ("Secrets").
 *
 * Internal: {@link Keyring} is the public entry point.
 */
import { WeakSecretError } from '../errors.js';
import { decodeCanonicalBase64url } from './base64url.js';

/** A secret as the application passes it: encoded text, or raw random bytes. */
export type SecretInput = string | Uint8Array;

/** Minimum key material, in bytes (256 bits). */
export const MIN_SECRET_BYTES = 32;

/** How to get a good secret; every rejection ends with it. */
export const GENERATE_HINT =
  "Generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"";

/** Whole values copied from documentation and tutorials, compared case-insensitively. */
const PLACEHOLDERS = new Set([
  'keyboard cat',
  'secret',
  'changeme',
  'change me',
  'changeit',
  'password',
  'complex_password_at_least_32_characters_long',
  'this_is_a_secret_key_at_least_32_chars',
  'super-secret-key-that-is-at-least-32-characters',
  'your-256-bit-secret',
  'your-secret-key',
  'replace-with-a-real-secret',
  'replace-me-with-at-least-32-random-chars',
]);

/**
 * Words that mark a hand-written value. Each has >= 6 letters, so a random base64url
 * secret contains one by chance with probability below 1 in 10^6 (see docs/formats.md).
 */
const TELLTALE_WORDS = [
  'secret',
  'passwd',
  'password',
  'changeme',
  'example',
  'default',
  'insecure',
  'replace',
  'keyboard',
  'placeholder',
  'qwerty',
  'letmein',
];

const HEX = /^[0-9a-fA-F]+$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Longest run (see longestRun) a random secret may contain; false rejection < 1e-8. */
const MAX_RUN = 9;
/**
 * Share of printable ASCII bytes above which decoded key material is text (an encoded
 * passphrase). Each random byte is printable with probability 95/256, so 29 or more of
 * 32 happens with probability below 1e-9; 10^6 random 32-byte draws peaked at 0.78.
 */
const MAX_PRINTABLE_SHARE = 0.9;
/**
 * Share of base64 characters in runs of 4+ lower-case letters above which the text reads
 * as CamelCase words. 2 x 10^6 random 32-byte base64/base64url texts peaked at 0.65;
 * `TroubadourMonsoonQuillWhisperGlacierLantern1` scores 0.84.
 */
const MAX_WORD_SHARE = 0.75;

function reject(index: number, reason: string): never {
  throw new WeakSecretError(
    `secret #${index} ${reason}. Secrets must carry at least 256 bits of randomness: ` +
      `32+ random bytes, or their hex (64+ chars) or base64/base64url (43+ chars) text. ${GENERATE_HINT}`,
  );
}

/**
 * Length of the longest run of characters whose codes step by a constant -1, 0 or +1:
 * `aaaa`, `abcd`, `9876`. Random text essentially never has a long one.
 */
function longestRun(text: string): number {
  let best = 1;
  let run = 1;
  let step = Number.NaN;
  for (let i = 1; i < text.length; i++) {
    const next = text.charCodeAt(i) - text.charCodeAt(i - 1);
    if (next >= -1 && next <= 1) {
      run = next === step ? run + 1 : 2;
    } else {
      run = 1;
    }
    step = next;
    if (run > best) best = run;
  }
  return best;
}

/** True if the text is a shorter pattern repeated (e.g. `abcdABCD` x 8). */
function isPeriodic(text: string): boolean {
  for (let period = 1; period <= text.length / 2; period++) {
    if (text.slice(period) === text.slice(0, text.length - period)) return true;
  }
  return false;
}

/** Rejects text whose shape a random draw essentially never has (hex is compared lower-cased). */
function checkShape(index: number, text: string, minDistinct: number): void {
  if (new Set(text).size < minDistinct) {
    reject(index, `uses too few distinct characters to be random`);
  }
  if (longestRun(text) > MAX_RUN) reject(index, 'contains a long run like aaaa or abcd');
  if (isPeriodic(text)) reject(index, 'repeats a shorter pattern');
}

/** Share of the characters of `text` that lie in runs of 4 or more `a`-`z` letters. */
function wordShare(text: string): number {
  let inWords = 0;
  let run = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if (c >= 0x61 && c <= 0x7a) run++;
    else {
      if (run >= 4) inWords += run;
      run = 0;
    }
  }
  return inWords / text.length;
}

/**
 * Rejects decoded key material that is mostly printable ASCII: the hex or base64 of a
 * passphrase carries the passphrase's entropy, not 8 bits per byte (S-28).
 */
function checkNotText(index: number, bytes: Uint8Array): void {
  let printable = 0;
  let wordy = 0;
  for (const b of bytes) {
    if (b >= 0x20 && b <= 0x7e) printable++;
    // Letters and spaces: a passphrase is mostly words (a byte ramp like 0x20..0x3f is not).
    if (b === 0x20 || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) wordy++;
  }
  if (printable / bytes.length >= MAX_PRINTABLE_SHARE && wordy * 2 >= bytes.length) {
    reject(index, 'decodes to text (an encoded passphrase), not random bytes');
  }
}

function decodeText(index: number, text: string): Buffer {
  const lower = text.toLowerCase();
  if (PLACEHOLDERS.has(lower.trim())) reject(index, 'is a well-known placeholder');
  if (TELLTALE_WORDS.some((word) => lower.includes(word))) {
    reject(index, 'contains a common word, so it was not randomly generated');
  }
  if (/\s/.test(text)) reject(index, 'contains whitespace (trim it, or it is not an encoded key)');
  if (HEX.test(text)) {
    if (text.length % 2 !== 0) reject(index, 'looks like hex but has an odd length');
    if (text.length < 2 * MIN_SECRET_BYTES) reject(index, 'is hex shorter than 64 characters');
    if (!/[a-fA-F]/.test(text)) reject(index, 'is all decimal digits, not random hex');
    checkShape(index, text.toLowerCase(), 10);
    const key = Buffer.from(text, 'hex');
    checkNotText(index, key);
    return key;
  }
  let bytes: Buffer | null = null;
  if (BASE64URL.test(text)) {
    bytes = decodeCanonicalBase64url(text);
  } else if (BASE64.test(text)) {
    const decoded = Buffer.from(text, 'base64');
    const canonical = decoded.toString('base64');
    if (canonical === text || canonical.replace(/=+$/, '') === text) bytes = decoded;
  } else {
    reject(index, 'is neither hex nor base64/base64url text');
  }
  if (bytes === null) reject(index, 'is not canonical base64/base64url');
  if (bytes.length < MIN_SECRET_BYTES) reject(index, `decodes to ${bytes.length} bytes (< 32)`);
  if (!/[A-Z]/.test(text) || !/[a-z]/.test(text)) {
    reject(index, 'lacks upper- or lower-case letters, so it is not random base64');
  }
  checkShape(index, text, 16);
  if (wordShare(text) >= MAX_WORD_SHARE) {
    reject(index, 'reads as words (a passphrase), not random base64');
  }
  checkNotText(index, bytes);
  return bytes;
}

function decodeBytes(index: number, bytes: Uint8Array): Buffer {
  if (bytes.length < MIN_SECRET_BYTES) reject(index, `has ${bytes.length} bytes (< 32)`);
  if (new Set(bytes).size < 16) reject(index, 'uses too few distinct byte values to be random');
  if (bytes.every((b) => b >= 0x20 && b <= 0x7e)) {
    reject(index, 'is all printable ASCII, i.e. text: pass the string itself, not its bytes');
  }
  return Buffer.from(bytes);
}

/**
 * Validates secret number `index` and returns its key material (a private copy).
 *
 * @throws WeakSecretError - with a message naming the index and the rule, never the secret.
 */
export function decodeSecret(index: number, secret: unknown): Buffer {
  if (typeof secret === 'string') return decodeText(index, secret);
  if (secret instanceof Uint8Array) return decodeBytes(index, secret);
  return reject(index, 'is neither a string nor a Uint8Array');
}
