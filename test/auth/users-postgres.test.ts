/**
 * PostgreSQL user repository against a real server at DATABASE_URL: the conformance
 * suite over a URL and over a pool of the app's, then what only this repository has
 * (schema, a unique index of the app's own, timeouts, outages). Every run works in a
 * schema of its own, dropped at the end.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { postgresUsers, postgresUsersSchemaSql } from '../../src/auth/users/postgres/index.js';
import { isEmailTakenError, isUserStoreError, UserStoreError } from '../../src/errors.js';
import { postgresStore } from '../../src/stores/postgres/index.js';
import {
  liveRecord,
  randomEmail,
  randomStoreKey,
  runUserRepositoryConformance,
} from '../../src/testing/index.js';
import { probePostgres, DATABASE_URL as url } from '../support/services.js';

const schema = `tessera_users_test_${randomBytes(6).toString('hex')}`;

const skip = await probePostgres();
const admin = new pg.Pool({ connectionString: url, max: 10, query_timeout: 10_000 });
admin.on('error', () => {});
if (!skip) await admin.query(`CREATE SCHEMA ${schema}`);

after(async () => {
  if (!skip) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

runUserRepositoryConformance({
  name: 'postgres (connectionString)',
  create: async () => postgresUsers({ connectionString: url, tableName: `${schema}.users` }),
  skip,
});

runUserRepositoryConformance({
  name: 'postgres (existing pg.Pool)',
  create: async () => postgresUsers({ pool: admin, tableName: `${schema}.pooled_users` }),
  skip,
});

describe('postgres user repository', { skip, timeout: 60_000 }, () => {
  it('creates the table with its unique email constraint and version comment', async (t) => {
    const users = postgresUsers({ pool: admin, tableName: `${schema}.own` });
    t.after(() => users.close());
    await users.ready();
    const { rows } = await admin.query(
      `SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass ORDER BY 1`,
      [`${schema}.own`],
    );
    assert.deepStrictEqual(
      rows.map((row) => row.conname),
      ['own_email_key', 'own_pkey'],
    );
    const comment = await admin.query(`SELECT obj_description($1::regclass, 'pg_class') AS c`, [
      `${schema}.own`,
    ]);
    assert.equal(comment.rows[0].c, 'tessera users, schema version 1');
  });

  it('users and sessions on one pool', async (t) => {
    const users = postgresUsers({ pool: admin, tableName: `${schema}.app_users` });
    const sessions = postgresStore({
      pool: admin,
      tableName: `${schema}.app_sessions`,
      pruneInterval: 0,
    });
    t.after(async () => {
      await users.close();
      await sessions.close();
    });
    const user = await users.create({ email: randomEmail(), passwordHash: 'h' });
    await sessions.set(randomStoreKey(), liveRecord({ a: '1' }, user.id));
    assert.equal((await sessions.listByUser(user.id)).length, 1);
  });

  it('postgresUsersSchemaSql for createTable: false; a missing table is UserStoreError', async (t) => {
    await admin.query(postgresUsersSchemaSql(`${schema}.migrated`));
    await admin.query(postgresUsersSchemaSql(`${schema}.migrated`));
    const users = postgresUsers({
      pool: admin,
      tableName: `${schema}.migrated`,
      createTable: false,
    });
    const missing = postgresUsers({
      pool: admin,
      tableName: `${schema}.missing`,
      createTable: false,
    });
    t.after(async () => {
      await users.close();
      await missing.close();
    });
    const user = await users.create({ email: randomEmail(), passwordHash: 'h' });
    assert.equal((await users.findById(user.id))?.id, user.id);
    await assert.rejects(missing.findById(user.id), UserStoreError);
  });

  it("a unique index of the app's own (23505) still means EmailTakenError", async (t) => {
    const table = `${schema}.lower_users`;
    await admin.query(postgresUsersSchemaSql(table));
    // An app that also forbids addresses differing only in the local part's case.
    await admin.query(`CREATE UNIQUE INDEX lower_users_lower_idx ON ${table} (lower(email))`);
    const users = postgresUsers({ pool: admin, tableName: table, createTable: false });
    t.after(() => users.close());
    const tail = `${randomBytes(6).toString('hex')}@example.com`;
    await users.create({ email: `Carol${tail}`, passwordHash: 'h' });
    await assert.rejects(
      users.create({ email: `carol${tail}`, passwordHash: 'h' }),
      (e: unknown) => {
        assert.ok(isEmailTakenError(e));
        assert.equal(((e as Error).cause as { code?: unknown }).code, '23505');
        return true;
      },
    );
  });

  it('an unreachable server is UserStoreError within queryTimeout, and a corrupt row too', async (t) => {
    const down = postgresUsers({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      queryTimeout: 500,
    });
    t.after(() => down.close());
    await assert.rejects(down.findById('x'), (error: unknown) => {
      assert.ok(isUserStoreError(error));
      assert.equal((error as UserStoreError).operation, 'findById');
      return true;
    });
    const table = `${schema}.loose`;
    await admin.query(`CREATE TABLE ${table} (id text PRIMARY KEY, email text UNIQUE,
      password_hash text, session_generation bigint, created_at bigint, updated_at bigint)`);
    await admin.query(`INSERT INTO ${table} VALUES ('u1', 'x@example.com', NULL, 0, 1, 1)`);
    const loose = postgresUsers({ pool: admin, tableName: table, createTable: false });
    t.after(() => loose.close());
    await assert.rejects(loose.findById('u1'), UserStoreError);
  });

  it('a slow query is UserStoreError after queryTimeout', async (t) => {
    const slow = {
      query: (text: string, values?: unknown[]) =>
        text.startsWith('SELECT pg_advisory')
          ? admin.query(text, values)
          : admin.query(`SELECT pg_sleep(1)`).then(() => admin.query(text, values)),
    };
    const users = postgresUsers({
      pool: slow,
      tableName: `${schema}.slow`,
      queryTimeout: 200,
    });
    t.after(() => users.close());
    await users.ready().catch(() => {});
    await assert.rejects(users.findById('x'), (error: unknown) => {
      assert.ok(isUserStoreError(error));
      assert.match((error as Error).message, /timed out after 200 ms/);
      return true;
    });
  });

  it('refuses bad options at construction', () => {
    for (const options of [
      {},
      { connectionString: '' },
      { connectionString: url, tableName: 'Users' },
      { connectionString: url, tableName: 'a.b.c' },
      { connectionString: url, queryTimeout: 0 },
    ]) {
      assert.throws(() => postgresUsers(options as never), { code: 'INVALID_OPTIONS' });
    }
  });
});
