/** A bounded, in-process SessionStore: LRU eviction, expiry sweep, per-user index. */
import { InvalidSessionDataError } from '../../errors.js';
import type { SessionPatch, SessionRecord, SessionStore, UserSessionEntry } from '../contract.js';
import { patchTooLarge, recordBytes } from '../data-bytes.js';
import {
  MEMORY_RECORD_OVERHEAD,
  type MemoryStoreOptions,
  resolveMemoryStoreOptions,
} from './options.js';
import { UserIndex } from './user-index.js';

/** Counters describing a {@link MemoryStore}, for monitoring and tests. */
export interface MemoryStoreStats {
  /** Records held now, including expired ones not yet swept. */
  readonly size: number;
  /** Users with at least one record. */
  readonly users: number;
  /** Records bound to a user (the rest are anonymous). */
  readonly userSessions: number;
  /** Bytes held by the records, as `maxBytes` measures them. */
  readonly bytes: number;
  /** Records removed to make room under `maxSessions` or `maxBytes`, since creation. */
  readonly evictions: number;
  /** Expired records removed (on access, by the sweep, or by `prune()`), since creation. */
  readonly expirations: number;
}

// Settled promises are immutable, so these are shared instead of allocated per call.
const RESOLVED_VOID: Promise<void> = Promise.resolve();
const RESOLVED_NULL: Promise<null> = Promise.resolve(null);
const RESOLVED_TRUE: Promise<boolean> = Promise.resolve(true);
const RESOLVED_FALSE: Promise<boolean> = Promise.resolve(false);

/** Copies a data map into a null-prototype object, so `__proto__` stays an ordinary key. */
function copyData(source: Readonly<Record<string, string>>): Record<string, string> {
  const data = Object.create(null) as Record<string, string>;
  for (const name of Object.keys(source)) data[name] = source[name]!;
  return data;
}

/** What `maxBytes` counts for a record held under `key` with `data`. */
function entryBytes(
  key: string,
  data: Readonly<Record<string, string>>,
  userId: string | null,
): number {
  return (
    MEMORY_RECORD_OVERHEAD +
    Buffer.byteLength(key) +
    recordBytes(data) +
    (userId === null ? 0 : Buffer.byteLength(userId))
  );
}

function freezeRecord(
  data: Record<string, string>,
  createdAt: number,
  expiresAt: number,
  absoluteExpiresAt: number,
  userId: string | null,
): SessionRecord {
  Object.freeze(data);
  return Object.freeze({ data, createdAt, expiresAt, absoluteExpiresAt, userId });
}

/**
 * Keeps sessions in this process's memory. Suited to development, tests and single-process
 * deployments: sessions are lost on restart and are not shared between processes or
 * machines (use the Redis, PostgreSQL or SQLite store for that).
 *
 * Records are held frozen, with null-prototype data maps, and handed out as they are:
 * a caller cannot change what the store holds, and reading costs no copy. A `Map` in
 * insertion order doubles as the LRU list (every access re-inserts the key).
 */
export class MemoryStore implements SessionStore {
  readonly #records = new Map<string, SessionRecord>();
  readonly #index = new UserIndex();
  /** Bytes of each record, as `maxBytes` measures them (touch leaves them unchanged). */
  readonly #sizes = new Map<string, number>();
  readonly #maxSessions: number;
  readonly #maxBytes: number;
  readonly #clock: () => number;
  #bytes = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #evictions = 0;
  #expirations = 0;

  constructor(options?: MemoryStoreOptions) {
    const resolved = resolveMemoryStoreOptions(options);
    this.#maxSessions = resolved.maxSessions;
    this.#maxBytes = resolved.maxBytes;
    this.#clock = resolved.clock;
    if (resolved.sweepInterval > 0) {
      // The timer holds the store only weakly: a store dropped without close() is still
      // collected, and its timer stops at the next tick. unref() never keeps the process up.
      const self = new WeakRef(this);
      const timer = setInterval(() => {
        const store = self.deref();
        if (store === undefined) clearInterval(timer);
        else store.#prune();
      }, resolved.sweepInterval);
      timer.unref();
      this.#timer = timer;
    }
  }

  /** Current counters. */
  get stats(): MemoryStoreStats {
    return {
      size: this.#records.size,
      bytes: this.#bytes,
      users: this.#index.users,
      userSessions: this.#index.keys,
      evictions: this.#evictions,
      expirations: this.#expirations,
    };
  }

  /** The frozen record under `key`, or `null`; an expired record is deleted on the way. */
  get(key: string): Promise<SessionRecord | null> {
    const record = this.#live(key);
    return record === undefined ? RESOLVED_NULL : Promise.resolve(record);
  }

  /**
   * Stores a copy of `record` (evicting the least recently used record when full). A record
   * that is already expired is kept until swept, read or pruned, like any other.
   */
  set(key: string, record: SessionRecord): Promise<void> {
    const userId = record.userId ?? null;
    const data = copyData(record.data);
    const bytes = entryBytes(key, data, userId);
    if (bytes > this.#maxBytes) {
      return Promise.reject(
        new InvalidSessionDataError(
          `session takes ${bytes} bytes, above the memory store's maxBytes (${this.#maxBytes})`,
        ),
      );
    }
    const stored = freezeRecord(
      data,
      record.createdAt,
      record.expiresAt,
      record.absoluteExpiresAt,
      userId,
    );
    const previous = this.#records.get(key);
    if (previous === undefined) {
      if (this.#records.size >= this.#maxSessions) this.#evictOldest();
      this.#index.add(userId, key);
    } else {
      this.#records.delete(key);
      this.#index.move(previous.userId, userId, key);
    }
    this.#records.set(key, stored);
    this.#resize(key, bytes);
    return RESOLVED_VOID;
  }

  /**
   * Applies `patch` to a live record and returns `true`; `false` for a missing or expired
   * one. Atomic by construction: nothing else runs between the read and the write.
   */
  patch(key: string, patch: SessionPatch): Promise<boolean> {
    const current = this.#live(key);
    if (current === undefined) return RESOLVED_FALSE;
    const data = copyData(current.data);
    for (const name of Object.keys(patch.set)) data[name] = patch.set[name]!;
    for (const name of patch.remove) delete data[name];
    const userId = patch.userId === undefined ? current.userId : patch.userId;
    const max = patch.maxDataBytes;
    if (max !== undefined) {
      const dataBytes = recordBytes(data);
      if (dataBytes > max) return Promise.reject(patchTooLarge(max, dataBytes));
    }
    const bytes = entryBytes(key, data, userId);
    if (bytes > this.#maxBytes) {
      return Promise.reject(
        new InvalidSessionDataError(
          `session would take ${bytes} bytes, above the memory store's maxBytes (${this.#maxBytes})`,
        ),
      );
    }
    const next = freezeRecord(
      data,
      current.createdAt,
      patch.expiresAt,
      current.absoluteExpiresAt,
      userId,
    );
    this.#index.move(current.userId, userId, key);
    // #live() already moved the key to the most-recent end; set() keeps that position.
    this.#records.set(key, next);
    this.#resize(key, bytes);
    return RESOLVED_TRUE;
  }

  /** Moves the idle expiry of a live record; a missing or expired record stays missing. */
  touch(key: string, expiresAt: number): Promise<void> {
    const current = this.#live(key);
    if (current !== undefined) {
      // The data map is frozen, so the new record can share it.
      this.#records.set(key, Object.freeze({ ...current, expiresAt }));
    }
    return RESOLVED_VOID;
  }

  /** Deletes the record under `key`, if any. */
  destroy(key: string): Promise<void> {
    const record = this.#records.get(key);
    if (record !== undefined) this.#remove(key, record);
    return RESOLVED_VOID;
  }

  /** The user's live sessions, in O(their number); expired ones found on the way are deleted. */
  listByUser(userId: string): Promise<UserSessionEntry[]> {
    const now = this.#clock();
    const entries: UserSessionEntry[] = [];
    for (const key of this.#index.keysOf(userId)) {
      const record = this.#records.get(key);
      if (record === undefined) continue;
      if (record.expiresAt <= now) this.#expire(key, record);
      else entries.push({ key, record });
    }
    return Promise.resolve(entries);
  }

  /**
   * Deletes the user's sessions except `exceptKey` and returns how many live ones went;
   * expired ones are deleted too but not counted.
   */
  destroyByUser(userId: string, exceptKey?: string): Promise<number> {
    const now = this.#clock();
    let count = 0;
    for (const key of this.#index.keysOf(userId)) {
      if (key === exceptKey) continue;
      const record = this.#records.get(key);
      if (record === undefined) continue;
      if (record.expiresAt <= now) {
        this.#expire(key, record);
      } else {
        this.#remove(key, record);
        count += 1;
      }
    }
    return Promise.resolve(count);
  }

  /** Deletes every expired record now (a full scan) and returns how many. */
  prune(): Promise<number> {
    return Promise.resolve(this.#prune());
  }

  /** Stops the sweep timer. The store keeps working; expired records go on access or prune(). */
  close(): Promise<void> {
    if (this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
    return RESOLVED_VOID;
  }

  /** The unexpired record under `key`, marked most recently used; drops it if expired. */
  #live(key: string): SessionRecord | undefined {
    const record = this.#records.get(key);
    if (record === undefined) return undefined;
    this.#records.delete(key);
    if (record.expiresAt <= this.#clock()) {
      this.#index.remove(record.userId, key);
      this.#dropSize(key);
      this.#expirations += 1;
      return undefined;
    }
    this.#records.set(key, record);
    return record;
  }

  #prune(): number {
    const now = this.#clock();
    let count = 0;
    // Deleting the entry being visited is safe while iterating a Map.
    for (const [key, record] of this.#records) {
      if (record.expiresAt <= now) {
        this.#expire(key, record);
        count += 1;
      }
    }
    return count;
  }

  /** Records `bytes` for `key` and evicts least recently used records until the total fits. */
  #resize(key: string, bytes: number): void {
    this.#bytes += bytes - (this.#sizes.get(key) ?? 0);
    this.#sizes.set(key, bytes);
    // `key` is the most recent entry and fits alone, so the loop stops before reaching it.
    while (this.#bytes > this.#maxBytes) this.#evictOldest();
  }

  #evictOldest(): void {
    const oldest = this.#records.entries().next();
    if (oldest.done === true) return;
    const [key, record] = oldest.value;
    this.#remove(key, record);
    if (record.expiresAt <= this.#clock()) this.#expirations += 1;
    else this.#evictions += 1;
  }

  #expire(key: string, record: SessionRecord): void {
    this.#remove(key, record);
    this.#expirations += 1;
  }

  #remove(key: string, record: SessionRecord): void {
    this.#records.delete(key);
    this.#index.remove(record.userId, key);
    this.#dropSize(key);
  }

  #dropSize(key: string): void {
    this.#bytes -= this.#sizes.get(key) ?? 0;
    this.#sizes.delete(key);
  }
}
