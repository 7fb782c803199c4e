/**
 * `tesserajs/users/sqlite`: users in a SQLite file, alone or beside the sessions.
 *
 * @example
 * ```ts
 * import { sqliteUsers } from 'tesserajs/users/sqlite';
 *
 * const users = sqliteUsers({ filename: './data/app.db' });
 * ```
 */

export type { SqliteDatabaseLike, SqliteDriver } from '../../../stores/sqlite/driver.js';
export type { NewUser, UserRecord, UserRepository } from '../contract.js';
export type { SqliteUsersOptions } from './options.js';
export { SqliteUserRepository, sqliteUsers } from './repository.js';
export {
  DEFAULT_SQLITE_USERS_TABLE,
  SQLITE_USERS_SCHEMA_VERSION,
  sqliteUsersSchemaSql,
} from './schema.js';
