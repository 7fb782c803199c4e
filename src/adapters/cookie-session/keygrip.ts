/**
 * Keygrip-compatible signatures, the `.sig` cookies cookie-session has always issued:
 * HMAC-SHA1 of `name=value` under a key, base64 with `+` -> `-`, `/` -> `_` and the `=`
 * padding removed (keygrip 1.x defaults). The first key signs; every key verifies, in
 * order, so a key can be rotated in front of the old one.
 */
import { createHmac } from 'node:crypto';
import { timingSafeEqualStrings } from '../../crypto/compare.js';

/** A key as cookie-session accepts it (keygrip hands it to `crypto.createHmac`). */
export type SigningKey = string | Uint8Array;

/**
 * What a `keys` option may also be: an existing Keygrip instance (or any object with its
 * `sign`/`index` methods), used as is for the `.sig` cookies.
 */
export interface KeygripLike {
  sign(data: string): string;
  index(data: string, digest: string): number;
}

/** Signs and verifies `.sig` values. */
export interface Signer {
  /** The signature of `data` under the current key. */
  sign(data: string): string;
  /** Index of the key that produced `signature` for `data`, or -1 when none did. */
  index(data: string, signature: string): number;
}

/** The keygrip signature of `data` under `key` (HMAC-SHA1, url-safe base64, unpadded). */
export function keygripSign(data: string, key: SigningKey): string {
  return createHmac('sha1', key).update(data).digest('base64url');
}

/** A signer over an ordered key list: `keys[0]` signs, all verify (constant time, S-30). */
export function keygripSigner(keys: readonly SigningKey[]): Signer {
  return {
    sign: (data) => keygripSign(data, keys[0]!),
    index(data, signature) {
      // Every key is tried even after a match would be found: the time taken does not
      // tell which key (or whether any) matched.
      let found = -1;
      for (let i = 0; i < keys.length; i++) {
        if (timingSafeEqualStrings(signature, keygripSign(data, keys[i]!)) && found < 0) found = i;
      }
      return found;
    },
  };
}

/** True for a Keygrip instance (or lookalike) passed as `keys`. */
export function isKeygripLike(value: unknown): value is KeygripLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as KeygripLike).sign === 'function' &&
    typeof (value as KeygripLike).index === 'function'
  );
}
