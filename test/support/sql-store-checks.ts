/**
 * Checks the SQL stores (PostgreSQL and SQLite) share beyond the conformance suite: they
 * have the same table options, row decoding and clock injection, so the same behaviour.
 * Each store's test file builds its store and writes or inspects its own rows; the
 * expectations live here once. Imported as a namespace: `sqlStoreChecks.assertRoundTrip`.
 */
import assert from 'node:assert/strict';
import { CorruptRecordError, SessionStoreError } from '../../src/errors.js';
import type { SessionStore } from '../../src/stores/contract.js';
import { liveRecord, randomStoreKey } from '../../src/testing/index.js';

/** A store that can prune, as both SQL stores can. */
type PruningStore = SessionStore & Required<Pick<SessionStore, 'prune'>>;

/** A record written through `store` reads back with its data (e.g. over a migrated table). */
export async function assertRoundTrip(store: SessionStore): Promise<void> {
  const key = randomStoreKey();
  await store.set(key, liveRecord({ a: '1' }));
  assert.deepStrictEqual({ ...(await store.get(key))?.data }, { a: '1' });
}

/** A live row's key and instants, in column order: created, expires, absolute expiry. */
export type RawRow = [key: string, createdAt: number, expiresAt: number, absoluteExpiresAt: number];

/**
 * A row whose data the store cannot decode makes `get` throw CorruptRecordError, and only
 * for that key: the store keeps serving the others.
 * @param insert - writes the corrupt data under the given key and live instants, no user.
 */
export async function assertCorruptRowRejected(
  store: SessionStore,
  insert: (row: RawRow) => unknown,
): Promise<void> {
  const key = randomStoreKey();
  const now = Date.now();
  await insert([key, now, now + 60_000, now + 120_000]);
  await assert.rejects(store.get(key), CorruptRecordError);
  // Still not a crash: the store keeps serving other keys.
  assert.equal(await store.get(randomStoreKey()), null);
}

/**
 * `store` (built with `createTable: false` over a table that does not exist) fails with a
 * SessionStoreError for `get` that keeps the driver error as its cause.
 */
export async function assertMissingTableFails(store: SessionStore): Promise<void> {
  await assert.rejects(store.get(randomStoreKey()), (error: unknown) => {
    assert.ok(error instanceof SessionStoreError);
    assert.equal(error.operation, 'get');
    assert.ok(error.cause, 'the driver error is attached as cause');
    return true;
  });
}

/**
 * The injected clock, not the wall clock, decides expiry for get, patch and prune: a
 * record written at a fake instant is live, then dead once that clock moves past it.
 * @param open - builds the store under test with the given `clock`.
 * @returns the key of the record prune removed, for the caller to check its row is gone.
 */
export async function assertClockDecidesExpiry(
  open: (clock: () => number) => PruningStore,
): Promise<string> {
  let now = 1_000_000;
  const clocked = open(() => now);
  const key = randomStoreKey();
  await clocked.set(key, {
    data: {},
    createdAt: now,
    expiresAt: now + 100,
    absoluteExpiresAt: now + 500,
    userId: null,
  });
  assert.ok(await clocked.get(key));
  now += 100;
  assert.equal(await clocked.get(key), null);
  assert.equal(
    await clocked.patch(key, { set: { a: '1' }, remove: [], expiresAt: now + 100 }),
    false,
  );
  assert.ok((await clocked.prune()) >= 1);
  return key;
}
