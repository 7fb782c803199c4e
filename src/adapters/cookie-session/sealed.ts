/**
 * The format the drop-in writes by default: the session sealed with Tessera's AEAD
 * (AES-256-GCM with a per-seal subkey, `src/crypto/seal.ts`, bound to the cookie name),
 * so the client can neither read nor alter it, and with the cookie's expiry inside, so a
 * copy kept past its `expires` is refused by the server too.
 *
 * Plaintext: `{"e":<expiry, ms since epoch; 0 = browser session>,"d":<session JSON>}`.
 */
import { hkdfSync } from 'node:crypto';
import { Keyring } from '../../crypto/keyring.js';
import { seal, unseal } from '../../crypto/seal.js';
import { isTesseraError } from '../../errors.js';
import { MAX_COOKIE_VALUE_LENGTH, parseSessionJson } from './data.js';
import type { SigningKey } from './keygrip.js';

const PURPOSE = 'cookie-session';
const KEY_INFO = 'tesserajs/cookie-session/v1/seal';

/** What unsealing a cookie gave. */
export interface Unsealed {
  readonly data: Record<string, unknown>;
  /** True when an older key opened it: re-seal under the current one. */
  readonly rotated: boolean;
}

/**
 * Builds the sealing keyring from cookie-session `keys`, in order (the first seals, all
 * open). Each key is stretched with HKDF-SHA256 into 32 bytes of key material: the
 * seal is then exactly as hard to forge as the keygrip signature made with the same key,
 * no weaker (cookie-session accepts any key, so the drop-in must too; Tessera's native
 * API refuses keys with less than 256 bits). Repeated keys are kept once.
 */
export function sealingKeyring(keys: readonly SigningKey[]): Keyring {
  const seen = new Set<string>();
  const materials: Uint8Array[] = [];
  for (const key of keys) {
    const id = typeof key === 'string' ? `s:${key}` : `b:${Buffer.from(key).toString('hex')}`;
    if (seen.has(id)) continue;
    seen.add(id);
    materials.push(new Uint8Array(hkdfSync('sha256', key, Buffer.alloc(0), KEY_INFO, 32)));
  }
  return new Keyring(materials);
}

/** Seals session JSON for cookie `name`; `expiresAt` 0 means a browser-session cookie. */
export function sealSession(
  keyring: Keyring,
  name: string,
  json: string,
  expiresAt: number,
): string {
  const plaintext = Buffer.from(`{"e":${expiresAt},"d":${json}}`, 'utf8');
  return seal(keyring, { purpose: PURPOSE, name }, plaintext);
}

/** Opens a sealed session value, or `null` when it is not one, was altered, or expired. */
export function unsealSession(
  keyring: Keyring,
  name: string,
  value: string,
  now: number,
): Unsealed | null {
  if (value.length > MAX_COOKIE_VALUE_LENGTH) return null;
  let opened: { plaintext: Buffer; keyIndex: number };
  try {
    opened = unseal(keyring, { purpose: PURPOSE, name }, value);
  } catch (error) {
    if (isTesseraError(error)) return null;
    throw error;
  }
  const payload = parseSessionJson(opened.plaintext.toString('utf8'));
  if (payload === null) return null;
  const { e: expiresAt, d: data } = payload;
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return null;
  if (expiresAt !== 0 && now >= expiresAt) return null;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  return { data: data as Record<string, unknown>, rotated: opened.keyIndex > 0 };
}
