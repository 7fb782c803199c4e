/**
 * Options of the PostgreSQL user repository, and their validation.
 */
import {
  type ResolvedPgConnection,
  resolvePgConnection,
} from '../../../stores/postgres/connection.js';
import type { PgPoolLike, PgPoolOptions } from '../../../stores/postgres/pool.js';
import { DEFAULT_POSTGRES_USERS_TABLE } from './schema.js';

/** Options of {@link postgresUsers}. Pass exactly one of `pool` and `connectionString`. */
export interface PostgresUsersOptions {
  /**
   * A client you already have (`pg.Pool` recommended; the session store's pool does).
   * The repository never ends it.
   */
  readonly pool?: PgPoolLike;
  /**
   * A `postgres://` URL. The repository then loads `pg` (install it) and opens a pool of
   * its own, which `close()` ends. Security: keep it out of source control.
   */
  readonly connectionString?: string;
  /** Options for the pool opened from `connectionString`. Ignored with `pool`. */
  readonly poolOptions?: PgPoolOptions;
  /**
   * Table name, `table` or `schema.table` (lower-case letters, digits, `_`). The schema
   * must exist. @default `tessera_users`
   */
  readonly tableName?: string;
  /**
   * Create the table and its unique email constraint on first use if missing. Set to
   * `false` when your migration tool runs {@link postgresUsersSchemaSql}. @default true
   */
  readonly createTable?: boolean;
  /**
   * Milliseconds any one call may take (waiting for a connection included) before it
   * fails with `UserStoreError`, answered 503. @default 2000
   */
  readonly queryTimeout?: number;
  /** Source of "now" in ms, for tests. @default `Date.now` */
  readonly clock?: () => number;
}

/** Options with defaults applied. */
export interface ResolvedPostgresUsersOptions extends ResolvedPgConnection {
  readonly tableName: string;
  readonly createTable: boolean;
  readonly clock: () => number;
}

/** Applies defaults; throws `InvalidOptionsError` for a bad combination or value. */
export function resolvePostgresUsersOptions(
  options: PostgresUsersOptions,
): ResolvedPostgresUsersOptions {
  const connection = resolvePgConnection(options, 'postgresUsers');
  return {
    ...connection,
    // A pool opened here names itself as such in pg_stat_activity.
    poolOptions: { application_name: 'tessera-users', ...connection.poolOptions },
    tableName: options.tableName ?? DEFAULT_POSTGRES_USERS_TABLE,
    createTable: options.createTable ?? true,
    clock: options.clock ?? Date.now,
  };
}
