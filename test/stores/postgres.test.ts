/**
 * PostgreSQL store against a real server at DATABASE_URL: the conformance suite, then
 * what only this store has (table creation, corrupt rows, timeouts, outages).
 * Every run works in a schema of its own, dropped at the end.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { isSessionStoreError, SessionStoreError } from '../../src/errors.js';
import {
  type PgPoolLike,
  type PostgresStore,
  postgresSchemaSql,
  postgresStore,
} from '../../src/stores/postgres/index.js';
import { liveRecord, randomStoreKey, runStoreConformance } from '../../src/testing/index.js';
import { probePostgres, DATABASE_URL as url } from '../support/services.js';
import * as sqlStoreChecks from '../support/sql-store-checks.js';

const schema = `tessera_test_${randomBytes(6).toString('hex')}`;

const skip = await probePostgres();
const admin = new pg.Pool({ connectionString: url, max: 2 });
admin.on('error', () => {});
if (!skip) await admin.query(`CREATE SCHEMA ${schema}`);

after(async () => {
  if (!skip) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

runStoreConformance({
  name: 'postgres (connectionString)',
  create: async () => postgresStore({ connectionString: url, tableName: `${schema}.sessions` }),
  capabilities: { byUser: true, prune: true },
  skip,
});

runStoreConformance({
  name: 'postgres (existing pg.Pool)',
  create: async () => postgresStore({ pool: admin, tableName: `${schema}.pooled` }),
  capabilities: { byUser: true, prune: true },
  skip,
});

// Compile-time: node-postgres' Pool and Client both fit the structural client type.
const _fits: PgPoolLike[] = [admin, new pg.Client()];
void _fits;

describe('postgres store', { skip, timeout: 60_000 }, () => {
  const table = `${schema}.own`;
  let store: PostgresStore;
  before(() => {
    store = postgresStore({ pool: admin, tableName: table, pruneInterval: 0 });
  });
  after(() => store.close());
  /** A store over a table of this run's schema it must not create: no prune either. */
  const onExistingTable = (name: string): PostgresStore =>
    postgresStore({
      pool: admin,
      tableName: `${schema}.${name}`,
      createTable: false,
      pruneInterval: 0,
    });

  it('creates the table with its indexes and version comment on first use', async () => {
    await store.ready();
    const { rows } = await admin.query(
      `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'own' ORDER BY 1`,
      [schema],
    );
    assert.deepStrictEqual(
      rows.map((row) => row.indexname),
      ['own_expires_at_idx', 'own_pkey', 'own_user_id_idx'],
    );
    const comment = await admin.query(`SELECT obj_description($1::regclass, 'pg_class') AS c`, [
      `${schema}.own`,
    ]);
    assert.equal(comment.rows[0].c, 'tessera session store, schema version 1');
  });

  it('stores only the hashed key and the data map; S-02 no other copy of the key', async () => {
    const key = randomStoreKey();
    await store.set(key, liveRecord({ userId: '"u1"', views: '3' }, 'u1'));
    const { rows } = await admin.query(`SELECT key, data FROM ${table} WHERE key = $1`, [key]);
    assert.deepStrictEqual(rows, [{ key, data: { userId: '"u1"', views: '3' } }]);
  });

  it('concurrent first use from several stores creates the table once', async (t) => {
    const name = `${schema}.race`;
    const stores = Array.from({ length: 4 }, () =>
      postgresStore({ connectionString: url, tableName: name, pruneInterval: 0 }),
    );
    t.after(() => Promise.all(stores.map((s) => s.close())));
    await Promise.all(stores.map((s) => s.ready()));
    await Promise.all(stores.map((s) => s.set(randomStoreKey(), liveRecord())));
  });

  it('postgresSchemaSql creates a usable table for createTable: false', async () => {
    await admin.query(postgresSchemaSql(`${schema}.migrated`));
    await admin.query(postgresSchemaSql(`${schema}.migrated`)); // idempotent
    await sqlStoreChecks.assertRoundTrip(onExistingTable('migrated'));
  });

  it('createTable: false on a missing table fails with SessionStoreError', async () => {
    await sqlStoreChecks.assertMissingTableFails(onExistingTable('missing'));
  });

  describe('corrupt rows make get throw CorruptRecordError', () => {
    const cases: Array<[string, string]> = [
      ['data is a JSON array', `'[1,2]'`],
      ['data is a JSON string', `'"text"'`],
      ['data is JSON null', `'null'`],
      ['a value is a number, not JSON text', `'{"a":1}'`],
      ['a value is not valid JSON text', `'{"a":"not json"}'`],
    ];
    for (const [title, data] of cases) {
      it(title, async () => {
        await sqlStoreChecks.assertCorruptRowRejected(store, (row) =>
          admin.query(`INSERT INTO ${table} VALUES ($1, ${data}::jsonb, $2, $3, $4, NULL)`, row),
        );
      });
    }

    it('listByUser leaves corrupt rows out', async () => {
      const now = Date.now();
      const good = randomStoreKey();
      await store.set(good, liveRecord({ a: '1' }, 'corrupt-user'));
      await admin.query(
        `INSERT INTO ${table} VALUES ($1, '[]'::jsonb, $2, $3, $4, 'corrupt-user')`,
        [randomStoreKey(), now, now + 60_000, now + 120_000],
      );
      const listed = await store.listByUser('corrupt-user');
      assert.deepStrictEqual(
        listed.map((entry) => entry.key),
        [good],
      );
    });
  });

  it('the injected clock decides expiry for get, patch, touch and prune', async () => {
    const key = await sqlStoreChecks.assertClockDecidesExpiry((clock) =>
      postgresStore({ pool: admin, tableName: table, pruneInterval: 0, clock }),
    );
    const { rowCount } = await admin.query(`SELECT 1 FROM ${table} WHERE key = $1`, [key]);
    assert.equal(rowCount, 0);
  });

  /** Inserts `count` rows of `name` that expired a minute ago, in one statement. */
  async function insertExpired(name: string, count: number): Promise<void> {
    const past = Date.now() - 60_000;
    await admin.query(
      `INSERT INTO ${name} (key, data, created_at, expires_at, absolute_expires_at)
       SELECT 'expired-' || i, '{}', $1, $1, $1 FROM generate_series(1, $2) AS i`,
      [past, count],
    );
  }

  it('prune works off a backlog in batches of pruneBatchSize', async (t) => {
    const name = `${schema}.backlog`;
    const batched = postgresStore({
      pool: admin,
      tableName: name,
      pruneInterval: 0,
      pruneBatchSize: 400,
    });
    t.after(() => batched.close());
    await batched.ready();
    await insertExpired(name, 1000);
    const live = randomStoreKey();
    await batched.set(live, liveRecord());
    const batches: number[] = [];
    assert.equal(await batched.prune({ onProgress: (p) => batches.push(p.deleted) }), 1000);
    assert.deepEqual(batches, [400, 800, 1000]);
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${name}`);
    assert.equal(rows[0].n, 1, 'only the live session is left');
    assert.ok(await batched.get(live));
  });

  it('two stores pruning one table at once split the rows (SKIP LOCKED), none twice', async (t) => {
    const name = `${schema}.shared_prune`;
    const [a, b] = [0, 1].map(() =>
      postgresStore({ connectionString: url, tableName: name, pruneInterval: 0 }),
    ) as [PostgresStore, PostgresStore];
    t.after(() => Promise.all([a.close(), b.close()]));
    await a.ready();
    await insertExpired(name, 20_000);
    const [fromA, fromB] = await Promise.all([
      a.prune({ batchSize: 500 }),
      b.prune({ batchSize: 500 }),
    ]);
    assert.equal(fromA + fromB, 20_000);
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${name}`);
    assert.equal(rows[0].n, 0);
  });
});

describe('postgres store outages (S-55)', { skip, timeout: 60_000 }, () => {
  it('S-55 nothing listening: SessionStoreError, and the process keeps running', async (t) => {
    const dead = postgresStore({
      connectionString: 'postgres://postgres@127.0.0.1:1/test',
      pruneInterval: 0,
    });
    t.after(() => dead.close());
    for (const call of [
      () => dead.get(randomStoreKey()),
      () => dead.set(randomStoreKey(), liveRecord()),
    ]) {
      await assert.rejects(call(), (error: unknown) => isSessionStoreError(error));
    }
  });

  it('S-55 a blocked statement times out with SessionStoreError, then the store recovers', async (t) => {
    const table = `${schema}.locked`;
    // The lock goes first, so the store's blocked statements end before its pool closes.
    const locker = await admin.connect();
    t.after(() => locker.query('ROLLBACK').finally(() => locker.release()));
    const store = postgresStore({
      connectionString: url,
      tableName: table,
      queryTimeout: 200,
      pruneInterval: 0,
    });
    t.after(() => store.close());
    const key = randomStoreKey();
    await store.set(key, liveRecord({ a: '1' }));
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    await assert.rejects(store.get(key), (error: unknown) => {
      assert.ok(error instanceof SessionStoreError);
      assert.match(error.message, /timed out after 200 ms/);
      return true;
    });
    await locker.query('ROLLBACK');
    assert.deepStrictEqual({ ...(await store.get(key))?.data }, { a: '1' });
  });

  it('S-55 connections killed mid-run: errors are SessionStoreError, then the store recovers', async (t) => {
    const appName = `tessera-test-${randomBytes(4).toString('hex')}`;
    const store = postgresStore({
      connectionString: url,
      tableName: `${schema}.killed`,
      poolOptions: { application_name: appName, max: 2 },
      pruneInterval: 0,
    });
    t.after(() => store.close());
    const key = randomStoreKey();
    await store.set(key, liveRecord({ a: '1' }));
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [appName],
    );
    // The first call after the kill may land on a dead connection; it must fail cleanly.
    try {
      await store.get(key);
    } catch (error) {
      assert.ok(isSessionStoreError(error), 'a failure is a SessionStoreError');
    }
    assert.deepStrictEqual({ ...(await store.get(key))?.data }, { a: '1' });
  });

  it('a closed store refuses calls with SessionStoreError', async () => {
    const store = postgresStore({ pool: admin, tableName: `${schema}.own`, pruneInterval: 0 });
    await store.close();
    await assert.rejects(store.get(randomStoreKey()), SessionStoreError);
  });
});
