/**
 * The driver shim: the tiny structural client the store needs, and opening a
 * node-postgres pool from a connection string when the app did not pass one.
 */

/** What the store reads from a query result. `pg.QueryResult` fits. */
export interface PgQueryResultLike {
  readonly rows: unknown[];
  readonly rowCount: number | null;
}

/**
 * Anything with node-postgres' promise `query(text, values)`: a `pg.Pool` (recommended:
 * it replaces broken connections, so the store recovers after an outage), a
 * `pg.Client`, or a wrapper of your own. The store never imports `pg` for it.
 *
 * Security/robustness: give a pool of your own an `'error'` listener. node-postgres
 * emits `'error'` on the pool when an idle connection dies (database restart), and an
 * unhandled `'error'` event ends the process. Open it with `query_timeout` (e.g. the
 * store's `queryTimeout`): without it a connection that goes silent (half-open) keeps its
 * query and its pool slot forever; the store warns once (`TESSERA_PG_POOL_SETTINGS`)
 * about a `pg.Pool` without it.
 */
export interface PgPoolLike {
  query(text: string, values?: unknown[]): Promise<PgQueryResultLike>;
}

/**
 * Options for the `pg.Pool` the store opens from `connectionString` (see node-postgres'
 * `PoolConfig`; every field is passed through). The common ones are listed for
 * documentation; anything else `pg` accepts is allowed too.
 */
export interface PgPoolOptions {
  /** TLS: `true`, or `tls.connect` options such as `{ ca, rejectUnauthorized }`. */
  readonly ssl?: boolean | Readonly<Record<string, unknown>>;
  /** Most connections the pool opens. @default 10 (node-postgres) */
  readonly max?: number;
  /** Milliseconds an idle connection is kept. @default 10000 (node-postgres) */
  readonly idleTimeoutMillis?: number;
  /** Milliseconds to wait for a connection. @default the store's `queryTimeout` */
  readonly connectionTimeoutMillis?: number;
  /** Server-side cap per statement, in ms. @default the store's `queryTimeout` */
  readonly statement_timeout?: number | false;
  /**
   * Client-side cap per query, in ms: a connection that sends nothing back for this long
   * (the server gone silent, a half-open connection) fails the query and is destroyed by
   * the pool instead of being kept checked out forever. @default the store's `queryTimeout`
   */
  readonly query_timeout?: number | false;
  /** Shown in `pg_stat_activity`. @default `tessera-session-store` */
  readonly application_name?: string;
  /** Let the process exit while only idle connections remain. @default true */
  readonly allowExitOnIdle?: boolean;
  readonly [option: string]: unknown;
}

/** A pool the store opened itself and therefore ends in `close()`. */
export interface OwnedPgPool extends PgPoolLike {
  end(): Promise<void>;
}

interface PgModule {
  readonly Pool: new (
    config: Record<string, unknown>,
  ) => OwnedPgPool & {
    on(event: 'error', listener: (error: Error) => void): unknown;
  };
}

/**
 * Loads `pg` (an optional peer dependency, so only apps that use this path need it) and
 * opens a pool. Timeouts default to `queryTimeout` so a dead server is reported in time,
 * a cancelled statement does not keep running on the server (`statement_timeout`), and a
 * connection that went silent is let go (`query_timeout`: node-postgres fails the query,
 * and `Pool.query` releases the client with that error, which destroys it; without it the
 * client stays checked out on the dead socket, and once every pooled connection is such a
 * one, each later call waits for a free connection and fails, for as long as the pool
 * lives).
 */
export async function openPgPool(
  connectionString: string,
  poolOptions: PgPoolOptions,
  queryTimeout: number,
): Promise<OwnedPgPool> {
  const imported = (await import('pg')) as unknown as PgModule & { default?: PgModule };
  const { Pool } = imported.default ?? imported;
  const pool = new Pool({
    connectionTimeoutMillis: queryTimeout,
    statement_timeout: queryTimeout,
    query_timeout: queryTimeout,
    application_name: 'tessera-session-store',
    allowExitOnIdle: true,
    ...poolOptions,
    connectionString,
  });
  // An idle connection dying is not an event the app can act on: the next query on the
  // pool gets a fresh connection or reports the outage as a SessionStoreError.
  pool.on('error', () => {});
  return pool;
}

/** Thrown by {@link withTimeout}; the store turns it into a `SessionStoreError`. */
export class QueryTimeout extends Error {
  constructor() {
    super('query timed out');
    this.name = 'QueryTimeout';
  }
}

/**
 * Settles with `work`, or rejects with {@link QueryTimeout} after `ms`. The timer is
 * cleared as soon as `work` settles, so it never keeps the process alive on its own.
 */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueryTimeout()), ms);
  });
  // A late failure of abandoned work must not become an unhandled rejection.
  work.catch(() => {});
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
