/**
 * The auth flows contract over real HTTP (on Express) with users in real databases: a
 * SQLite file that also holds the session store's table (one database object for both),
 * and PostgreSQL at DATABASE_URL (users and sessions in a schema of this run's own,
 * dropped at the end), in store mode and in cookie mode.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import pg from 'pg';
import type { UserRepository } from '../../src/auth/users/contract.js';
import { postgresUsers } from '../../src/auth/users/postgres/index.js';
import { sqliteUsers } from '../../src/auth/users/sqlite/index.js';
import type { SessionStore } from '../../src/stores/contract.js';
import { postgresStore } from '../../src/stores/postgres/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { DATABASE_URL, probePostgres } from '../support/services.js';
import { openRawSqlite, type RawSqlite } from '../support/sqlite-raw.js';
import { runEnumerationContract } from './enumeration-contract.js';
import { startExpressAuthApp } from './express-app.js';
import { type FlowsVariant, runFlowsContract } from './flows-contract.js';

const file = join(tmpdir(), `tessera-flows-${process.pid}-${randomBytes(6).toString('hex')}.db`);
process.once('exit', () => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
});

/** Users and sessions in one SQLite file, through one database object. */
function sqliteVariant(): FlowsVariant {
  let db: RawSqlite | undefined;
  let users: (UserRepository & { close(): Promise<void> }) | undefined;
  let store: (SessionStore & { close(): Promise<void> }) | undefined;
  return {
    name: 'store mode, users and sessions in one SQLite file',
    mode: 'store',
    users: () => {
      db = openRawSqlite(file);
      users = sqliteUsers({ database: db });
      return users;
    },
    store: () => {
      store = sqliteStore({ database: db!, pruneInterval: 0 });
      return store;
    },
    cleanup: async () => {
      await store?.close();
      await users?.close();
      db?.close();
    },
  };
}

const skip = await probePostgres();
const schema = `tessera_flows_test_${randomBytes(6).toString('hex')}`;
const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
admin.on('error', () => {});
if (!skip) await admin.query(`CREATE SCHEMA ${schema}`);
after(async () => {
  if (!skip) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

/** Users (and in store mode sessions) in PostgreSQL. */
function postgresVariant(mode: 'cookie' | 'store'): FlowsVariant {
  let users: (UserRepository & { close(): Promise<void> }) | undefined;
  let store: (SessionStore & { close(): Promise<void> }) | undefined;
  return {
    name: `${mode} mode, users in PostgreSQL${mode === 'store' ? ', sessions too' : ''}`,
    mode,
    skip,
    users: () => {
      users = postgresUsers({
        connectionString: DATABASE_URL,
        tableName: `${schema}.users_${mode}`,
      });
      return users;
    },
    store: () => {
      store = postgresStore({
        connectionString: DATABASE_URL,
        tableName: `${schema}.sessions_${mode}`,
        pruneInterval: 0,
      });
      return store;
    },
    cleanup: async () => {
      await store?.close();
      await users?.close();
    },
  };
}

describe('tesserajs/auth flows over HTTP with users in real databases', {
  timeout: 300_000,
}, () => {
  runFlowsContract('express 5', startExpressAuthApp, [
    sqliteVariant(),
    postgresVariant('store'),
    postgresVariant('cookie'),
  ]);
  // S-47: two sign-ups racing for one email are decided by the table's unique index.
  runEnumerationContract('express 5', startExpressAuthApp, [
    sqliteVariant(),
    postgresVariant('store'),
  ]);
});
