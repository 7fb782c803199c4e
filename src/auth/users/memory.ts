/**
 * Users in a `Map`, for tests, examples and single-process apps that can lose their
 * users on restart. Each method does its check and its change in one synchronous step,
 * so concurrent calls are atomic with respect to each other without a lock.
 */
import { EmailTakenError } from '../../errors.js';
import type { NewUser, UserRecord, UserRepository } from './contract.js';
import { normalizeEmailOrNull } from './email.js';
import { newUserId } from './id.js';
import { checkNewUser, checkPasswordHash, isPlausibleUserId } from './input.js';

/** Options of {@link memoryUsers}. */
export interface MemoryUsersOptions {
  /** Source of "now" in ms, for tests. @default `Date.now` */
  readonly clock?: () => number;
}

/**
 * An in-memory {@link UserRepository}. Records are frozen snapshots: an update replaces
 * the stored record, so one handed out earlier never changes under its holder.
 */
export class MemoryUserRepository implements UserRepository {
  // Maps, not objects: an email or id such as `__proto__` is an ordinary key.
  readonly #byId = new Map<string, UserRecord>();
  readonly #idByEmail = new Map<string, string>();
  readonly #clock: () => number;

  constructor(options: MemoryUsersOptions = {}) {
    this.#clock = options.clock ?? Date.now;
  }

  /** How many users are stored. */
  get size(): number {
    return this.#byId.size;
  }

  async findById(id: string): Promise<UserRecord | null> {
    return isPlausibleUserId(id) ? (this.#byId.get(id) ?? null) : null;
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const normalized = normalizeEmailOrNull(email);
    const id = normalized === null ? undefined : this.#idByEmail.get(normalized);
    return id === undefined ? null : (this.#byId.get(id) ?? null);
  }

  async create(user: NewUser): Promise<UserRecord> {
    const { email, passwordHash } = checkNewUser(user);
    if (this.#idByEmail.has(email)) throw new EmailTakenError();
    const now = Math.trunc(this.#clock());
    const record: UserRecord = Object.freeze({
      id: newUserId(),
      email,
      passwordHash,
      sessionGeneration: 0,
      createdAt: now,
      updatedAt: now,
    });
    this.#byId.set(record.id, record);
    this.#idByEmail.set(email, record.id);
    return record;
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<boolean> {
    checkPasswordHash(passwordHash);
    return this.#replace(id, (user) => ({ ...user, passwordHash })) !== null;
  }

  async bumpSessionGeneration(id: string): Promise<number | null> {
    const next = this.#replace(id, (user) => ({
      ...user,
      sessionGeneration: user.sessionGeneration + 1,
    }));
    return next === null ? null : next.sessionGeneration;
  }

  async delete(id: string): Promise<boolean> {
    const user = isPlausibleUserId(id) ? this.#byId.get(id) : undefined;
    if (user === undefined) return false;
    this.#byId.delete(id);
    this.#idByEmail.delete(user.email);
    return true;
  }

  #replace(id: string, change: (user: UserRecord) => UserRecord): UserRecord | null {
    const user = isPlausibleUserId(id) ? this.#byId.get(id) : undefined;
    if (user === undefined) return null;
    const next = Object.freeze({ ...change(user), updatedAt: Math.trunc(this.#clock()) });
    this.#byId.set(id, next);
    return next;
  }
}

/** Creates a {@link MemoryUserRepository}. */
export function memoryUsers(options?: MemoryUsersOptions): MemoryUserRepository {
  return new MemoryUserRepository(options);
}
