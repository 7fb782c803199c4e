/**
 * Helpers shared by the conformance tests. Every test builds its own keys and user ids
 * from the CSPRNG, so several runs can share one backend (one Redis, one database)
 * without seeing each other's records.
 */
import { randomBytes } from 'node:crypto';
import type { SessionRecord, SessionStore } from '../stores/contract.js';

/** A fresh store key shaped like the engine's: base64url(SHA-256(id)), 43 characters. */
export function randomStoreKey(): string {
  return randomBytes(32).toString('base64url');
}

/** A fresh user id, unique to this call. */
export function randomUserId(): string {
  return `user-${randomBytes(9).toString('base64url')}`;
}

const MINUTE = 60_000;

/**
 * A live record: created now, idle expiry in 30 minutes, absolute expiry in 12 hours.
 * Instants are whole milliseconds, as the engine produces them.
 */
export function liveRecord(
  data: Record<string, string> = { counter: '1' },
  userId: string | null = null,
): SessionRecord {
  const now = Date.now();
  return {
    data,
    createdAt: now,
    expiresAt: now + 30 * MINUTE,
    absoluteExpiresAt: now + 720 * MINUTE,
    userId,
  };
}

/** A record whose idle expiry passed a second ago. */
export function expiredRecord(
  data: Record<string, string> = { counter: '1' },
  userId: string | null = null,
): SessionRecord {
  const now = Date.now();
  return {
    data,
    createdAt: now - 30 * MINUTE,
    expiresAt: now - 1000,
    absoluteExpiresAt: now + 690 * MINUTE,
    userId,
  };
}

/** The plain shape of a record, for `deepStrictEqual`: prototypes and extra fields dropped. */
export interface PlainRecord {
  data: Record<string, string>;
  createdAt: number;
  expiresAt: number;
  absoluteExpiresAt: number;
  userId: string | null;
}

/**
 * Copies a record into a plain object. Object spread defines own properties, so a data
 * key named `__proto__` stays a key instead of replacing the copy's prototype.
 */
export function plain(record: SessionRecord): PlainRecord {
  return {
    data: { ...record.data },
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    absoluteExpiresAt: record.absoluteExpiresAt,
    userId: record.userId,
  };
}

/** Builds a data map with own properties only, safe for keys like `__proto__`. */
export function dataOf(entries: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  return Object.fromEntries(entries);
}

/** Gives each test the store the suite created in its `before` hook. */
export interface SuiteContext {
  /** The store under test; throws if the suite's `before` hook has not run. */
  readonly store: () => SessionStore;
}
