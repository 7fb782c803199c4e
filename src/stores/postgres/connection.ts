/**
 * The PostgreSQL connection behind one store or repository, shared by everything Tessera
 * keeps in PostgreSQL (the session store, the user repository): a pool given or opened
 * from a URL on first use, the table created once under an advisory lock, every call
 * bounded by `queryTimeout`, and failures turned into the caller's typed error.
 */
import { InvalidOptionsError, isTesseraError } from '../../errors.js';
import { MAX_TIMER_DELAY } from '../sql/prune-timer.js';
import {
  type OwnedPgPool,
  openPgPool,
  type PgPoolLike,
  type PgPoolOptions,
  type PgQueryResultLike,
  QueryTimeout,
  withTimeout,
} from './pool.js';

/** How to reach the server: exactly one of `pool` and `connectionString`. */
export interface PgConnectionOptions {
  readonly pool?: PgPoolLike | undefined;
  readonly connectionString?: string | undefined;
  readonly poolOptions?: PgPoolOptions | undefined;
  readonly queryTimeout?: number | undefined;
}

/** {@link PgConnectionOptions} validated, defaults applied. */
export interface ResolvedPgConnection {
  readonly pool: PgPoolLike | undefined;
  readonly connectionString: string | undefined;
  readonly poolOptions: PgPoolOptions;
  readonly queryTimeout: number;
}

/**
 * Validates the connection options of `factory` (named in messages, e.g.
 * `postgresStore`); throws `InvalidOptionsError` for a bad combination or value.
 */
export function resolvePgConnection(
  options: PgConnectionOptions,
  factory: string,
): ResolvedPgConnection {
  const { pool, connectionString } = options;
  if ((pool === undefined) === (connectionString === undefined)) {
    throw new InvalidOptionsError(`${factory} needs exactly one of pool and connectionString`);
  }
  if (pool !== undefined && typeof pool.query !== 'function') {
    throw new InvalidOptionsError('pool must have a query(text, values) method');
  }
  if (
    connectionString !== undefined &&
    (typeof connectionString !== 'string' || !connectionString)
  ) {
    throw new InvalidOptionsError('connectionString must be a non-empty string');
  }
  const queryTimeout = options.queryTimeout ?? 2000;
  if (!Number.isInteger(queryTimeout) || queryTimeout < 1 || queryTimeout > MAX_TIMER_DELAY) {
    throw new InvalidOptionsError('queryTimeout must be a positive integer of milliseconds');
  }
  return { pool, connectionString, poolOptions: options.poolOptions ?? {}, queryTimeout };
}

/** The errors a connection's user reports: its own typed error for its own operations. */
export interface PgConnectionErrors {
  /** For a call after `close()`. */
  readonly closed: (operation: string) => Error;
  /** For a failed query; `message` is set when it timed out. */
  readonly failed: (operation: string, cause: unknown, message?: string) => Error;
}

/** A pool plus the one-time table creation, as a store or repository uses it. */
export class PgConnection {
  readonly #options: ResolvedPgConnection;
  readonly #ensureSql: string | undefined;
  readonly #errors: PgConnectionErrors;
  #pool: Promise<PgPoolLike> | undefined;
  #ownedPool: OwnedPgPool | undefined;
  #table: Promise<void> | undefined;
  #closed = false;

  /** @param ensureSql - run once before the first query, or `undefined` (createTable: false). */
  constructor(
    options: ResolvedPgConnection,
    ensureSql: string | undefined,
    errors: PgConnectionErrors,
  ) {
    this.#options = options;
    this.#ensureSql = ensureSql;
    this.#errors = errors;
  }

  /**
   * Runs `text` with `values` (or only connects and creates the table, for `undefined`)
   * within `queryTimeout`. Tessera's own typed errors pass through; anything else becomes
   * `errors.failed`, which `classify` may first claim for an error of its own (a unique
   * violation that means "taken").
   */
  async run(
    operation: string,
    text: string | undefined,
    values: unknown[],
    classify?: (error: unknown) => Error | undefined,
  ): Promise<PgQueryResultLike> {
    if (this.#closed) throw this.#errors.closed(operation);
    const work = (async (): Promise<PgQueryResultLike> => {
      const pool = await this.#connect(operation);
      await this.#ensureTable(pool);
      return text === undefined ? { rows: [], rowCount: 0 } : pool.query(text, values);
    })();
    try {
      return await withTimeout(work, this.#options.queryTimeout);
    } catch (error) {
      if (isTesseraError(error)) throw error;
      const claimed = classify?.(error);
      if (claimed !== undefined) throw claimed;
      // Our own timer, or the server's statement_timeout (SQLSTATE 57014) set to the
      // same budget on a pool opened here: whichever fires first.
      if (error instanceof QueryTimeout || (error as { code?: unknown } | null)?.code === '57014') {
        throw this.#errors.failed(
          operation,
          error,
          `${operation} timed out after ${this.#options.queryTimeout} ms`,
        );
      }
      throw this.#errors.failed(operation, error);
    }
  }

  /** Ends the pool opened here (never one it was given). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const owned = this.#ownedPool;
    this.#ownedPool = undefined;
    await owned?.end();
  }

  // Memoised; a failure is forgotten so the next call tries again (database still
  // starting, network blip) instead of failing forever.
  #connect(operation: string): Promise<PgPoolLike> {
    const { pool, connectionString, poolOptions, queryTimeout } = this.#options;
    if (pool !== undefined) return Promise.resolve(pool);
    this.#pool ??= openPgPool(connectionString ?? '', poolOptions, queryTimeout).then(
      async (opened) => {
        if (this.#closed) {
          await opened.end();
          throw this.#errors.closed(operation);
        }
        this.#ownedPool = opened;
        return opened;
      },
      (error: unknown) => {
        this.#pool = undefined;
        throw error;
      },
    );
    return this.#pool;
  }

  #ensureTable(pool: PgPoolLike): Promise<void> {
    if (this.#ensureSql === undefined) return Promise.resolve();
    this.#table ??= pool.query(this.#ensureSql).then(
      () => undefined,
      (error: unknown) => {
        this.#table = undefined;
        throw error;
      },
    );
    return this.#table;
  }
}
