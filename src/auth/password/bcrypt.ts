/**
 * Verifying imported bcrypt hashes (`$2a$`, `$2b$`, `$2y$` — PHP's `password_hash`
 * writes `$2y$`) through `bcryptjs`, loaded on first use. Tessera never makes bcrypt
 * hashes: a match is upgraded to the default hasher by `verifyAndUpgrade`.
 *
 * bcrypt reads only the first 72 bytes of a password and silently ignores the rest
 * (`bcryptjs` included), so "a"*72+"X" and "a"*72+"Y" share a hash. A submitted password
 * longer than 72 UTF-8 bytes is therefore refused (no match) rather than compared on its
 * first 72 bytes (S-51); such a user must reset their password.
 *
 * `bcryptjs` is JavaScript on the main thread: it yields to the event loop between
 * slices of at most ~100 ms, which is why these verifications also go through a queue.
 */
import { loadBcrypt, missingPackage } from './optional.js';
import { HashQueue } from './queue.js';
import type { LegacyVerifier } from './types.js';

/** The modular-crypt form: version, two-digit cost 04..31, 22 + 31 characters of bcrypt base64. */
const BCRYPT = /^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$/;
/** bcrypt's input limit in bytes. */
export const BCRYPT_MAX_BYTES = 72;

/** Options of {@link bcryptVerifier}. */
export interface BcryptOptions {
  /** Verifications at once. @default 1 (each one occupies the main thread in slices) */
  readonly concurrency?: number;
  /** Verifications waiting before `PasswordHasherBusyError`. @default 16 */
  readonly maxQueue?: number;
}

/** True for a well-formed bcrypt hash. */
export function isBcryptHash(hash: unknown): hash is string {
  return typeof hash === 'string' && BCRYPT.test(hash);
}

/**
 * A {@link LegacyVerifier} for bcrypt. `verify` rejects with `NotSupportedError` when a
 * bcrypt hash must be checked and `bcryptjs` is not installed.
 */
export function bcryptVerifier(options: BcryptOptions = {}): LegacyVerifier {
  const queue = new HashQueue({
    concurrency: options.concurrency ?? 1,
    maxQueue: options.maxQueue ?? 16,
  });
  return {
    matches: isBcryptHash,
    async verify(hash, password) {
      if (!isBcryptHash(hash) || typeof password !== 'string') return false;
      if (Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_BYTES) return false;
      const bcrypt = await loadBcrypt();
      if (bcrypt === null) {
        throw missingPackage('bcryptjs', 'it is needed to verify imported bcrypt hashes');
      }
      return queue.run(() => bcrypt.compare(password, hash).catch(() => false));
    },
  };
}
