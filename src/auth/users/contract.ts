/**
 * The UserRepository contract: the few operations sign-up, sign-in, password changes and
 * "sign out everywhere" need from wherever an application keeps its users. Tessera ships
 * memory, SQLite and PostgreSQL implementations; an application with an ORM implements
 * these six methods over its own table (docs/users-orm.md) and proves them with
 * `runUserRepositoryConformance` from `tesserajs/testing`.
 */

/** A user as the repository returns it: a snapshot, never a live view of the row. */
export interface UserRecord {
  /**
   * Made by the repository on `create`: at least 128 random bits, URL-safe (base64url),
   * never derived from the email. Sessions and logs name the user by it.
   */
  readonly id: string;
  /** The normalized email address (see `normalizeEmail`), unique among users. */
  readonly email: string;
  /** The password hash: a PHC string (`$argon2id$...`) or an imported legacy hash. */
  readonly passwordHash: string;
  /**
   * An integer >= 0, 0 at creation. Bumping it invalidates every session issued before
   * (S-11, S-12): sessions carry the generation they were issued under and are refused
   * when it no longer matches.
   */
  readonly sessionGeneration: number;
  /** When the user was created, in ms since the epoch. */
  readonly createdAt: number;
  /** When the password hash or session generation last changed, in ms since the epoch. */
  readonly updatedAt: number;
}

/** What `create` needs: the repository adds the id, the generation and the instants. */
export interface NewUser {
  /** The email address; the repository normalizes it (again) before storing it. */
  readonly email: string;
  /** The password hash to store. */
  readonly passwordHash: string;
}

/**
 * Where users live. Every method is atomic on its own; none needs a transaction around it.
 *
 * Emails: `create` and `findByEmail` run `normalizeEmail` themselves, so a caller that
 * forgot to (or an ORM hook that changed the text) cannot create two users for one
 * address. `create` refuses an invalid address with `InvalidEmailError`; `findByEmail`
 * answers `null` for one, as no user can have it.
 *
 * Failures of the backend (down, locked, timed out, a row it cannot read) reject with
 * `UserStoreError` (`code: 'USER_STORE'`), which adapters answer with 503.
 */
export interface UserRepository {
  /** The user with this id, or `null` (also for ids no repository could have made). */
  findById(id: string): Promise<UserRecord | null>;
  /** The user with this email address (normalized first), or `null`. */
  findByEmail(email: string): Promise<UserRecord | null>;
  /**
   * Creates a user. Rejects with `EmailTakenError` (`code: 'EMAIL_TAKEN'`) when a user
   * with the same normalized email exists, also when several `create` calls race: exactly
   * one succeeds. Rejects with `InvalidEmailError` for an address `normalizeEmail` refuses.
   */
  create(user: NewUser): Promise<UserRecord>;
  /** Replaces the password hash; `false` when there is no such user. */
  updatePasswordHash(id: string, passwordHash: string): Promise<boolean>;
  /**
   * Adds one to the session generation, atomically (n concurrent calls add n), and
   * returns the new value; `null` when there is no such user.
   */
  bumpSessionGeneration(id: string): Promise<number | null>;
  /** Deletes the user; `false` when there was no such user. Its email becomes free. */
  delete(id: string): Promise<boolean>;
  /** Releases what the repository opened itself (never a client it was given). */
  close?(): Promise<void>;
}
