/**
 * Options of the PostgreSQL store, and their validation.
 */

import { InvalidOptionsError, type SessionStoreError } from '../../errors.js';
import { pruneBatchSize } from '../sql/prune-batches.js';
import { DEFAULT_PRUNE_INTERVAL, MAX_TIMER_DELAY } from '../sql/prune-timer.js';
import { type ResolvedPgConnection, resolvePgConnection } from './connection.js';
import type { PgPoolLike, PgPoolOptions } from './pool.js';
import { DEFAULT_POSTGRES_TABLE } from './schema.js';

/** Options of {@link postgresStore}. Pass exactly one of `pool` and `connectionString`. */
export interface PostgresStoreOptions {
  /**
   * A client you already have (`pg.Pool` recommended). The store never ends it; end it
   * yourself after `close()`.
   */
  readonly pool?: PgPoolLike;
  /**
   * A `postgres://` URL. The store then loads `pg` (install it) and opens a pool of its
   * own, which `close()` ends. Security: keep it out of source control; for TLS use
   * `?sslmode=verify-full` or `poolOptions.ssl`.
   */
  readonly connectionString?: string;
  /** Options for the pool opened from `connectionString`. Ignored with `pool`. */
  readonly poolOptions?: PgPoolOptions;
  /**
   * Table name, `table` or `schema.table` (lower-case letters, digits, `_`). The schema
   * must exist. @default `tessera_sessions`
   */
  readonly tableName?: string;
  /**
   * Create the table and its indexes on first use if missing. Set to `false` when your
   * migration tool runs {@link postgresSchemaSql} instead. @default true
   */
  readonly createTable?: boolean;
  /**
   * Milliseconds any one store call may take (waiting for a connection included) before
   * it fails with `SessionStoreError` — the request then gets a 503 instead of hanging
   * (S-55). @default 2000
   */
  readonly queryTimeout?: number;
  /**
   * Milliseconds between sweeps of expired rows (on an unref'd timer); `0` disables the
   * sweep, e.g. when a cron job calls `prune()`. @default 900000 (15 minutes)
   */
  readonly pruneInterval?: number;
  /**
   * Called when a scheduled sweep fails; the next one tries again.
   * @default one line on stderr (code and message)
   */
  readonly onPruneError?: (error: SessionStoreError) => void;
  /**
   * Rows one prune statement deletes (each within `queryTimeout`); `prune()` repeats
   * until the backlog is gone. @default 5000
   */
  readonly pruneBatchSize?: number;
  /** Source of "now" in ms, for tests. @default `Date.now` */
  readonly clock?: () => number;
}

/** Options with defaults applied. */
export interface ResolvedPostgresOptions extends ResolvedPgConnection {
  readonly tableName: string;
  readonly createTable: boolean;
  readonly pruneInterval: number;
  readonly onPruneError: ((error: SessionStoreError) => void) | undefined;
  readonly pruneBatchSize: number;
  readonly clock: () => number;
}

/** Applies defaults; throws `InvalidOptionsError` for a bad combination or value. */
export function resolvePostgresOptions(options: PostgresStoreOptions): ResolvedPostgresOptions {
  const { pool, connectionString, poolOptions, queryTimeout } = resolvePgConnection(
    options,
    'postgresStore',
  );
  const pruneInterval = options.pruneInterval ?? DEFAULT_PRUNE_INTERVAL;
  if (!Number.isInteger(pruneInterval) || pruneInterval < 0 || pruneInterval > MAX_TIMER_DELAY) {
    throw new InvalidOptionsError('pruneInterval must be 0 or a positive integer of milliseconds');
  }
  return {
    pool,
    connectionString,
    poolOptions,
    tableName: options.tableName ?? DEFAULT_POSTGRES_TABLE,
    createTable: options.createTable ?? true,
    queryTimeout,
    pruneInterval,
    onPruneError: options.onPruneError,
    pruneBatchSize: pruneBatchSize('pruneBatchSize', options.pruneBatchSize, 5000),
    clock: options.clock ?? Date.now,
  };
}
