import type { ParsedCookies } from '../cookies/parse.js';
import type { ResolvedSessionCookie } from '../cookies/precomputed.js';
import type { Keyring } from '../crypto/keyring.js';
import {
  generateSessionId,
  hashSessionId,
  isSignedSessionIdShape,
  signSessionId,
  verifySignedSessionId,
} from '../crypto/sign.js';
import type { SessionRecord, SessionStore } from '../stores/contract.js';
import { encodeDevice } from './device.js';
import type { RejectionReason } from './events.js';
import type { Origin, SessionHandle } from './lifecycle.js';
import { recordBytes } from './size.js';
import { snapshotFromTexts } from './snapshot.js';
import {
  type ContinuedSession,
  type CookieReading,
  type IssuedSession,
  type NewSession,
  NO_COOKIE,
  type SessionStrategy,
  type Verified,
} from './strategy.js';
import { VerifiedCache, type VerifiedCacheStats } from './verified-cache.js';
import { readRecord, type Writes } from './writes.js';

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
export class StoreStrategy implements SessionStrategy {
  readonly mode = 'store';
  readonly store: SessionStore;
  readonly #keyring: Keyring;
  readonly #cache: VerifiedCache<Verified>;
  readonly #maxDataBytes: number;

  constructor(keyring: Keyring, store: SessionStore, cacheSize: number, maxDataBytes: number) {
    this.#keyring = keyring;
    this.store = store;
    this.#cache = new VerifiedCache(cacheSize);
    this.#maxDataBytes = maxDataBytes;
  }

  read(cookies: ParsedCookies, name: string): CookieReading {
    const value = cookies.values.get(name);
    if (value === undefined) {
      return cookies.duplicates.has(name)
        ? { result: 'duplicate_cookie', present: [name] }
        : NO_COOKIE;
    }
    const present = [name];
    // Keyed by name and value: the MAC binds the name, so a value verified under one name
    // proves nothing under another (`sid` and `__Host-sid` with `secure: 'auto'`).
    let verified = this.#cache.get(name, value);
    if (verified === undefined) {
      const signed = verifySignedSessionId(this.#keyring, name, value);
      if (signed === null) {
        return { result: isSignedSessionIdShape(value) ? 'tamper' : 'malformed', present };
      }
      const handle = { id: signed.id, key: hashSessionId(signed.id) };
      verified = this.#verified(handle, signed.keyIndex > 0);
      this.#cache.set(name, value, verified);
    }
    return { result: verified, present };
  }

  #verified(handle: SessionHandle, reissue: boolean): Verified {
    return { handle, resolve: () => this.#fetch(handle, reissue) };
  }

  /** One store read. Rejects only with `SessionStoreError`; unreadable records are `'corrupt'`. */
  #fetch(handle: SessionHandle, reissue: boolean): Promise<Origin | RejectionReason> {
    return readRecord(this.store, handle.key!, (record) => this.#check(handle, record, reissue));
  }

  #check(
    handle: SessionHandle,
    record: SessionRecord | null,
    reissue: boolean,
  ): Origin | RejectionReason {
    if (record === null) return 'unknown';
    if (!isRecordShape(record) || recordBytes(record.data) > this.#maxDataBytes) return 'corrupt';
    let snapshot: ReturnType<typeof snapshotFromTexts>;
    try {
      snapshot = snapshotFromTexts(record.data);
    } catch {
      return 'corrupt';
    }
    return {
      id: handle.id,
      key: handle.key,
      publicId: handle.id,
      snapshot,
      createdAt: record.createdAt,
      expiresAt: record.expiresAt,
      absoluteExpiresAt: record.absoluteExpiresAt,
      userId: record.userId,
      reissue,
    };
  }

  create(session: NewSession, cookie: ResolvedSessionCookie, writes: Writes): IssuedSession {
    const id = generateSessionId();
    const key = hashSessionId(id);
    const data: Record<string, string> = {};
    for (let i = 0; i < session.keys.length; i++) data[session.keys[i]!] = session.texts[i]!;
    if (session.device !== null) encodeDevice(data, session.device);
    const record: SessionRecord = {
      data,
      createdAt: session.createdAt,
      expiresAt: session.expiresAt,
      absoluteExpiresAt: session.absoluteExpiresAt,
      userId: session.userId,
    };
    writes.add('set', () => this.store.set(key, record));
    return { lines: [this.#line(cookie, id, session.maxAge)], id, key, publicId: id };
  }

  update(session: ContinuedSession, cookie: ResolvedSessionCookie, writes: Writes): string[] {
    const { origin, diff } = session;
    const key = origin.key!;
    let resend = origin.reissue;
    if (diff !== null) {
      const patch = {
        set: diff.set,
        remove: diff.remove,
        expiresAt: session.expiresAt,
        maxDataBytes: this.#maxDataBytes,
      };
      writes.add(
        'patch',
        () => this.store.patch(key, patch),
        (applied) => {
          if (applied === false) writes.vanished(origin.id);
        },
      );
    } else if (session.touchDue) {
      writes.add('touch', () => this.store.touch(key, session.expiresAt));
      // A persistent cookie carries the lifetime too: re-send it with the touch.
      resend ||= session.maxAge !== undefined;
    }
    return resend ? [this.#line(cookie, origin.id, session.maxAge)] : [];
  }

  revoke(handle: SessionHandle, writes: Writes): void {
    const key = handle.key!;
    writes.revoke(handle.id, () => this.store.destroy(key));
  }

  cacheStats(): VerifiedCacheStats {
    return this.#cache.stats();
  }

  /** The `Set-Cookie` line carrying the signed id. */
  #line(cookie: ResolvedSessionCookie, id: string, maxAge: number | undefined): string {
    const value = signSessionId(this.#keyring, cookie.name, id);
    return maxAge === undefined ? cookie.serialize(value) : cookie.serialize(value, { maxAge });
  }
}
