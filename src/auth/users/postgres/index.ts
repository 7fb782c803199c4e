/**
 * `tesserajs/users/postgres`: users in PostgreSQL, alone or beside the sessions.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { postgresUsers } from 'tesserajs/users/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, query_timeout: 2000 });
 * pool.on('error', () => {}); // idle connections dying must not end the process
 * const users = postgresUsers({ pool });
 * ```
 */

export type {
  PgPoolLike,
  PgPoolOptions,
  PgQueryResultLike,
} from '../../../stores/postgres/pool.js';
export type { NewUser, UserRecord, UserRepository } from '../contract.js';
export type { PostgresUsersOptions } from './options.js';
export { PostgresUserRepository, postgresUsers } from './repository.js';
export {
  DEFAULT_POSTGRES_USERS_TABLE,
  POSTGRES_USERS_SCHEMA_VERSION,
  postgresUsersSchemaSql,
} from './schema.js';
