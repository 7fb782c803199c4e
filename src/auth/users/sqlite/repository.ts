/**
 * The SQLite user repository: one prepared statement per method, on the session store's
 * driver layer (same drivers, same lock waiting), so users and sessions can share one
 * file and one database object.
 */
import { EmailTakenError, UserStoreError } from '../../../errors.js';
import { SqliteConnection } from '../../../stores/sqlite/connection.js';
import type { NewUser, UserRecord, UserRepository } from '../contract.js';
import { normalizeEmailOrNull } from '../email.js';
import { newUserId } from '../id.js';
import { checkNewUser, checkPasswordHash, isPlausibleUserId } from '../input.js';
import { decodeGeneration, decodeUserRow } from '../record.js';
import {
  type ResolvedSqliteUsersOptions,
  resolveSqliteUsersOptions,
  type SqliteUsersOptions,
} from './options.js';
import { sqliteUsersSchemaSql } from './schema.js';
import { prepareSqliteUserStatements, type SqliteUserStatements } from './statements.js';

/**
 * Users in a SQLite table (see {@link sqliteUsersSchemaSql}) with a unique index on the
 * normalized email. Driver errors (still locked after `busyTimeout`, I/O, a closed
 * database) and unreadable rows reject with `UserStoreError`.
 */
export class SqliteUserRepository implements UserRepository {
  readonly #options: ResolvedSqliteUsersOptions;
  readonly #connection: SqliteConnection<SqliteUserStatements>;

  /** Validates `options` (throws `InvalidOptionsError`); opens lazily, on first use. */
  constructor(options: SqliteUsersOptions) {
    this.#options = resolveSqliteUsersOptions(options);
    const { tableName, createTable } = this.#options;
    this.#connection = new SqliteConnection(
      this.#options,
      (db) => {
        if (createTable) db.exec(sqliteUsersSchemaSql(tableName));
        return prepareSqliteUserStatements(db, tableName);
      },
      {
        closed: (operation) =>
          new UserStoreError(operation, { message: 'user repository is closed' }),
        failed: (operation, cause) => new UserStoreError(operation, { cause }),
      },
    );
  }

  /**
   * Opens the file and creates the table now rather than on the first request, so a
   * missing driver or unwritable path shows at startup. Optional.
   */
  async ready(): Promise<void> {
    await this.#connection.run('ready', () => undefined);
  }

  async findById(id: string): Promise<UserRecord | null> {
    if (!isPlausibleUserId(id)) return null;
    const row = await this.#connection.run('findById', (s) => s.findById.get(id));
    return row === undefined ? null : decodeUserRow(row, 'findById');
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const normalized = normalizeEmailOrNull(email);
    if (normalized === null) return null;
    const row = await this.#connection.run('findByEmail', (s) => s.findByEmail.get(normalized));
    return row === undefined ? null : decodeUserRow(row, 'findByEmail');
  }

  async create(user: NewUser): Promise<UserRecord> {
    const { email, passwordHash } = checkNewUser(user);
    const now = this.#now();
    const record: UserRecord = Object.freeze({
      id: newUserId(),
      email,
      passwordHash,
      sessionGeneration: 0,
      createdAt: now,
      updatedAt: now,
    });
    const { changes } = await this.#connection.run('create', (s) =>
      s.create.run(record.id, email, passwordHash, now, now),
    );
    if (Number(changes) !== 1) throw new EmailTakenError();
    return record;
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<boolean> {
    checkPasswordHash(passwordHash);
    if (!isPlausibleUserId(id)) return false;
    const now = this.#now();
    const { changes } = await this.#connection.run('updatePasswordHash', (s) =>
      s.updatePasswordHash.run(passwordHash, now, id),
    );
    return Number(changes) === 1;
  }

  async bumpSessionGeneration(id: string): Promise<number | null> {
    if (!isPlausibleUserId(id)) return null;
    const now = this.#now();
    const row = await this.#connection.run('bumpSessionGeneration', (s) =>
      s.bumpSessionGeneration.get(now, id),
    );
    if (row === undefined) return null;
    const generation = (row as { session_generation: unknown }).session_generation;
    return decodeGeneration(generation, 'bumpSessionGeneration');
  }

  async delete(id: string): Promise<boolean> {
    if (!isPlausibleUserId(id)) return false;
    const { changes } = await this.#connection.run('delete', (s) => s.delete.run(id));
    return Number(changes) === 1;
  }

  /** Closes the database the repository opened (never one you passed in). */
  async close(): Promise<void> {
    this.#connection.close();
  }

  #now(): number {
    return Math.trunc(this.#options.clock());
  }
}

/** Creates a {@link SqliteUserRepository}. */
export function sqliteUsers(options: SqliteUsersOptions): SqliteUserRepository {
  return new SqliteUserRepository(options);
}
