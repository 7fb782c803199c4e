/**
 * The PostgreSQL user repository: one statement, hence one round trip, per method, over
 * the session store's connection layer (same pool handling, timeouts and table creation).
 */
import { EmailTakenError, UserStoreError } from '../../../errors.js';
import { PgConnection } from '../../../stores/postgres/connection.js';
import { warnAboutPool } from '../../../stores/postgres/pool-warning.js';
import { ensureCreatedSql, postgresTableName } from '../../../stores/postgres/schema.js';
import type { NewUser, UserRecord, UserRepository } from '../contract.js';
import { normalizeEmailOrNull } from '../email.js';
import { newUserId } from '../id.js';
import { checkNewUser, checkPasswordHash, isPlausibleUserId } from '../input.js';
import { decodeGeneration, decodeUserRow } from '../record.js';
import {
  type PostgresUsersOptions,
  type ResolvedPostgresUsersOptions,
  resolvePostgresUsersOptions,
} from './options.js';
import { usersTableStatements } from './schema.js';
import { type PostgresUserStatements, postgresUserStatements } from './statements.js';

/**
 * A unique violation (SQLSTATE 23505) on anything but the primary key: a unique index on
 * the email that `ON CONFLICT (email)` did not name, such as one a migration added on
 * `lower(email)`. It still means the address is taken.
 */
function takenByConstraint(primaryKey: string): (error: unknown) => Error | undefined {
  return (error) => {
    const e = error as { code?: unknown; constraint?: unknown } | null;
    if (e?.code !== '23505' || e.constraint === primaryKey) return undefined;
    return new EmailTakenError({ cause: error });
  };
}

/**
 * Users in a PostgreSQL table (see {@link postgresUsersSchemaSql}) with a unique
 * constraint on the normalized email. Failures, timeouts and unreadable rows reject with
 * `UserStoreError` (cause attached).
 */
export class PostgresUserRepository implements UserRepository {
  readonly #options: ResolvedPostgresUsersOptions;
  readonly #sql: PostgresUserStatements;
  readonly #connection: PgConnection;
  readonly #taken: (error: unknown) => Error | undefined;

  /** Validates `options` (throws `InvalidOptionsError`); connects lazily, on first use. */
  constructor(options: PostgresUsersOptions) {
    this.#options = resolvePostgresUsersOptions(options);
    if (this.#options.pool !== undefined) warnAboutPool(this.#options.pool, 'postgresUsers');
    const table = postgresTableName(this.#options.tableName);
    this.#sql = postgresUserStatements(table);
    this.#taken = takenByConstraint(`${table.bare}_pkey`);
    this.#connection = new PgConnection(
      this.#options,
      this.#options.createTable ? ensureCreatedSql(table, usersTableStatements(table)) : undefined,
      {
        closed: (operation) =>
          new UserStoreError(operation, { message: 'user repository is closed' }),
        failed: (operation, cause, message) =>
          new UserStoreError(operation, {
            cause,
            ...(message === undefined ? {} : { message: `user repository ${message}` }),
          }),
      },
    );
  }

  /**
   * Connects and creates the table now rather than on the first request, so a wrong URL
   * or missing privilege shows at startup. Optional.
   */
  async ready(): Promise<void> {
    await this.#connection.run('ready', undefined, []);
  }

  async findById(id: string): Promise<UserRecord | null> {
    if (!isPlausibleUserId(id)) return null;
    const { rows } = await this.#connection.run('findById', this.#sql.findById, [id]);
    return rows[0] === undefined ? null : decodeUserRow(rows[0], 'findById');
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const normalized = normalizeEmailOrNull(email);
    if (normalized === null) return null;
    const { rows } = await this.#connection.run('findByEmail', this.#sql.findByEmail, [normalized]);
    return rows[0] === undefined ? null : decodeUserRow(rows[0], 'findByEmail');
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
    const { rows } = await this.#connection.run(
      'create',
      this.#sql.create,
      [record.id, email, passwordHash, now],
      this.#taken,
    );
    if (rows.length !== 1) throw new EmailTakenError();
    return record;
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<boolean> {
    checkPasswordHash(passwordHash);
    if (!isPlausibleUserId(id)) return false;
    const { rowCount } = await this.#connection.run(
      'updatePasswordHash',
      this.#sql.updatePasswordHash,
      [id, passwordHash, this.#now()],
    );
    return rowCount === 1;
  }

  async bumpSessionGeneration(id: string): Promise<number | null> {
    if (!isPlausibleUserId(id)) return null;
    const { rows } = await this.#connection.run(
      'bumpSessionGeneration',
      this.#sql.bumpSessionGeneration,
      [id, this.#now()],
    );
    const row = rows[0] as { session_generation?: unknown } | undefined;
    return row === undefined
      ? null
      : decodeGeneration(row.session_generation, 'bumpSessionGeneration');
  }

  async delete(id: string): Promise<boolean> {
    if (!isPlausibleUserId(id)) return false;
    const { rowCount } = await this.#connection.run('delete', this.#sql.delete, [id]);
    return rowCount === 1;
  }

  /** Ends the pool the repository opened (never one you passed in). */
  async close(): Promise<void> {
    await this.#connection.close();
  }

  #now(): number {
    return Math.trunc(this.#options.clock());
  }
}

/** Creates a {@link PostgresUserRepository}. */
export function postgresUsers(options: PostgresUsersOptions): PostgresUserRepository {
  return new PostgresUserRepository(options);
}
