/**
 * Raw SQLite access for tests that inspect or corrupt a store's file behind its back:
 * better-sqlite3 on Node.js < 24, the built-in `node:sqlite` on Node.js >= 24.
 *
 * Why: better-sqlite3 12 aborts the whole process on Node.js >= 24.19 when a GC finalizes
 * one of its statements (`Statement::~Statement` removes an ObjectWrap cleanup hook
 * without an Environment), so on that runtime it must not even be loaded. The driver is
 * loaded with `createRequire` on first use, never by a static import.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

/** A value both drivers bind. */
export type RawSqliteValue = string | number | bigint | null;

/** A prepared statement, as both drivers have it. */
export interface RawSqliteStatement {
  run(...params: RawSqliteValue[]): { readonly changes: number | bigint };
  get(...params: RawSqliteValue[]): unknown;
  all(...params: RawSqliteValue[]): unknown[];
}

/**
 * An open database: the driver's own object (a better-sqlite3 `Database` or a node:sqlite
 * `DatabaseSync`), so it can also be handed to `sqliteStore({ database })`. Rows are
 * null-prototype objects under node:sqlite: spread them before `deepStrictEqual`.
 */
export interface RawSqlite {
  exec(sql: string): unknown;
  prepare(sql: string): RawSqliteStatement;
  /** Closes the database; under node:sqlite a second call throws. */
  close(): unknown;
}

/** Options of {@link openRawSqlite}. */
export interface RawSqliteOptions {
  /** Open without write access (the file must exist). @default false */
  readonly readonly?: boolean;
  /**
   * Force a driver, for tests about one of them; guard better-sqlite3 ones with
   * {@link betterSqlite3Skip}. @default node:sqlite on Node.js >= 24, else better-sqlite3
   */
  readonly driver?: 'better-sqlite3' | 'node:sqlite';
}

/** Whether this runtime uses `node:sqlite` for raw access, as `driver: 'auto'` does. */
export const usesNodeSqlite: boolean = Number(process.versions.node.split('.')[0]) >= 24;

/**
 * The skip reason for tests that are about better-sqlite3 itself, or `false` where it is
 * safe to load. Pass it as a test or suite `skip` option.
 */
export const betterSqlite3Skip: string | false = usesNodeSqlite
  ? 'better-sqlite3 12 aborts on Node >= 24.19 (Statement finalizer vs. ObjectWrap cleanup hooks); on this runtime Tessera uses node:sqlite'
  : false;

type NodeSqliteModule = {
  DatabaseSync: new (file: string, options?: { readOnly?: boolean }) => RawSqlite;
};

const require = createRequire(import.meta.url);
// Through a variable: @types/node 20 does not know `node:sqlite` (Node >= 22.5).
const NODE_SQLITE = 'node:sqlite';

/**
 * Opens `file` (or `':memory:'`) with the driver this runtime can use safely.
 * @param file - path of the database file, created if missing unless `readonly`.
 */
export function openRawSqlite(file: string, options: RawSqliteOptions = {}): RawSqlite {
  const readonly = options.readonly ?? false;
  const driver = options.driver ?? (usesNodeSqlite ? 'node:sqlite' : 'better-sqlite3');
  if (driver === 'node:sqlite') {
    const { DatabaseSync } = require(NODE_SQLITE) as NodeSqliteModule;
    return new DatabaseSync(file, { readOnly: readonly });
  }
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  return new Database(file, { readonly });
}
