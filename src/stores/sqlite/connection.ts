/**
 * One lazily opened SQLite database and its prepared statements, shared by everything
 * Tessera keeps in SQLite (the session store, the user repository): opening on first use,
 * forgetting a failed open so the next call tries again, asynchronous retries while
 * another connection holds the lock, and closing only a database it opened itself.
 */

import { InvalidOptionsError, isTesseraError } from '../../errors.js';
import { MAX_TIMER_DELAY } from '../sql/prune-timer.js';
import {
  type OwnedSqliteDatabase,
  openSqliteDatabase,
  type SqliteDatabaseLike,
  type SqliteDriver,
} from './driver.js';
import { retryWhileLocked } from './lock-wait.js';

/** How to reach the database: exactly one of `database` and `filename`. */
export interface SqliteConnectionOptions {
  readonly database?: SqliteDatabaseLike | undefined;
  readonly filename?: string | undefined;
  readonly driver?: SqliteDriver | undefined;
  readonly busyTimeout?: number | undefined;
}

/** {@link SqliteConnectionOptions} validated, defaults applied. */
export interface ResolvedSqliteConnection {
  readonly database: SqliteDatabaseLike | undefined;
  readonly filename: string | undefined;
  readonly driver: SqliteDriver;
  readonly busyTimeout: number;
}

const DRIVERS: readonly string[] = ['better-sqlite3', 'node:sqlite', 'auto'];

/** Whether this runtime has the built-in `node:sqlite` (Node.js >= 22.5, no flag on >= 22.13). */
function hasNodeSqlite(): boolean {
  const load = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof load !== 'function') return false;
  try {
    return load('node:sqlite') !== undefined;
  } catch {
    return false;
  }
}

/**
 * Validates the connection options of `factory` (named in messages, e.g. `sqliteStore`);
 * throws `InvalidOptionsError` for a bad combination or value.
 */
export function resolveSqliteConnection(
  options: SqliteConnectionOptions,
  factory: string,
): ResolvedSqliteConnection {
  const { database, filename } = options;
  if ((database === undefined) === (filename === undefined)) {
    throw new InvalidOptionsError(`${factory} needs exactly one of database and filename`);
  }
  if (database !== undefined && typeof database.prepare !== 'function') {
    throw new InvalidOptionsError('database must have a prepare(sql) method');
  }
  if (filename !== undefined && (typeof filename !== 'string' || !filename)) {
    throw new InvalidOptionsError('filename must be a non-empty string');
  }
  const driver = options.driver ?? 'auto';
  if (!DRIVERS.includes(driver)) {
    throw new InvalidOptionsError(`driver must be one of ${DRIVERS.join(', ')}`);
  }
  if (driver === 'node:sqlite' && !hasNodeSqlite()) {
    // Refused here: failing on every call instead would look like an outage (503s).
    throw new InvalidOptionsError(
      `driver 'node:sqlite' needs Node.js >= 22.5 (this is ${process.version}); use better-sqlite3 or 'auto'`,
    );
  }
  const busyTimeout = options.busyTimeout ?? 2000;
  if (!Number.isInteger(busyTimeout) || busyTimeout < 0 || busyTimeout > MAX_TIMER_DELAY) {
    throw new InvalidOptionsError('busyTimeout must be a non-negative integer of milliseconds');
  }
  return { database, filename, driver, busyTimeout };
}

/** The errors a connection's user reports: its own typed error for its own operations. */
export interface SqliteConnectionErrors {
  /** For a call after `close()`. */
  readonly closed: (operation: string) => Error;
  /** For a driver error (still locked after `busyTimeout`, I/O, a closed database). */
  readonly failed: (operation: string, cause: unknown) => Error;
}

/**
 * The database behind one store or repository. `setup` runs once per successful open
 * (create tables, prepare statements) and its result is what `run` hands each step.
 */
export class SqliteConnection<Statements> {
  readonly #options: ResolvedSqliteConnection;
  readonly #setup: (db: SqliteDatabaseLike) => Statements;
  readonly #errors: SqliteConnectionErrors;
  #statements: Promise<Statements> | undefined;
  #ownedDatabase: OwnedSqliteDatabase | undefined;
  #closed = false;

  constructor(
    options: ResolvedSqliteConnection,
    setup: (db: SqliteDatabaseLike) => Statements,
    errors: SqliteConnectionErrors,
  ) {
    this.#options = options;
    this.#setup = setup;
    this.#errors = errors;
  }

  /**
   * Runs `step` on the prepared statements, retrying it while the database is locked
   * (a locked statement did not run) until `busyTimeout` is spent. Tessera's own typed
   * errors pass through; anything else becomes `errors.failed(operation, cause)`.
   */
  async run<T>(operation: string, step: (statements: Statements) => T): Promise<T> {
    if (this.#closed) throw this.#errors.closed(operation);
    try {
      return await retryWhileLocked(
        async () => step(await this.#prepare(operation)),
        this.#options.busyTimeout,
        () => this.#closed,
      );
    } catch (error) {
      if (isTesseraError(error)) throw error;
      throw this.#errors.failed(operation, error);
    }
  }

  /** Closes the database if this connection opened it (never one it was given). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const owned = this.#ownedDatabase;
    this.#ownedDatabase = undefined;
    owned?.close();
  }

  // Memoised; a failure is forgotten so the next call tries again (file locked by a
  // migration, directory created later) instead of failing forever.
  #prepare(operation: string): Promise<Statements> {
    this.#statements ??= this.#open(operation).catch((error: unknown) => {
      this.#statements = undefined;
      throw error;
    });
    return this.#statements;
  }

  async #open(operation: string): Promise<Statements> {
    const { database, filename, driver } = this.#options;
    let db: SqliteDatabaseLike | undefined = database;
    if (db === undefined) {
      const opened = await openSqliteDatabase(filename ?? '', driver);
      if (this.#closed) {
        opened.close();
        throw this.#errors.closed(operation);
      }
      this.#ownedDatabase = opened;
      db = opened;
    }
    return this.#setup(db);
  }
}
