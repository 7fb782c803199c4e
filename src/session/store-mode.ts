import type { ParsedCookies } from '../cookies/parse.js';
import type { ResolvedSessionCookie } from '../cookies/precomputed.js';
import type { Keyring } from '../crypto/keyring.js';
import {
  generateSessionId,
  hashSessionId,
  signSessionId,
  verifySignedSessionId,
} from '../crypto/sign.js';
import { CorruptRecordError, isTesseraError, SessionStoreError } from '../errors.js';
import type { SessionRecord, SessionStore } from '../stores/contract.js';
import type { RejectionReason } from './events.js';
import { type DataSnapshot, snapshotFromTexts } from './snapshot.js';
import { VerifiedCache } from './verified-cache.js';

/** A verified session cookie: the id and its store key. */
export interface VerifiedId {
  readonly id: string;
  readonly key: string;
  readonly keyIndex: number;
}

/** What reading a store-mode session produced. */
export interface StoredSession {
  readonly verified: VerifiedId;
  readonly record: SessionRecord;
  readonly snapshot: DataSnapshot;
}

function isRecordShape(record: SessionRecord): boolean {
  return (
    Number.isFinite(record.createdAt) &&
    Number.isFinite(record.expiresAt) &&
    Number.isFinite(record.absoluteExpiresAt) &&
    (record.userId === null || typeof record.userId === 'string') &&
    typeof record.data === 'object' &&
    record.data !== null
  );
}

/**
 * Store mode: the cookie carries `id.signature`; the data lives in a {@link SessionStore}
 * under `SHA-256(id)`. A cookie that fails its signature never reaches the store.
 */
export class StoreMode {
  readonly store: SessionStore;
  readonly #keyring: Keyring;
  readonly #cache: VerifiedCache<VerifiedId>;
  readonly #maxDataBytes: number;

  constructor(keyring: Keyring, store: SessionStore, cacheSize: number, maxDataBytes: number) {
    this.#keyring = keyring;
    this.store = store;
    this.#cache = new VerifiedCache(cacheSize);
    this.#maxDataBytes = maxDataBytes;
  }

  /** Verifies the signed id cookie; no I/O. */
  verify(cookies: ParsedCookies, name: string): VerifiedId | RejectionReason | null {
    const value = cookies.values.get(name);
    if (value === undefined) return cookies.duplicates.has(name) ? 'duplicate_cookie' : null;
    const cached = this.#cache.get(value);
    if (cached !== undefined) return cached;
    const verified = verifySignedSessionId(this.#keyring, name, value);
    if (verified === null) return 'tamper';
    const entry = { id: verified.id, key: hashSessionId(verified.id), keyIndex: verified.keyIndex };
    this.#cache.set(value, entry);
    return entry;
  }

  /**
   * Loads the record behind a verified id: one store read. Rejects only with
   * `SessionStoreError`; unreadable records resolve to `'corrupt'`.
   */
  read(verified: VerifiedId): Promise<StoredSession | RejectionReason> {
    let pending: Promise<SessionRecord | null>;
    try {
      pending = this.store.get(verified.key);
    } catch (error) {
      pending = Promise.reject(error);
    }
    return pending.then(
      (record) => this.#check(verified, record),
      (error: unknown) => {
        if (error instanceof CorruptRecordError || isCorrupt(error)) return 'corrupt';
        throw asStoreError('get', error);
      },
    );
  }

  #check(verified: VerifiedId, record: SessionRecord | null): StoredSession | RejectionReason {
    if (record === null) return 'unknown';
    if (!isRecordShape(record) || tooLarge(record.data, this.#maxDataBytes)) return 'corrupt';
    try {
      return { verified, record, snapshot: snapshotFromTexts(record.data) };
    } catch {
      return 'corrupt';
    }
  }

  /** A fresh id with its store key. */
  newId(): VerifiedId {
    const id = generateSessionId();
    return { id, key: hashSessionId(id), keyIndex: 0 };
  }

  /** The `Set-Cookie` line carrying the signed id. */
  cookieLine(cookie: ResolvedSessionCookie, id: string, maxAge: number | undefined): string {
    const value = signSessionId(this.#keyring, cookie.name, id);
    return maxAge === undefined ? cookie.serialize(value) : cookie.serialize(value, { maxAge });
  }

  /** Runs a store write, turning any failure into a {@link SessionStoreError}. */
  async run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw asStoreError(operation, error);
    }
  }
}

/** A record larger than the engine would ever write is foreign or hostile (S-33). */
function tooLarge(data: Readonly<Record<string, string>>, maxBytes: number): boolean {
  let length = 0;
  for (const key in data) length += key.length + (data[key]?.length ?? 0);
  // UTF-16 length never exceeds UTF-8 bytes, so this never rejects a record we wrote.
  return length > maxBytes;
}

function isCorrupt(error: unknown): boolean {
  return isTesseraError(error) && error.code === 'CORRUPT_RECORD';
}

/** Wraps anything a store threw into a {@link SessionStoreError} (keeping the cause). */
export function asStoreError(operation: string, error: unknown): SessionStoreError {
  if (error instanceof SessionStoreError) return error;
  if (isTesseraError(error) && error.code === 'STORE_UNAVAILABLE')
    return error as SessionStoreError;
  return new SessionStoreError(operation, { cause: error });
}
