/**
 * Sealing: authenticated encryption of cookie payloads with AES-256-GCM (S-25, S-26, S-27,
 * S-29). Byte layout, key schedule and test vectors: docs/formats.md ("Sealed blob").
 *
 *     base64url( version:1 || keyId:4 || salt:32 || ciphertext:n || tag:16 )
 *
 * Every seal draws a fresh 32-byte salt and encrypts under its own subkey
 * `HKDF-Expand(sealKey, "tessera/v1/seal" || salt, 32)` with the IV taken from the salt's
 * last 12 bytes. A (key, IV) pair therefore never repeats unless a 256-bit salt does, so
 * GCM's 2^32-messages-per-key limit for random IVs no longer applies.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { UnsealError } from '../errors.js';
import { base64urlLength, decodeCanonicalBase64url } from './base64url.js';
import { FixedHmac } from './hmac.js';
import type { Keyring } from './keyring.js';
import { randomInto } from './random.js';
import { associatedData, HEADER_BYTES, type SealContext } from './seal-context.js';

export type { SealContext } from './seal-context.js';

/** Format version byte of sealed blobs. */
export const SEAL_VERSION = 0x01;
const SALT_AT = 5;
const SALT_BYTES = 32;
const IV_AT = SALT_AT + SALT_BYTES - 12;
const TAG_BYTES = 16;
const OVERHEAD = HEADER_BYTES + TAG_BYTES;
const SUBKEY_LABEL = Buffer.from('tessera/v1/seal', 'latin1');
const GCM_OPTIONS = { authTagLength: TAG_BYTES } as const;

/** Per keyring: one subkey HMAC per secret, message `label || salt || 0x01` pre-filled. */
const subkeyHmacs = new WeakMap<Keyring, FixedHmac[]>();
const subkey = Buffer.alloc(32);

/** Derives the subkey for the salt at `blob[5..37)` under secret `index` into `subkey`. */
function deriveSubkey(keyring: Keyring, index: number, blob: Buffer): Buffer {
  let hmacs = subkeyHmacs.get(keyring);
  if (hmacs === undefined) {
    hmacs = [];
    for (let i = 0; i < keyring.size; i++) {
      const hmac = new FixedHmac(keyring.key('seal', i), SUBKEY_LABEL.length + SALT_BYTES + 1);
      SUBKEY_LABEL.copy(hmac.message, 0);
      hmac.message[hmac.message.length - 1] = 0x01; // HKDF-Expand block counter T(1)
      hmacs.push(hmac);
    }
    subkeyHmacs.set(keyring, hmacs);
  }
  const hmac = hmacs[index]!;
  blob.copy(hmac.message, SUBKEY_LABEL.length, SALT_AT, SALT_AT + SALT_BYTES);
  hmac.digestInto(subkey, 0);
  return subkey;
}

/** Length of the base64url text {@link seal} produces for `plaintextBytes` bytes. */
export function sealedLength(plaintextBytes: number): number {
  return base64urlLength(OVERHEAD + plaintextBytes);
}

/**
 * Seals with a caller-chosen salt. Only for test vectors: a repeated salt repeats the
 * (key, IV) pair, which breaks GCM. Not exported from the package root.
 */
export function sealWithSalt(
  keyring: Keyring,
  context: SealContext,
  plaintext: Uint8Array,
  salt: Uint8Array,
): string {
  if (salt.length !== SALT_BYTES) throw new RangeError('salt must be 32 bytes');
  return sealInto(keyring, context, plaintext, Buffer.from(salt));
}

/**
 * Encrypts and authenticates `plaintext` for `context` under the keyring's current key.
 * The result is unpadded base64url, {@link sealedLength} characters long, and differs
 * on every call even for equal inputs (S-25).
 *
 * @throws TypeError - when the context's purpose or name is not a well-formed string (or > 64 KiB).
 */
export function seal(keyring: Keyring, context: SealContext, plaintext: Uint8Array): string {
  return sealInto(keyring, context, plaintext, undefined);
}

function sealInto(
  keyring: Keyring,
  context: SealContext,
  plaintext: Uint8Array,
  salt: Buffer | undefined,
): string {
  const blob = Buffer.allocUnsafe(OVERHEAD + plaintext.length);
  blob[0] = SEAL_VERSION;
  keyring.keyId(0).copy(blob, 1);
  if (salt === undefined) randomInto(blob, SALT_AT, SALT_BYTES);
  else salt.copy(blob, SALT_AT);
  const aad = associatedData(context, blob);
  const key = deriveSubkey(keyring, 0, blob);
  const cipher = createCipheriv(
    'aes-256-gcm',
    key,
    blob.subarray(IV_AT, HEADER_BYTES),
    GCM_OPTIONS,
  );
  key.fill(0);
  cipher.setAAD(aad);
  cipher.update(plaintext).copy(blob, HEADER_BYTES);
  cipher.final();
  cipher.getAuthTag().copy(blob, blob.length - TAG_BYTES);
  return blob.toString('base64url');
}

/** What {@link unseal} recovered. */
export interface UnsealResult {
  /** The authenticated plaintext. */
  readonly plaintext: Buffer;
  /**
   * Which secret opened it: 0 is the current one; above 0 the caller should re-seal with
   * the current key on this response (rotation, S-29).
   */
  readonly keyIndex: number;
}

/**
 * Opens a blob made by {@link seal} for the same `context`.
 *
 * Order of checks: canonical base64url (S-26), length, version, key id, then the GCM tag
 * over header, context and ciphertext; nothing of the plaintext is returned unless the tag
 * verifies. Never throws anything but {@link UnsealError} for a string `sealed`.
 *
 * @throws UnsealError - reason `format` (not canonical base64url, or too short), `version`,
 * `key` (no listed secret has its key id) or `auth` (tampered, or sealed for another
 * purpose, cookie name or key).
 * @throws TypeError - when the context's purpose or name is not a well-formed string (or > 64 KiB).
 */
export function unseal(keyring: Keyring, context: SealContext, sealed: string): UnsealResult {
  if (typeof sealed !== 'string' || sealed.length < sealedLength(0)) {
    throw new UnsealError('format');
  }
  const blob = decodeCanonicalBase64url(sealed);
  if (blob === null) throw new UnsealError('format');
  if (blob[0] !== SEAL_VERSION) throw new UnsealError('version');
  const keyIndex = keyring.indexOfKeyId(blob, 1);
  if (keyIndex < 0) throw new UnsealError('key');
  const aad = associatedData(context, blob);
  const key = deriveSubkey(keyring, keyIndex, blob);
  const iv = blob.subarray(IV_AT, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, GCM_OPTIONS);
  key.fill(0);
  decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
  decipher.setAAD(aad);
  const plaintext = decipher.update(blob.subarray(HEADER_BYTES, blob.length - TAG_BYTES));
  try {
    decipher.final();
  } catch {
    plaintext.fill(0);
    throw new UnsealError('auth');
  }
  return { plaintext, keyIndex };
}
