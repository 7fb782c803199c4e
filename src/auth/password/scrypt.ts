/**
 * The zero-dependency hasher: scrypt from `node:crypto`, run asynchronously on the libuv
 * threadpool. OWASP's scrypt parameters (N=2^17, r=8, p=1) cost 128 MiB and a few hundred
 * milliseconds per hash; `maxmem` is set to exactly what the parameters need, since
 * Node's default limit (32 MiB) refuses them.
 *
 * Format: `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (PHC; `ln` is log2 N, as in passlib).
 */
import { scrypt } from 'node:crypto';
import { timingSafeEqualBytes } from '../../crypto/compare.js';
import { InvalidOptionsError } from '../../errors.js';
import { passwordBytes } from './input.js';
import { formatPhc, intParam, parsePhc } from './phc.js';
import { defaultHashConcurrency, HashQueue } from './queue.js';
import { newSalt, SALT_BYTES } from './salt.js';
import { tooLong } from './too-long.js';
import type { PasswordHasher } from './types.js';

/** Options of {@link scryptHasher}. */
export interface ScryptOptions {
  /** log2 of the CPU/memory cost N. @default 17 (N = 131072, OWASP) */
  readonly ln?: number;
  /** Block size. @default 8 */
  readonly r?: number;
  /** Parallelization. @default 1 */
  readonly p?: number;
  /** Hashes computed at once (S-52); each holds 128·N·r bytes. @default 2, or 1 on one core */
  readonly concurrency?: number;
  /** Hashes waiting for a slot before `PasswordHasherBusyError`. @default 16 */
  readonly maxQueue?: number;
}

const KEY_BYTES = 32;
/** Largest memory a stored hash may ask for when verified (1 GiB, 8x the default). */
const MAX_MEMORY = 1024 * 1024 * 1024;

/** Bytes scrypt allocates for these parameters (OpenSSL: 128·r·(N + 2) + 128·r·p). */
function memoryFor(n: number, r: number, p: number): number {
  return 128 * r * (n + 2 + p);
}

function derive(
  password: Buffer,
  salt: Buffer,
  ln: number,
  r: number,
  p: number,
  keyBytes: number,
) {
  const N = 2 ** ln;
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, keyBytes, { N, r, p, maxmem: memoryFor(N, r, p) }, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}

/** Checks one integer option; throws `InvalidOptionsError` naming it. */
function option(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new InvalidOptionsError(`scrypt ${name} must be an integer in ${min}..${max}`);
  }
  return v;
}

/**
 * A scrypt {@link PasswordHasher}. Lower `ln` only in tests: every step down halves the
 * attacker's cost too.
 */
export function scryptHasher(options: ScryptOptions = {}): PasswordHasher {
  const ln = option('ln', options.ln, 17, 1, 20);
  const r = option('r', options.r, 8, 1, 32);
  const p = option('p', options.p, 1, 1, 16);
  if (memoryFor(2 ** ln, r, p) > MAX_MEMORY) {
    throw new InvalidOptionsError('scrypt parameters need more than 1 GiB per hash');
  }
  const queue = new HashQueue({
    concurrency: options.concurrency ?? defaultHashConcurrency(2),
    maxQueue: options.maxQueue ?? 16,
  });

  return {
    id: 'scrypt',
    async hash(password) {
      const bytes = passwordBytes(password);
      if (bytes === 'type') throw new TypeError('password must be a well-formed string');
      if (bytes === 'length') throw tooLong();
      const salt = newSalt();
      const key = await queue.run(() => derive(bytes, salt, ln, r, p, KEY_BYTES));
      return formatPhc(
        'scrypt',
        undefined,
        [
          ['ln', ln],
          ['r', r],
          ['p', p],
        ],
        salt,
        key,
      );
    },
    async verify(hash, password) {
      const stored = parseScrypt(hash);
      const bytes = passwordBytes(password);
      if (stored === null || typeof bytes === 'string') return false;
      const { salt, key } = stored;
      const computed = await queue.run(() =>
        derive(bytes, salt, stored.ln, stored.r, stored.p, key.byteLength),
      );
      return timingSafeEqualBytes(computed, key);
    },
    needsRehash(hash) {
      const stored = parseScrypt(hash);
      if (stored === null) return true;
      return (
        stored.ln < ln ||
        stored.r < r ||
        stored.p < p ||
        stored.salt.byteLength < SALT_BYTES ||
        stored.key.byteLength < KEY_BYTES
      );
    },
  };
}

interface StoredScrypt {
  readonly ln: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

/** A scrypt PHC string within sane bounds, or null. */
function parseScrypt(text: string): StoredScrypt | null {
  const phc = parsePhc(text);
  if (phc === null || phc.id !== 'scrypt' || phc.version !== undefined) return null;
  if (phc.params.size !== 3) return null;
  const ln = intParam(phc, 'ln', 1, 24);
  const r = intParam(phc, 'r', 1, 64);
  const p = intParam(phc, 'p', 1, 64);
  if (ln === null || r === null || p === null) return null;
  if (memoryFor(2 ** ln, r, p) > MAX_MEMORY) return null;
  const { salt, hash: key } = phc;
  // NIST SP 800-63B asks for at least 32 bits of salt; RFC 7914's vectors use 4 bytes.
  if (salt.byteLength < 4 || salt.byteLength > 64) return null;
  if (key.byteLength < 16 || key.byteLength > 64) return null;
  return { ln, r, p, salt, key };
}
