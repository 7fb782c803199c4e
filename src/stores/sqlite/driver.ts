/**
 * The driver shim: the structural database the store needs, and opening a file with
 * better-sqlite3 or `node:sqlite` when the app did not pass a database.
 */

import { LOCK_WAIT_SLICE_MS } from './lock-wait.js';

/** A value the store binds: both drivers take these. */
export type SqliteValue = string | number | bigint | null;

/** A prepared statement, as better-sqlite3's `Statement` and node:sqlite's `StatementSync` have it. */
export interface SqliteStatementLike {
  run(...params: SqliteValue[]): { readonly changes: number | bigint };
  get(...params: SqliteValue[]): unknown;
  all(...params: SqliteValue[]): unknown[];
}

/**
 * An open database: a better-sqlite3 `Database` or a node:sqlite `DatabaseSync`. The
 * store only prepares statements on it and never closes it. Multi-process use: set
 * `PRAGMA journal_mode = WAL` and a `busy_timeout` on it (better-sqlite3 waits 5 s by
 * default, node:sqlite not at all).
 */
export interface SqliteDatabaseLike {
  prepare(sql: string): SqliteStatementLike;
  exec(sql: string): unknown;
}

/** Which driver opens `filename`. */
export type SqliteDriver = 'better-sqlite3' | 'node:sqlite' | 'auto';

/** A database the store opened itself and therefore closes. */
export interface OwnedSqliteDatabase extends SqliteDatabaseLike {
  close(): unknown;
}

type DatabaseConstructor = new (filename: string) => OwnedSqliteDatabase;

async function betterSqlite3(): Promise<DatabaseConstructor> {
  const imported = (await import('better-sqlite3')) as unknown as {
    default: DatabaseConstructor;
  };
  return imported.default;
}

// Through a variable: @types/node 20 does not know `node:sqlite` (Node >= 22.5).
const NODE_SQLITE = 'node:sqlite';

async function nodeSqlite(): Promise<DatabaseConstructor> {
  const imported = (await import(NODE_SQLITE)) as { DatabaseSync: DatabaseConstructor };
  return imported.DatabaseSync;
}

/**
 * `'auto'` prefers the built-in `node:sqlite` on Node.js >= 24, better-sqlite3 before.
 * Why: better-sqlite3 below 13 aborts the process on Node.js >= 24.19 when a GC
 * finalizes a statement (its ObjectWrap cleanup hook runs without an Environment), and
 * better-sqlite3 13 no longer supports Node.js 20; `node:sqlite` is stable enough on 24.
 */
function preferBuiltIn(): boolean {
  return Number(process.versions.node.split('.')[0]) >= 24;
}

async function loadDriver(driver: SqliteDriver): Promise<DatabaseConstructor> {
  if (driver === 'better-sqlite3') return betterSqlite3();
  if (driver === 'node:sqlite') return nodeSqlite();
  const [first, second] = preferBuiltIn()
    ? [nodeSqlite, betterSqlite3]
    : [betterSqlite3, nodeSqlite];
  try {
    return await first();
  } catch (firstError) {
    try {
      return await second();
    } catch (secondError) {
      throw new AggregateError(
        [firstError, secondError],
        'no SQLite driver: install better-sqlite3, or run Node.js >= 22.5 for node:sqlite',
      );
    }
  }
}

/**
 * Loads the driver (an optional peer dependency, or the built-in on newer Node.js) and
 * opens `filename` for use by several processes at once: WAL lets readers run beside the
 * one writer, a short `busy_timeout` makes a writer wait a few milliseconds for the lock
 * (longer waits are asynchronous retries, see lock-wait.ts), and `synchronous = NORMAL`
 * is durable against crashes of the process (a power cut may lose the last commits,
 * never corrupt the file).
 */
export async function openSqliteDatabase(
  filename: string,
  driver: SqliteDriver,
): Promise<OwnedSqliteDatabase> {
  const Database = await loadDriver(driver);
  const db = new Database(filename);
  try {
    // busy_timeout first: switching to WAL needs a lock another process may hold.
    db.exec(`PRAGMA busy_timeout = ${LOCK_WAIT_SLICE_MS}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
