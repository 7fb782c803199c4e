/**
 * SQLite user repository on real files in the OS temp directory: the conformance suite
 * for each driver and for a database shared with the session store, then what only this
 * repository has (schema, one file with the sessions, two connections racing, corrupt
 * rows, ownership of the database on close).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sqliteUsers, sqliteUsersSchemaSql } from '../../src/auth/users/sqlite/index.js';
import { isEmailTakenError, isUserStoreError, UserStoreError } from '../../src/errors.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import {
  liveRecord,
  randomEmail,
  randomStoreKey,
  runUserRepositoryConformance,
} from '../../src/testing/index.js';
import { betterSqlite3Skip, openRawSqlite, type RawSqlite } from '../support/sqlite-raw.js';

const files: string[] = [];

function tempFile(): string {
  const file = join(tmpdir(), `tessera-users-${process.pid}-${randomBytes(6).toString('hex')}.db`);
  files.push(file);
  return file;
}

process.once('exit', () => {
  for (const file of files) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
  }
});

async function hasNodeSqlite(): Promise<string | false> {
  const specifier = 'node:sqlite';
  try {
    await import(specifier);
    return false;
  } catch {
    return `node:sqlite is not available in Node.js ${process.version} (needs >= 22.5)`;
  }
}
const nodeSqliteSkip = await hasNodeSqlite();

runUserRepositoryConformance({
  name: 'sqlite (filename, better-sqlite3)',
  create: async () => sqliteUsers({ filename: tempFile(), driver: 'better-sqlite3' }),
  skip: betterSqlite3Skip,
});

runUserRepositoryConformance({
  name: 'sqlite (filename, node:sqlite)',
  create: async () => sqliteUsers({ filename: tempFile(), driver: 'node:sqlite' }),
  skip: nodeSqliteSkip,
});

let shared: RawSqlite | undefined;
runUserRepositoryConformance({
  name: "sqlite (the session store's database object)",
  create: async () => {
    shared = openRawSqlite(tempFile());
    return sqliteUsers({ database: shared, tableName: 'app_users' });
  },
  cleanup: async (users) => {
    await users.close?.();
    shared?.close();
  },
});

describe('sqlite user repository', { timeout: 60_000 }, () => {
  let db: RawSqlite;
  before(() => {
    db = openRawSqlite(tempFile());
  });
  after(() => db.close());

  it('users and sessions in one file, through one database object', async (t) => {
    const sessions = sqliteStore({ database: db, pruneInterval: 0 });
    const users = sqliteUsers({ database: db });
    t.after(async () => {
      await sessions.close();
      await users.close();
    });
    const user = await users.create({ email: randomEmail(), passwordHash: 'h' });
    const key = randomStoreKey();
    await sessions.set(key, liveRecord({ a: '1' }, user.id));
    assert.equal((await sessions.listByUser(user.id)).length, 1);
    assert.equal((await users.findById(user.id))?.email, user.email);
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1`)
      .all()
      .map((row) => (row as { name: string }).name);
    assert.deepStrictEqual(tables, ['tessera_schema', 'tessera_sessions', 'tessera_users']);
    const versions = db
      .prepare('SELECT table_name, version FROM tessera_schema ORDER BY 1')
      .all()
      .map((row) => ({ ...(row as object) }));
    assert.deepStrictEqual(versions, [
      { table_name: 'tessera_sessions', version: 1 },
      { table_name: 'tessera_users', version: 1 },
    ]);
    // Closing the repository leaves the database it was given open.
    await users.close();
    assert.ok(await sessions.get(key));
  });

  it('stores the normalized email, with a unique index on it', async (t) => {
    const users = sqliteUsers({ database: db, tableName: 'indexed' });
    t.after(() => users.close());
    const user = await users.create({ email: ' Bob@Example.ORG ', passwordHash: 'h' });
    const row = db.prepare('SELECT email FROM indexed WHERE id = ?').get(user.id);
    assert.deepStrictEqual({ ...(row as object) }, { email: 'Bob@example.org' });
    assert.throws(() =>
      db.prepare(`INSERT INTO indexed VALUES ('other', 'Bob@example.org', 'h', 0, 1, 1)`).run(),
    );
  });

  it('sqliteUsersSchemaSql makes a usable table for createTable: false; a missing one is UserStoreError', async (t) => {
    db.exec(sqliteUsersSchemaSql('migrated_users'));
    db.exec(sqliteUsersSchemaSql('migrated_users'));
    const users = sqliteUsers({ database: db, tableName: 'migrated_users', createTable: false });
    const missing = sqliteUsers({ database: db, tableName: 'no_users', createTable: false });
    t.after(async () => {
      await users.close();
      await missing.close();
    });
    const user = await users.create({ email: randomEmail(), passwordHash: 'h' });
    assert.equal((await users.findById(user.id))?.id, user.id);
    await assert.rejects(missing.findById(user.id), UserStoreError);
  });

  it('a corrupt row is UserStoreError, not a user', async (t) => {
    db.exec(`CREATE TABLE loose_users (id TEXT PRIMARY KEY, email TEXT UNIQUE, password_hash,
      session_generation, created_at, updated_at)`);
    const users = sqliteUsers({ database: db, tableName: 'loose_users', createTable: false });
    t.after(() => users.close());
    db.prepare(`INSERT INTO loose_users VALUES ('u1', 'x@example.com', 7, 'many', 1, 1)`).run();
    await assert.rejects(users.findById('u1'), (error: unknown) => {
      assert.ok(isUserStoreError(error));
      assert.equal((error as UserStoreError).operation, 'findById');
      return true;
    });
  });

  it('two connections to one file racing sign-ups: one user, the rest EmailTakenError', async (t) => {
    const file = tempFile();
    const first = sqliteUsers({ filename: file });
    const second = sqliteUsers({ filename: file });
    t.after(async () => {
      await first.close();
      await second.close();
    });
    await first.ready();
    await second.ready();
    const email = randomEmail();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? first : second).create({ email, passwordHash: `h${i}` }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.ok(isEmailTakenError(r.reason), String(r.reason));
    }
  });

  it('closes only the file it opened; calls after close are UserStoreError', async () => {
    const users = sqliteUsers({ filename: tempFile() });
    await users.ready();
    await users.close();
    await users.close();
    await assert.rejects(users.findById('x'), (error: unknown) => {
      assert.ok(isUserStoreError(error));
      assert.match((error as Error).message, /closed/);
      return true;
    });
  });

  it('refuses bad options at construction', () => {
    for (const options of [
      {},
      { filename: 'a.db', database: db },
      { filename: '' },
      { filename: 'a.db', tableName: 'Users' },
      { filename: 'a.db', tableName: 'tessera_schema' },
      { filename: 'a.db', busyTimeout: -1 },
    ]) {
      assert.throws(() => sqliteUsers(options as never), { code: 'INVALID_OPTIONS' });
    }
  });
});
