/**
 * SQLite store under lock contention and large backlogs, on real files: another
 * connection holding the write lock (as another process would), and prune() working
 * through many thousand expired rows. Both SQLite drivers are synchronous, so the point of
 * every test here is that the process keeps serving (its timers run) while the store waits
 * or works.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isSessionStoreError } from '../../src/errors.js';
import type { PruneProgress } from '../../src/stores/contract.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { isLockError } from '../../src/stores/sqlite/lock-wait.js';
import { liveRecord, randomStoreKey } from '../../src/testing/index.js';
import { openRawSqlite, type RawSqlite } from '../support/sqlite-raw.js';

const files: string[] = [];

function tempFile(): string {
  const file = join(tmpdir(), `tessera-locks-${process.pid}-${randomBytes(6).toString('hex')}.db`);
  files.push(file);
  return file;
}

process.once('exit', () => {
  for (const file of files) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
  }
});

/** The driver this runtime's raw connections use, so store and locker agree. */
const driver = Number(process.versions.node.split('.')[0]) >= 24 ? 'node:sqlite' : 'better-sqlite3';

/** A second connection to `file` that holds the write lock until `release()`. */
function holdWriteLock(file: string): { release: () => void } {
  const locker: RawSqlite = openRawSqlite(file);
  locker.exec('BEGIN IMMEDIATE');
  let held = true;
  return {
    release: () => {
      if (!held) return;
      held = false;
      locker.exec('COMMIT');
      locker.close();
    },
  };
}

/** Inserts `count` rows that expired a minute ago, in one statement. */
function insertExpired(file: string, count: number): void {
  const db = openRawSqlite(file);
  try {
    const past = Date.now() - 60_000;
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
      INSERT INTO tessera_sessions (key, data, created_at, expires_at, absolute_expires_at, user_id)
      SELECT 'expired-' || i, '{}', ${past}, ${past}, ${past}, NULL FROM n`);
  } finally {
    db.close();
  }
}

function rowCount(file: string): number {
  const db = openRawSqlite(file, { readonly: true });
  try {
    return Number(
      (db.prepare('SELECT count(*) AS n FROM tessera_sessions').get() as { n: number }).n,
    );
  } finally {
    db.close();
  }
}

describe('sqlite store and locks held elsewhere', { timeout: 60_000 }, () => {
  it('waits for a lock without blocking the process: a timer of its own releases it', async (t) => {
    const file = tempFile();
    const store = sqliteStore({ filename: file, driver, pruneInterval: 0, busyTimeout: 10_000 });
    t.after(() => store.close());
    await store.ready();
    const lock = holdWriteLock(file);
    t.after(() => lock.release());
    // A driver blocking in busy_timeout would keep this timer from firing until the
    // write had failed; waiting asynchronously lets it run and free the lock.
    const released = sleep(100).then(() => lock.release());
    const key = randomStoreKey();
    const events: string[] = [];
    await Promise.all([
      released.then(() => events.push('released')),
      store.set(key, liveRecord()).then(() => events.push('written')),
    ]);
    assert.deepEqual(events, ['released', 'written']);
    assert.ok(await store.get(key), 'the write landed once the lock was free');
  });

  it('a lock never released fails with SessionStoreError after busyTimeout, timers running meanwhile', async (t) => {
    const file = tempFile();
    const store = sqliteStore({ filename: file, driver, pruneInterval: 0, busyTimeout: 300 });
    t.after(() => store.close());
    await store.ready();
    const lock = holdWriteLock(file);
    t.after(() => lock.release());
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    t.after(() => clearInterval(ticker));
    const error = await store.set(randomStoreKey(), liveRecord()).then(
      () => assert.fail('the write cannot succeed while the lock is held'),
      (e: unknown) => e,
    );
    clearInterval(ticker);
    assert.ok(isSessionStoreError(error), 'a SessionStoreError');
    assert.ok(isLockError((error as Error).cause), 'caused by SQLITE_BUSY');
    assert.ok(ticks > 0, 'timers ran while the store waited');
    // Reads are not writes: WAL lets them go on beside the held lock.
    assert.equal(await store.get(randomStoreKey()), null);
    lock.release();
    const key = randomStoreKey();
    await store.set(key, liveRecord());
    assert.ok(await store.get(key), 'writes work again once the lock is gone');
  });

  it('a closed store stops waiting', async (t) => {
    const file = tempFile();
    const store = sqliteStore({ filename: file, driver, pruneInterval: 0, busyTimeout: 30_000 });
    await store.ready();
    const lock = holdWriteLock(file);
    t.after(() => lock.release());
    const write = store.set(randomStoreKey(), liveRecord());
    await sleep(30);
    await store.close();
    await assert.rejects(write, (e: unknown) => isSessionStoreError(e));
  });
});

describe('sqlite store prune in batches', { timeout: 60_000 }, () => {
  it('works off a backlog batch by batch, yielding to the event loop between them', async (t) => {
    const file = tempFile();
    const store = sqliteStore({ filename: file, driver, pruneInterval: 0, pruneBatchSize: 1000 });
    t.after(() => store.close());
    await store.ready();
    insertExpired(file, 5500);
    const live = randomStoreKey();
    await store.set(live, liveRecord());
    const progress: PruneProgress[] = [];
    let immediates = 0;
    // Counts event-loop turns: re-armed every turn, so it advances only between batches.
    let counting = true;
    const count = (): void => {
      immediates++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const deleted = await store.prune({ onProgress: (p) => progress.push(p) });
    counting = false;
    assert.equal(deleted, 5500);
    assert.deepEqual(
      progress.map((p) => p.deleted),
      [1000, 2000, 3000, 4000, 5000, 5500],
    );
    assert.deepEqual(
      progress.map((p) => p.batches),
      [1, 2, 3, 4, 5, 6],
    );
    assert.ok(immediates >= 5, `the event loop turned between batches (${immediates} turns)`);
    assert.equal(rowCount(file), 1, 'only the live session is left');
    assert.ok(await store.get(live));
  });

  it('batchSize per call and an abort signal between batches', async (t) => {
    const file = tempFile();
    const store = sqliteStore({ filename: file, driver, pruneInterval: 0 });
    t.after(() => store.close());
    await store.ready();
    insertExpired(file, 1000);
    const controller = new AbortController();
    const deleted = await store.prune({
      batchSize: 300,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.batches === 2) controller.abort();
      },
    });
    assert.equal(deleted, 600);
    assert.equal(rowCount(file), 400);
    assert.equal(await store.prune({ batchSize: 300 }), 400);
    assert.equal(rowCount(file), 0);
    await assert.rejects(store.prune({ batchSize: 0 }), { code: 'INVALID_OPTIONS' });
  });
});
