/**
 * `createPasswordHasher()`: the one object applications hash and verify with. It makes
 * new hashes with one algorithm (argon2id by default, scrypt when `@node-rs/argon2` is
 * absent or by choice) and verifies every format it knows — argon2, scrypt, bcrypt and
 * the application's own legacy formats — so stored hashes migrate one sign-in at a time
 * through `verifyAndUpgrade`.
 */
import type { SecretInput } from '../../crypto/secret.js';
import { InvalidOptionsError, isTesseraError } from '../../errors.js';
import { type Argon2Options, argon2idHasher } from './argon2.js';
import { type BcryptOptions, bcryptVerifier } from './bcrypt.js';
import { loadArgon2 } from './optional.js';
import { pepperedHasher, readPeppers, splitKeyId } from './pepper.js';
import { type ScryptOptions, scryptHasher } from './scrypt.js';
import type { LegacyVerifier, PasswordHasher, VerifyResult } from './types.js';

/** Which algorithm makes new hashes. */
export type PasswordAlgorithm = 'argon2id' | 'scrypt' | 'auto';

/** Options of {@link createPasswordHasher}. */
export interface PasswordHasherOptions {
  /**
   * Algorithm of new hashes: `argon2id` (needs `@node-rs/argon2`), `scrypt` (no
   * dependency), or `auto` (argon2id when `@node-rs/argon2` loads, scrypt otherwise).
   * @default 'auto'
   */
  readonly algorithm?: PasswordAlgorithm;
  /** argon2id parameters and limits (for new hashes and for verifying argon2 hashes). */
  readonly argon2?: Argon2Options;
  /** scrypt parameters and limits (for new hashes and for verifying scrypt hashes). */
  readonly scrypt?: ScryptOptions;
  /**
   * Verify imported bcrypt hashes (`$2a$`/`$2b$`/`$2y$`) with `bcryptjs`; `false` turns
   * bcrypt off (such hashes then never verify). @default true
   */
  readonly bcrypt?: boolean | BcryptOptions;
  /**
   * Verifiers for home-made hash formats, tried in order for hashes no built-in
   * algorithm recognises. A match is upgraded by `verifyAndUpgrade`. @default []
   */
  readonly legacy?: readonly LegacyVerifier[];
  /**
   * Secrets kept outside the database (S-51), newest first, each of 256+ random bits
   * like a session secret. New argon2id and scrypt hashes are made from
   * `base64(HMAC-SHA-256(pepper, NFKC password))` and name their pepper by a key id
   * (`keyid=` in the PHC string); a hash made under an older listed pepper verifies and
   * is rehashed with the newest at sign-in. Keep an old pepper listed until no stored
   * hash names it: a hash whose pepper is gone never verifies again. Without `peppers`
   * nothing changes: hashes are made and verified as before.
   * @default none
   */
  readonly peppers?: readonly SecretInput[];
  /**
   * With `peppers`: whether argon2 and scrypt hashes made without a pepper (before one
   * was configured) still verify (and are rehashed with the pepper at sign-in). Turn it
   * off once every stored hash names a pepper, so that a hash written into the database
   * without the pepper is refused. bcrypt and legacy hashes are never peppered.
   * @default true
   */
  readonly allowUnpeppered?: boolean;
}

/** A {@link PasswordHasher} that verifies every known format and upgrades old hashes. */
export interface Passwords extends PasswordHasher {
  /** The hasher that makes new hashes. */
  readonly current: PasswordHasher;
  /**
   * Verifies `password` against `hash` in any known format; when it matches and `hash`
   * needs rehashing (another algorithm, weaker parameters, a legacy format), also
   * returns `newHash`, made by `current`, for the caller to store. A failed upgrade
   * (overload) still reports `ok` and leaves the upgrade to the next sign-in.
   */
  verifyAndUpgrade(hash: string, password: string): Promise<VerifyResult>;
}

/** The algorithm `choice` resolves to, given whether `@node-rs/argon2` loads. */
export function resolveAlgorithm(
  choice: PasswordAlgorithm,
  argon2Available: boolean,
): 'argon2id' | 'scrypt' {
  if (choice === 'auto') return argon2Available ? 'argon2id' : 'scrypt';
  return choice;
}

const PREFIX = /^\$([a-z0-9-]{1,32})\$/;

/**
 * Creates the application's password hasher. Resolves once the algorithm is known
 * (`@node-rs/argon2` is imported here when needed); rejects with `NotSupportedError` for
 * `algorithm: 'argon2id'` without it, and with `InvalidOptionsError` for bad parameters.
 */
export async function createPasswordHasher(
  options: PasswordHasherOptions = {},
): Promise<Passwords> {
  const algorithm = resolveAlgorithm(options.algorithm ?? 'auto', (await loadArgon2()) !== null);
  const scrypt = scryptHasher(options.scrypt);
  const argon2 = algorithm === 'argon2id' ? await argon2idHasher(options.argon2) : null;
  const peppers = options.peppers === undefined ? null : readPeppers(options.peppers);
  const allowUnpeppered = options.allowUnpeppered ?? true;
  if (typeof allowUnpeppered !== 'boolean') {
    throw new InvalidOptionsError('allowUnpeppered must be a boolean');
  }
  /** `hasher` as it verifies a stored hash: with the pepper the hash names, if any. */
  const withPepper = (hasher: PasswordHasher): PasswordHasher => {
    if (peppers === null) return hasher;
    const peppered = pepperedHasher(hasher, peppers);
    return {
      ...peppered,
      verify: (hash, password) =>
        splitKeyId(hash).id !== null
          ? peppered.verify(hash, password)
          : allowUnpeppered
            ? hasher.verify(hash, password)
            : Promise.resolve(false),
    };
  };
  const current = withPepper(argon2 ?? scrypt);
  const scryptVerifier = withPepper(scrypt);
  // Another algorithm's hasher, made when a hash of that kind first needs verifying.
  let lazyArgon2: Promise<PasswordHasher> | undefined;
  const bcrypt =
    options.bcrypt === false
      ? null
      : bcryptVerifier(options.bcrypt === true ? {} : (options.bcrypt ?? {}));
  const legacy = options.legacy ?? [];

  async function verify(hash: string, password: string): Promise<boolean> {
    if (typeof hash !== 'string' || typeof password !== 'string') return false;
    const id = PREFIX.exec(hash)?.[1];
    if (id === 'scrypt') return scryptVerifier.verify(hash, password);
    if (id === 'argon2id' || id === 'argon2i' || id === 'argon2d') {
      lazyArgon2 ??= (
        argon2 === null ? argon2idHasher(options.argon2) : Promise.resolve(argon2)
      ).then(withPepper);
      return (await lazyArgon2).verify(hash, password);
    }
    if (bcrypt?.matches(hash)) return bcrypt.verify(hash, password);
    for (const verifier of legacy) {
      if (verifier.matches(hash)) return verifier.verify(hash, password);
    }
    return false;
  }

  return {
    id: current.id,
    current,
    hash: (password) => current.hash(password),
    verify,
    needsRehash: (hash) => current.needsRehash(hash),
    async verifyAndUpgrade(hash, password) {
      if (!(await verify(hash, password))) return { ok: false };
      if (!current.needsRehash(hash)) return { ok: true };
      try {
        return { ok: true, newHash: await current.hash(password) };
      } catch (error) {
        // Busy, or a legacy password this hasher refuses: keep the old hash for now.
        if (isTesseraError(error)) return { ok: true };
        throw error;
      }
    },
  };
}

let shared: Promise<Passwords> | undefined;

/**
 * The process-wide default hasher: `createPasswordHasher()` with default options
 * (argon2id m=19456 t=2 p=1 when `@node-rs/argon2` is installed, else scrypt N=2^17
 * r=8 p=1), created once and shared, so its concurrency limit holds for the process.
 */
export function defaultHasher(): Promise<Passwords> {
  shared ??= createPasswordHasher();
  return shared;
}
