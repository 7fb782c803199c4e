/** Fresh random salts from the CSPRNG (S-51: 16 bytes, far above NIST's 32-bit minimum). */
import { randomInto } from '../../crypto/random.js';

/** Salt length of every hash Tessera makes, in bytes. */
export const SALT_BYTES = 16;

/** `n` fresh random bytes for a salt. */
export function newSalt(n: number = SALT_BYTES): Buffer {
  const salt = Buffer.alloc(n);
  randomInto(salt, 0, n);
  return salt;
}
