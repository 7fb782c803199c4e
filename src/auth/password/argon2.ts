/**
 * The default hasher: argon2id through `@node-rs/argon2` (Rust, run on the libuv
 * threadpool, so hashing never blocks the event loop). Parameters follow OWASP's first
 * choice: m=19456 KiB (19 MiB), t=2, p=1, with a 16-byte salt and a 32-byte tag.
 *
 * Format: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (PHC, as every argon2 library
 * writes it), so hashes made by other implementations verify here and the other way round.
 */
import { InvalidOptionsError } from '../../errors.js';
import { passwordBytes } from './input.js';
import { type Argon2Module, loadArgon2, missingPackage } from './optional.js';
import { intParam, parsePhc } from './phc.js';
import { defaultHashConcurrency, HashQueue } from './queue.js';
import { newSalt, SALT_BYTES } from './salt.js';
import { tooLong } from './too-long.js';
import type { PasswordHasher } from './types.js';

/** Options of {@link argon2idHasher}. */
export interface Argon2Options {
  /** Memory per hash in KiB. @default 19456 (19 MiB, OWASP) */
  readonly memoryCost?: number;
  /** Passes over the memory. @default 2 */
  readonly timeCost?: number;
  /** Lanes. @default 1 */
  readonly parallelism?: number;
  /**
   * Hashes computed at once (S-52). Keep it at or below the libuv threadpool size (4
   * unless `UV_THREADPOOL_SIZE` says otherwise). @default 4, or the number of cores
   * when there are fewer (`os.availableParallelism()`)
   */
  readonly concurrency?: number;
  /** Hashes waiting for a slot before `PasswordHasherBusyError`. @default 64 */
  readonly maxQueue?: number;
}

const TAG_BYTES = 32;
/** Argon2 version 0x13 (19), the current one; `Version.V0x13` in `@node-rs/argon2`. */
const VERSION = 19;
/** `Algorithm.Argon2id` in `@node-rs/argon2` (a const enum, so not importable by value). */
const ARGON2ID = 2;
/** Bounds on what a stored hash may ask for: 1 GiB, 64 passes, 64 lanes. */
const MAX_MEMORY_KIB = 1024 * 1024;
const MAX_TIME = 64;
const MAX_LANES = 64;
const VARIANTS = new Set(['argon2id', 'argon2i', 'argon2d']);

function option(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new InvalidOptionsError(`argon2 ${name} must be an integer in ${min}..${max}`);
  }
  return v;
}

/**
 * An argon2id {@link PasswordHasher}. Resolves once `@node-rs/argon2` is loaded; rejects
 * with `NotSupportedError` when it is not installed (use `createPasswordHasher` with
 * `algorithm: 'auto'` to fall back to scrypt instead).
 */
export async function argon2idHasher(options: Argon2Options = {}): Promise<PasswordHasher> {
  const m = option('memoryCost', options.memoryCost, 19456, 8, MAX_MEMORY_KIB);
  const t = option('timeCost', options.timeCost, 2, 1, MAX_TIME);
  const p = option('parallelism', options.parallelism, 1, 1, MAX_LANES);
  if (m < 8 * p)
    throw new InvalidOptionsError('argon2 memoryCost must be at least 8 x parallelism');
  const queue = new HashQueue({
    concurrency: options.concurrency ?? defaultHashConcurrency(4),
    maxQueue: options.maxQueue ?? 64,
  });
  const argon2 = await loadArgon2();
  if (argon2 === null) {
    throw missingPackage('@node-rs/argon2', "or choose algorithm 'scrypt' (no dependency)");
  }
  return createArgon2id(argon2, { m, t, p }, queue);
}

/** The hasher over a loaded module; separate so tests can hand in a module. */
export function createArgon2id(
  argon2: Argon2Module,
  params: { readonly m: number; readonly t: number; readonly p: number },
  queue: HashQueue,
): PasswordHasher {
  const { m, t, p } = params;
  const hashOptions = {
    algorithm: ARGON2ID,
    memoryCost: m,
    timeCost: t,
    parallelism: p,
    outputLen: TAG_BYTES,
  };
  return {
    id: 'argon2id',
    async hash(password) {
      const bytes = passwordBytes(password);
      if (bytes === 'type') throw new TypeError('password must be a well-formed string');
      if (bytes === 'length') throw tooLong();
      const salt = newSalt();
      return queue.run(() => argon2.hash(bytes, { ...hashOptions, salt }));
    },
    async verify(hash, password) {
      const bytes = passwordBytes(password);
      if (parseArgon2(hash) === null || typeof bytes === 'string') return false;
      // The string was checked above; the library may still refuse it (e.g. a tag of an
      // unusual length): that is a non-match, never a crash. Overload still rejects.
      return queue.run(() => argon2.verify(hash, bytes).catch(() => false));
    },
    needsRehash(hash) {
      const stored = parseArgon2(hash);
      if (stored === null || stored.id !== 'argon2id' || stored.version < VERSION) return true;
      return (
        stored.m < m ||
        stored.t < t ||
        stored.p !== p ||
        stored.saltBytes < SALT_BYTES ||
        stored.tagBytes < TAG_BYTES
      );
    },
  };
}

interface StoredArgon2 {
  readonly id: string;
  readonly version: number;
  readonly m: number;
  readonly t: number;
  readonly p: number;
  readonly saltBytes: number;
  readonly tagBytes: number;
}

/** An argon2 PHC string (any variant, parameters in any order) within bounds, or null. */
function parseArgon2(text: string): StoredArgon2 | null {
  const phc = parsePhc(text);
  if (phc === null || !VARIANTS.has(phc.id)) return null;
  // Hashes from before version 0x13 carry no `v=` segment.
  const version = phc.version ?? 16;
  if (version !== 16 && version !== VERSION) return null;
  if (phc.params.size !== 3) return null;
  const m = intParam(phc, 'm', 8, MAX_MEMORY_KIB);
  const t = intParam(phc, 't', 1, MAX_TIME);
  const p = intParam(phc, 'p', 1, MAX_LANES);
  if (m === null || t === null || p === null) return null;
  const saltBytes = phc.salt.byteLength;
  const tagBytes = phc.hash.byteLength;
  if (saltBytes < 8 || saltBytes > 64 || tagBytes < 4 || tagBytes > 64) return null;
  return { id: phc.id, version, m, t, p, saltBytes, tagBytes };
}
