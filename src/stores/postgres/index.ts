/**
 * `tesserajs/stores/postgres`: server-side sessions in PostgreSQL.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { postgresStore } from 'tesserajs/stores/postgres';
 *
 * // query_timeout: a connection that goes silent is dropped instead of kept forever.
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, query_timeout: 2000 });
 * pool.on('error', () => {}); // idle connections dying must not end the process
 * const store = postgresStore({ pool });
 * ```
 */

export type { PruneOptions, PruneProgress } from '../contract.js';
export type { PostgresStoreOptions } from './options.js';
export type { PgPoolLike, PgPoolOptions, PgQueryResultLike } from './pool.js';
export {
  DEFAULT_POSTGRES_TABLE,
  POSTGRES_SCHEMA_VERSION,
  postgresSchemaSql,
} from './schema.js';
export { PostgresStore, postgresStore } from './store.js';
