/**
 * SQLite store on real files in the OS temp directory: the conformance suite for each
 * driver, then what only this store has (table creation, corrupt rows, two processes on
 * one file, ownership of the database on close). Files are removed at the end.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CorruptRecordError, isSessionStoreError, SessionStoreError } from '../../src/errors.js';
import { type SqliteStore, sqliteSchemaSql, sqliteStore } from '../../src/stores/sqlite/index.js';
import { liveRecord, randomStoreKey, runStoreConformance } from '../../src/testing/index.js';
import * as sqlStoreChecks from '../support/sql-store-checks.js';
import { betterSqlite3Skip, openRawSqlite, type RawSqlite } from '../support/sqlite-raw.js';

const files: string[] = [];

/** A fresh database path; the file and its -wal/-shm companions are removed at the end. */
function tempFile(): string {
  const file = join(tmpdir(), `tessera-sqlite-${process.pid}-${randomBytes(6).toString('hex')}.db`);
  files.push(file);
  return file;
}

// On exit rather than in a root `after` hook: Node 20 skips root hooks when tests are
// filtered with --test-name-pattern, which left files behind.
process.once('exit', () => {
  for (const file of files) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
  }
});

/** The journal mode of `db`, e.g. `'wal'`. */
function journalMode(db: RawSqlite): unknown {
  return (db.prepare('PRAGMA journal_mode').get() as { journal_mode: unknown }).journal_mode;
}

async function hasNodeSqlite(): Promise<string | false> {
  const specifier = 'node:sqlite';
  try {
    await import(specifier);
    return false;
  } catch {
    return `node:sqlite is not available in Node.js ${process.version} (needs >= 22.5)`;
  }
}

runStoreConformance({
  name: 'sqlite (filename, better-sqlite3)',
  create: async () => sqliteStore({ filename: tempFile(), driver: 'better-sqlite3' }),
  capabilities: { byUser: true, prune: true },
  skip: betterSqlite3Skip,
});

let provided: RawSqlite | undefined;
runStoreConformance({
  name: 'sqlite (existing better-sqlite3 Database)',
  create: async () => {
    provided = openRawSqlite(tempFile(), { driver: 'better-sqlite3' });
    return sqliteStore({ database: provided, tableName: 'app_sessions' });
  },
  cleanup: async (store) => {
    await store.close?.();
    provided?.close();
  },
  capabilities: { byUser: true, prune: true },
  skip: betterSqlite3Skip,
});

const nodeSqliteSkip = await hasNodeSqlite();

let providedSync: RawSqlite | undefined;
runStoreConformance({
  name: 'sqlite (existing node:sqlite DatabaseSync)',
  create: async () => {
    providedSync = openRawSqlite(tempFile(), { driver: 'node:sqlite' });
    return sqliteStore({ database: providedSync, tableName: 'app_sessions' });
  },
  cleanup: async (store) => {
    await store.close?.();
    providedSync?.close();
  },
  capabilities: { byUser: true, prune: true },
  skip: nodeSqliteSkip,
});

runStoreConformance({
  name: 'sqlite (filename, node:sqlite)',
  create: async () => sqliteStore({ filename: tempFile(), driver: 'node:sqlite' }),
  capabilities: { byUser: true, prune: true },
  skip: nodeSqliteSkip,
});

// The raw database is better-sqlite3 on Node.js < 24 and node:sqlite on >= 24, so these
// tests pass each runtime's driver to the store (see test/support/sqlite-raw.ts).
describe('sqlite store', { timeout: 60_000 }, () => {
  let db: RawSqlite;
  let store: SqliteStore;
  before(() => {
    db = openRawSqlite(tempFile());
    store = sqliteStore({ database: db, pruneInterval: 0 });
  });
  after(async () => {
    await store.close();
    db.close();
  });
  /** A store over a table of `db` it must not create: `createTable: false`, no prune. */
  const onExistingTable = (tableName: string): SqliteStore =>
    sqliteStore({ database: db, tableName, createTable: false, pruneInterval: 0 });

  it('creates the table, its indexes and the schema version on first use', async () => {
    await store.ready();
    const indexes = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY 1`)
      .all('tessera_sessions');
    assert.deepStrictEqual(
      indexes.map((row) => (row as { name: string }).name),
      [
        'sqlite_autoindex_tessera_sessions_1',
        'tessera_sessions_expires_at_idx',
        'tessera_sessions_user_id_idx',
      ],
    );
    assert.deepStrictEqual(
      { ...(db.prepare('SELECT * FROM tessera_schema').get() as object) },
      { table_name: 'tessera_sessions', version: 1 },
    );
  });

  it('stores only the hashed key and the data map; S-02 no other copy of the key', async () => {
    const key = randomStoreKey();
    await store.set(key, liveRecord({ userId: '"u1"', views: '3' }, 'u1'));
    const row = db.prepare('SELECT key, data FROM tessera_sessions WHERE key = ?').get(key);
    assert.deepStrictEqual(
      { ...(row as object) },
      { key, data: '{"userId":"\\"u1\\"","views":"3"}' },
    );
  });

  it('leaves the journal mode of a database it did not open alone', () => {
    assert.equal(journalMode(db), 'delete');
  });

  it('sqliteSchemaSql creates a usable table for createTable: false', async () => {
    db.exec(sqliteSchemaSql('migrated'));
    db.exec(sqliteSchemaSql('migrated')); // idempotent
    await sqlStoreChecks.assertRoundTrip(onExistingTable('migrated'));
  });

  it('createTable: false on a missing table fails with SessionStoreError', async () => {
    await sqlStoreChecks.assertMissingTableFails(onExistingTable('missing'));
  });

  describe('corrupt rows make get throw CorruptRecordError', () => {
    const cases: Array<[string, string]> = [
      ['data is not JSON', '{not json'],
      ['data is a JSON array', '[1,2]'],
      ['data is JSON null', 'null'],
      ['a value is a number, not JSON text', '{"a":1}'],
      ['a value is not valid JSON text', '{"a":"not json"}'],
    ];
    for (const [title, data] of cases) {
      it(title, async () => {
        await sqlStoreChecks.assertCorruptRowRejected(store, ([key, ...instants]) =>
          db
            .prepare('INSERT INTO tessera_sessions VALUES (?, ?, ?, ?, ?, NULL)')
            .run(key, data, ...instants),
        );
      });
    }

    it('a foreign table without STRICT: text instants are corrupt, not a crash', async () => {
      db.exec(`CREATE TABLE loose (key TEXT PRIMARY KEY, data TEXT, created_at, expires_at,
        absolute_expires_at, user_id)`);
      const loose = onExistingTable('loose');
      const key = randomStoreKey();
      db.prepare(`INSERT INTO loose VALUES (?, '{}', 'yesterday', 'soon', 'later', 7)`).run(key);
      await assert.rejects(loose.get(key), CorruptRecordError);
    });
  });

  it('the injected clock decides expiry for get, patch, touch and prune', async () => {
    const key = await sqlStoreChecks.assertClockDecidesExpiry((clock) =>
      sqliteStore({ database: db, pruneInterval: 0, clock }),
    );
    assert.equal(db.prepare('SELECT 1 FROM tessera_sessions WHERE key = ?').get(key), undefined);
  });

  it('the scheduled prune deletes expired rows and reports its failures', {
    timeout: 10_000,
  }, async (t) => {
    const own = openRawSqlite(tempFile());
    let ownOpen = true;
    t.after(() => {
      if (ownOpen) own.close();
    });
    const errors: unknown[] = [];
    const swept = sqliteStore({
      database: own,
      pruneInterval: 10,
      onPruneError: (error) => errors.push(error),
    });
    // Runs after `own` is closed, as on the passing path: it only stops the prune timer.
    t.after(() => swept.close());
    const key = randomStoreKey();
    await swept.set(key, { ...liveRecord(), expiresAt: Date.now() - 1 });
    const count = own.prepare('SELECT count(*) AS n FROM tessera_sessions WHERE key = ?');
    while ((count.get(key) as { n: number }).n > 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    own.close();
    ownOpen = false;
    while (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(isSessionStoreError(errors[0]), 'a failed sweep is a SessionStoreError');
  });

  it('instants are stored as whole milliseconds', async () => {
    const key = randomStoreKey();
    const record = liveRecord();
    await store.set(key, { ...record, expiresAt: record.expiresAt + 0.75 });
    assert.equal((await store.get(key))?.expiresAt, record.expiresAt);
  });
});

describe('sqlite store files and processes', { timeout: 60_000 }, () => {
  it('opens its own file in WAL mode and closes only that', async (t) => {
    const file = tempFile();
    const store = sqliteStore({ filename: file, pruneInterval: 0 });
    t.after(() => store.close());
    await store.set(randomStoreKey(), liveRecord());
    const check = openRawSqlite(file, { readonly: true });
    try {
      assert.equal(journalMode(check), 'wal');
    } finally {
      check.close();
    }
    await store.close();
    await store.close(); // idempotent
    await assert.rejects(store.get(randomStoreKey()), SessionStoreError);
  });

  it('a database closed underneath the store gives SessionStoreError', async (t) => {
    const db = openRawSqlite(tempFile());
    let dbOpen = true;
    t.after(() => {
      if (dbOpen) db.close();
    });
    const store = sqliteStore({ database: db, pruneInterval: 0 });
    t.after(() => store.close());
    await store.ready();
    db.close();
    dbOpen = false;
    await assert.rejects(store.get(randomStoreKey()), (error: unknown) =>
      isSessionStoreError(error),
    );
  });

  it('an unopenable path gives SessionStoreError, then works once the path exists', async (t) => {
    const dir = join(tmpdir(), `tessera-missing-${randomBytes(6).toString('hex')}`);
    const store = sqliteStore({ filename: join(dir, 'sessions.db'), pruneInterval: 0 });
    // Hooks run in the order they were added: the store closes, then its directory goes.
    t.after(() => store.close());
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    await assert.rejects(store.ready(), SessionStoreError);
    mkdirSync(dir);
    await store.ready();
    const key = randomStoreKey();
    await store.set(key, liveRecord());
    assert.ok(await store.get(key));
  });

  it('two processes writing to one file keep both sets of keys', async (t) => {
    const file = tempFile();
    const count = 200;
    const moduleUrl = pathToFileURL(
      fileURLToPath(new URL('../../src/stores/sqlite/index.ts', import.meta.url)),
    ).href;
    // The child writes its own keys through its own store while the parent writes its
    // keys; WAL plus busy_timeout must serialise them without SQLITE_BUSY or losses.
    const childCode = `
      const { sqliteStore } = await import(${JSON.stringify(moduleUrl)});
      const store = sqliteStore({ filename: ${JSON.stringify(file)}, pruneInterval: 0 });
      const now = Date.now();
      for (let i = 0; i < ${count}; i++) {
        await store.set('child-' + i, { data: { i: String(i) }, createdAt: now,
          expiresAt: now + 600000, absoluteExpiresAt: now + 600000, userId: 'child' });
        await store.patch('child-' + i, { set: { done: 'true' }, remove: [], expiresAt: now + 600000 });
      }
      await store.close();
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', childCode],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    let running = true;
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => {
        running = false;
        resolve(code);
      });
    });
    t.after(() => {
      if (running) child.kill('SIGKILL');
    });
    const store = sqliteStore({ filename: file, pruneInterval: 0 });
    t.after(() => store.close());
    let written = 0;
    // Keep writing for the child's whole life, so the two really overlap.
    while (running || written < count) {
      await store.set(`parent-${written}`, liveRecord({ i: String(written) }, 'parent'));
      written += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(await exited, 0, 'the child process finished without error');
    t.diagnostic(`the parent wrote ${written} sessions while the child wrote ${count}`);
    assert.equal((await store.listByUser('parent')).length, written);
    const childSessions = await store.listByUser('child');
    assert.equal(childSessions.length, count);
    assert.ok(childSessions.every((entry) => entry.record.data.done === 'true'));
  });
});
