/**
 * Session ids and their signed cookie form (store mode): S-01, S-02, S-26, S-27, S-29, S-30.
 * Byte layout and test vectors: docs/formats.md ("Signed session id").
 *
 *     <id: 43 chars> "." base64url( keyId:4 || HMAC-SHA256(signKey, message):32 )
 *     message = "tessera/v1/sid" || u16be(len name) || name (UTF-8) || id (ASCII)
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { FixedHmac } from './hmac.js';
import { KEY_ID_BYTES, type Keyring } from './keyring.js';
import { randomBase64url } from './random.js';

const ID_BYTES = 32;
const ID_CHARS = 43;
const SIG_BYTES = KEY_ID_BYTES + 32;
const SIGNED_CHARS = ID_CHARS + 1 + 48;
/** The 43rd character carries 2 unused bits, which must be zero: only these 16 letters. */
const ID = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const SIGNED = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]\.[A-Za-z0-9_-]{48}$/;
const LABEL = Buffer.from('tessera/v1/sid', 'latin1');
const MAX_NAMES = 64;

/** Per keyring and cookie name: one HMAC per secret, its message prefix pre-filled. */
const signers = new WeakMap<Keyring, Map<string, (FixedHmac | undefined)[]>>();
const given = Buffer.alloc(SIG_BYTES);
const givenMac = given.subarray(KEY_ID_BYTES);
const expected = Buffer.alloc(32);

function createSigner(keyring: Keyring, name: string, index: number): FixedHmac {
  if (typeof name !== 'string') throw new TypeError('cookie name must be a string');
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 0xffff) throw new TypeError('cookie name is too long');
  // UTF-8 maps lone surrogates to U+FFFD, which would give two names one MAC input.
  if (nameBytes.toString('utf8') !== name) throw new TypeError('cookie name is not well-formed');
  const hmac = new FixedHmac(
    keyring.key('sign', index),
    LABEL.length + 2 + nameBytes.length + ID_CHARS,
  );
  LABEL.copy(hmac.message, 0);
  hmac.message.writeUInt16BE(nameBytes.length, LABEL.length);
  nameBytes.copy(hmac.message, LABEL.length + 2);
  return hmac;
}

/** The HMAC for (keyring, name, index), cached for the first {@link MAX_NAMES} names. */
function signerFor(keyring: Keyring, name: string, index: number): FixedHmac {
  let byName = signers.get(keyring);
  if (byName === undefined) {
    byName = new Map();
    signers.set(keyring, byName);
  }
  let perIndex = byName.get(name);
  if (perIndex === undefined) {
    if (byName.size >= MAX_NAMES) return createSigner(keyring, name, index);
    perIndex = [];
    byName.set(name, perIndex);
  }
  let hmac = perIndex[index];
  if (hmac === undefined) {
    hmac = createSigner(keyring, name, index);
    perIndex[index] = hmac;
  }
  return hmac;
}

/**
 * A new session id: 32 bytes from the CSPRNG as 43 unpadded base64url characters (S-01).
 * Never derived from time, counters or user data.
 */
export function generateSessionId(): string {
  return randomBase64url(ID_BYTES);
}

/**
 * The key a store files session `id` under: base64url(SHA-256(id)), 43 characters. A dump
 * of the store therefore yields no usable cookie (S-02).
 */
export function hashSessionId(id: string): string {
  return hash('sha256', id, 'base64url');
}

/**
 * The cookie value for session `id` in cookie `name`: `${id}.${sig}` (92 characters),
 * signed with the keyring's current key. The name is inside the MAC, so the value is
 * rejected under any other cookie name (S-27).
 *
 * @throws TypeError - when `id` is not a canonical 43-character id (see
 * {@link generateSessionId}) or `name` is not a well-formed string.
 */
export function signSessionId(keyring: Keyring, name: string, id: string): string {
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new TypeError('session id must be 43 canonical base64url characters');
  }
  const sig = Buffer.allocUnsafe(SIG_BYTES);
  keyring.keyId(0).copy(sig, 0);
  const hmac = signerFor(keyring, name, 0);
  hmac.message.write(id, hmac.message.length - ID_CHARS, ID_CHARS, 'latin1');
  hmac.digestInto(sig, KEY_ID_BYTES);
  return `${id}.${sig.toString('base64url')}`;
}

/** A verified session id and the index of the secret whose key signed it. */
export interface VerifiedSessionId {
  /** The 43-character session id. */
  readonly id: string;
  /** 0 for the current secret; above 0 the caller should re-issue the cookie (S-29). */
  readonly keyIndex: number;
}

/**
 * True when `value` has the exact shape of a signed session id (92 characters, canonical
 * base64url id, `.`, 48 base64url characters), whatever its MAC. A value without it is
 * malformed rather than tampered with: a quoted or percent-encoded spelling of an issued
 * value (S-26), a truncation, or garbage.
 */
export function isSignedSessionIdShape(value: string): boolean {
  return value.length === SIGNED_CHARS && SIGNED.test(value);
}

/**
 * Checks a cookie value made by {@link signSessionId} for cookie `name`.
 *
 * The format is checked exactly first (92 characters, canonical base64url id, `.`, 48
 * base64url characters; S-26), the key is chosen by key id, and the MAC is compared in
 * constant time (S-30).
 *
 * @returns the id and key index, or `null` for anything else. Never throws on any `value`.
 * @throws TypeError - only when `name` is not a well-formed string.
 */
export function verifySignedSessionId(
  keyring: Keyring,
  name: string,
  value: string,
): VerifiedSessionId | null {
  if (typeof value !== 'string' || value.length !== SIGNED_CHARS || !SIGNED.test(value)) {
    return null;
  }
  given.write(value.slice(ID_CHARS + 1), 0, SIG_BYTES, 'base64url');
  const keyIndex = keyring.indexOfKeyId(given, 0);
  if (keyIndex < 0) return null;
  const hmac = signerFor(keyring, name, keyIndex);
  hmac.message.write(value, hmac.message.length - ID_CHARS, ID_CHARS, 'latin1');
  hmac.digestInto(expected, 0);
  if (!timingSafeEqual(expected, givenMac)) return null;
  return { id: value.slice(0, ID_CHARS), keyIndex };
}
