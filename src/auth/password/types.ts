/**
 * The password hasher contract. Every hasher — argon2id, scrypt, or one an application
 * supplies — stores self-describing PHC strings, so a hash made today can still be
 * verified, and recognised as outdated, after the defaults change.
 */

/** One password hashing scheme with fixed parameters. */
export interface PasswordHasher {
  /** PHC algorithm identifier of the hashes it makes (`argon2id`, `scrypt`, ...). */
  readonly id: string;
  /**
   * Hashes `password` (NFKC-normalized first) with a fresh random salt; resolves to a PHC
   * string. Never blocks the event loop. Rejects with `PasswordHasherBusyError` when its
   * concurrency limit and queue are full, and with `PasswordPolicyError` (`too_long`)
   * above 1024 UTF-8 bytes.
   */
  hash(password: string): Promise<string>;
  /**
   * True when `password` matches `hash`. A hash it cannot read (another algorithm,
   * malformed, absurd parameters) gives false, never a throw; only overload
   * (`PasswordHasherBusyError`) rejects.
   */
  verify(hash: string, password: string): Promise<boolean>;
  /**
   * True when `hash` should be replaced after the next successful verification: another
   * algorithm, unreadable, or this algorithm with weaker or older parameters.
   */
  needsRehash(hash: string): boolean;
}

/**
 * Verifies hashes imported from another system (a home-made format, an old PHP app).
 * Legacy hashes are only ever verified, never created; on success they are replaced by a
 * hash of the current default (see `verifyAndUpgrade`).
 */
export interface LegacyVerifier {
  /** True when this verifier recognises `hash` (e.g. by its prefix). Must not throw. */
  matches(hash: string): boolean;
  /**
   * True when `password` matches. Receives the password exactly as submitted, not
   * normalized, since the old system hashed whatever it was given.
   */
  verify(hash: string, password: string): Promise<boolean>;
}

/** Result of `verifyAndUpgrade`. */
export interface VerifyResult {
  /** Whether the password matched. */
  readonly ok: boolean;
  /**
   * Present when `ok` and the stored hash needs replacing: a fresh hash of the password
   * with the current default hasher. Store it in place of the old one.
   */
  readonly newHash?: string;
}
