/**
 * Rows of the SQL repositories as UserRecords. Drivers hand back numbers as numbers
 * (SQLite), strings (PostgreSQL `bigint`) or bigints; anything that is not what the
 * repository wrote means the table was changed behind its back, and is reported as a
 * `UserStoreError` rather than handed on as a user.
 */
import { UserStoreError } from '../../errors.js';
import type { UserRecord } from './contract.js';

/** A row as both SQL repositories select it. */
export interface UserRow {
  readonly id: unknown;
  readonly email: unknown;
  readonly password_hash: unknown;
  readonly session_generation: unknown;
  readonly created_at: unknown;
  readonly updated_at: unknown;
}

/** The columns, in the order of {@link UserRow}, for SELECT and RETURNING lists. */
export const USER_COLUMNS = 'id, email, password_hash, session_generation, created_at, updated_at';

function integer(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n === 'bigint') return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : undefined;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Decodes one row; throws `UserStoreError` naming `operation` for a malformed one. */
export function decodeUserRow(row: unknown, operation: string): UserRecord {
  const r = row as UserRow;
  const sessionGeneration = integer(r.session_generation);
  const createdAt = integer(r.created_at);
  const updatedAt = integer(r.updated_at);
  if (
    typeof r.id !== 'string' ||
    typeof r.email !== 'string' ||
    typeof r.password_hash !== 'string' ||
    sessionGeneration === undefined ||
    createdAt === undefined ||
    updatedAt === undefined
  ) {
    throw new UserStoreError(operation, { message: `user repository ${operation}: corrupt row` });
  }
  return Object.freeze({
    id: r.id,
    email: r.email,
    passwordHash: r.password_hash,
    sessionGeneration,
    createdAt,
    updatedAt,
  });
}

/** The generation a RETURNING clause gave back, or throws like {@link decodeUserRow}. */
export function decodeGeneration(value: unknown, operation: string): number {
  const n = integer(value);
  if (n === undefined) {
    throw new UserStoreError(operation, { message: `user repository ${operation}: corrupt row` });
  }
  return n;
}
