/**
 * The contract every server-side session store implements.
 *
 * Stores never see a session id: the engine hands them `key = base64url(SHA-256(id))`
 * (43 characters), so a dump of the store yields no usable cookie (S-02).
 *
 * Session data travels as one JSON text per top-level key. That lets a store apply
 * per-key patches atomically in one round trip (a Redis hash field per key, `jsonb`
 * concatenation in PostgreSQL, `json_set`/`json_remove` in SQLite), which is what keeps
 * two concurrent requests that change different keys from losing each other's update.
 *
 * All instants are milliseconds since the Unix epoch. The engine guarantees
 * `expiresAt <= absoluteExpiresAt` and checks expiry itself on every load, so a store
 * that returns a record a moment past its expiry is harmless; a store must however
 * never return a record whose `expiresAt` lies before its own clock's "now" by more than
 * its sweep granularity, and must delete it eventually (native TTLs, a sweep, or prune()).
 */

/** How far a prune has got. */
export interface PruneProgress {
  /** Rows deleted so far. */
  readonly deleted: number;
  /** Batches run so far. */
  readonly batches: number;
}

/** Options of a store's `prune()`. */
export interface PruneOptions {
  /** Rows deleted per statement. @default the store's `pruneBatchSize` */
  readonly batchSize?: number;
  /** Called after every batch, e.g. to log progress through a large backlog. */
  readonly onProgress?: (progress: PruneProgress) => void;
  /** Stops between batches; `prune()` then resolves with the rows deleted so far. */
  readonly signal?: AbortSignal;
}

/** One stored session, as the store keeps it. */
export interface SessionRecord {
  /** Top-level session keys mapped to the JSON text of their values. */
  readonly data: Readonly<Record<string, string>>;
  /** When the session was created. Never changes, even across regeneration. */
  readonly createdAt: number;
  /** When the session expires unless touched (idle timeout, capped by absolute expiry). */
  readonly expiresAt: number;
  /** When the session expires whatever happens (absolute timeout). */
  readonly absoluteExpiresAt: number;
  /** The user the session is bound to, for listing and revoking a user's sessions. */
  readonly userId: string | null;
}

/** Changes to apply atomically to one existing session. */
export interface SessionPatch {
  /** Keys to set, mapped to the JSON text of their new values. */
  readonly set: Readonly<Record<string, string>>;
  /** Keys to remove. Never overlaps `set`. */
  readonly remove: readonly string[];
  /** The new idle expiry. */
  readonly expiresAt: number;
  /** The new user binding; `undefined` leaves it unchanged. */
  readonly userId?: string | null;
  /**
   * The most bytes (UTF-8 of keys and texts) the record's data may hold after this patch.
   * A patch that would cross it changes nothing and rejects with
   * `InvalidSessionDataError` (code `INVALID_SESSION_DATA`): concurrent patches of
   * different keys, each within the bound, must not add up to a record the engine would
   * then refuse to read. `undefined`: no bound.
   */
  readonly maxDataBytes?: number;
}

/** A session of one user, as listed by {@link SessionStore.listByUser}. */
export interface UserSessionEntry {
  readonly key: string;
  readonly record: SessionRecord;
}

/**
 * Server-side session storage. Every method is one round trip to the backing server.
 * Implementations throw `SessionStoreError` (from `tesserajs`) when the backend fails or
 * times out (any other exception is wrapped into one by the engine), and
 * `CorruptRecordError` from `get` when a record exists but cannot be read (not JSON,
 * wrong shape, foreign data) — the engine then treats the request as a guest.
 */
export interface SessionStore {
  /** The record under `key`, or `null` if there is none or it has expired. */
  get(key: string): Promise<SessionRecord | null>;
  /** Creates or replaces the whole record under `key`. */
  set(key: string, record: SessionRecord): Promise<void>;
  /**
   * Applies `patch` atomically to an existing, unexpired record. Returns `false` (and
   * writes nothing) when there is no such record: a patch never resurrects a session
   * that was destroyed or expired meanwhile.
   */
  patch(key: string, patch: SessionPatch): Promise<boolean>;
  /** Moves the idle expiry of an existing record; a missing record is left missing. */
  touch(key: string, expiresAt: number): Promise<void>;
  /** Deletes the record under `key`, if any. */
  destroy(key: string): Promise<void>;

  /** Optional: every unexpired session bound to `userId`. */
  listByUser?(userId: string): Promise<UserSessionEntry[]>;
  /** Optional: deletes every session bound to `userId` except `exceptKey`; returns how many. */
  destroyByUser?(userId: string, exceptKey?: string): Promise<number>;
  /**
   * Optional: deletes expired records now; returns how many. SQL stores work in bounded
   * batches (see {@link PruneOptions}).
   */
  prune?(options?: PruneOptions): Promise<number>;
  /**
   * Optional: connects, opens files and creates tables now, so a missing driver, a wrong
   * URL or an unwritable folder is one clear error at start-up (`sessions.ready()`).
   */
  ready?(): Promise<void>;
  /** Optional: releases what the store itself opened (timers, connections it created). */
  close?(): Promise<void>;
}
