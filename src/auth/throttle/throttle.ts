/**
 * The sign-in throttle (S-53): a per-account back-off and lockout, and a per-address
 * allowance against password spraying, both admitted atomically in the backend before
 * the password is checked, so parallel guesses cannot slip past a limit.
 */
import {
  InvalidOptionsError,
  isTesseraError,
  SessionStoreError,
  TooManyAttemptsError,
} from '../../errors.js';
import type { EventSink } from '../../kernel/events.js';
import type { Admission, AttemptRule, AttemptStore } from './contract.js';
import './events.js';
import { accountName, addressName, type KeyHasher, keyHasher } from './keys.js';
import { memoryAttempts } from './memory.js';
import { accountRule, addressRule, checkAttemptStore, type ThrottleOptions } from './options.js';

/** Who is attempting to sign in. */
export interface AttemptIdentity {
  /** The identifier as submitted (email, user name); counted whether or not it exists. */
  readonly account: string;
  /** The client address (`clientAddress()`); without one, only the account is counted. */
  readonly address?: string | undefined;
}

/**
 * A sign-in throttle. A sign-in flow calls, for every attempt:
 *
 * 1. `check()` before verifying the password: it counts the attempt (as failed until told
 *    otherwise) or refuses it with `TooManyAttemptsError`;
 * 2. `succeeded()` when the password was right: the account's count is cleared and the
 *    address gets its attempt back. A failure needs no further call: it was counted.
 *
 * A flow that must not reveal throttling (S-45) answers a refused attempt with its
 * generic failure; a correct password is then never even checked.
 */
export interface Throttle {
  /**
   * Admits one attempt, counting it on the address first and then on the account.
   * @throws {TooManyAttemptsError} when either refuses (a refused attempt is not counted
   * by the counter that refused it).
   * @throws {SessionStoreError} when the backend is unavailable: the attempt must be
   * refused (503), never let through unchecked (S-54).
   */
  check(identity: AttemptIdentity): Promise<void>;
  /** Clears the account's count and gives the address back the attempt `check` counted. */
  succeeded(identity: AttemptIdentity): Promise<void>;
  /** Unlocks an account and forgets its count (after a password reset, by an administrator). */
  reset(identity: Pick<AttemptIdentity, 'account'>): Promise<void>;
}

/** The backend's failures as 503s: a custom backend's own errors are wrapped. */
async function guarded<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isTesseraError(error)) throw error;
    throw new SessionStoreError(operation, {
      cause: error,
      message: `throttle store ${operation} failed`,
    });
  }
}

function accountOf(identity: AttemptIdentity): string {
  if (typeof identity?.account !== 'string') {
    throw new TypeError('throttle: identity.account must be a string');
  }
  return accountName(identity.account);
}

function addressOf(identity: AttemptIdentity): string | undefined {
  const address = identity.address;
  if (address === undefined || address === null) return undefined;
  if (typeof address !== 'string')
    throw new TypeError('throttle: identity.address must be a string');
  return address.trim() === '' ? undefined : address;
}

class SignInThrottle implements Throttle {
  readonly #store: AttemptStore;
  readonly #clock: () => number;
  readonly #events: EventSink | undefined;
  readonly #hash: KeyHasher;
  readonly #account: AttemptRule | undefined;
  readonly #address: { rule: AttemptRule; ipv6PrefixBits: number } | undefined;

  constructor(options: ThrottleOptions) {
    const { kernel } = options;
    if (options.clock !== undefined && typeof options.clock !== 'function') {
      throw new InvalidOptionsError(
        'createThrottle: clock must be a function returning milliseconds',
      );
    }
    this.#store = options.store === undefined ? memoryAttempts() : checkAttemptStore(options.store);
    this.#clock = options.clock ?? kernel?.clock ?? Date.now;
    this.#events = kernel?.events;
    this.#hash = keyHasher(options.keyring ?? kernel?.keyring);
    this.#account = accountRule(options.perAccount);
    this.#address = addressRule(options.perAddress);
  }

  #addressKey(identity: AttemptIdentity): string | undefined {
    const address = addressOf(identity);
    if (this.#address === undefined || address === undefined) return undefined;
    return this.#hash('i', addressName(address, this.#address.ipv6PrefixBits));
  }

  #refuse(
    scope: 'account' | 'address',
    admission: Admission,
    rule: AttemptRule,
    now: number,
  ): never {
    const locked = admission.retryAt === Number.POSITIVE_INFINITY;
    const waitMs = locked ? rule.maxDelayMs : admission.retryAt - now;
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    if (this.#events?.active) {
      this.#events.emit({ type: 'auth.throttled', scope, locked, retryAfterSeconds });
    }
    throw new TooManyAttemptsError(scope, retryAfterSeconds, locked);
  }

  async check(identity: AttemptIdentity): Promise<void> {
    const account = accountOf(identity);
    const addressKey = this.#addressKey(identity);
    const now = this.#clock();
    if (addressKey !== undefined) {
      const { rule } = this.#address!;
      const admission = await guarded('admit', () => this.#store.admit(addressKey, rule, now));
      if (!admission.admitted) this.#refuse('address', admission, rule, now);
    }
    const rule = this.#account;
    if (rule !== undefined) {
      const key = this.#hash('a', account);
      const admission = await guarded('admit', () => this.#store.admit(key, rule, now));
      if (!admission.admitted) this.#refuse('account', admission, rule, now);
    }
  }

  async succeeded(identity: AttemptIdentity): Promise<void> {
    const account = accountOf(identity);
    const addressKey = this.#addressKey(identity);
    const now = this.#clock();
    await guarded('reset', async () => {
      await Promise.all([
        this.#account === undefined ? undefined : this.#store.reset(this.#hash('a', account)),
        addressKey === undefined ? undefined : this.#store.release(addressKey, now),
      ]);
    });
  }

  async reset(identity: Pick<AttemptIdentity, 'account'>): Promise<void> {
    const account = accountOf(identity as AttemptIdentity);
    if (this.#account === undefined) return;
    await guarded('reset', () => this.#store.reset(this.#hash('a', account)));
  }
}

/**
 * Creates a sign-in {@link Throttle}. Defaults (S-53): per account, 5 attempts at once,
 * then waits doubling from 1 s up to 15 min, and a lockout after 100 consecutive
 * failures until `reset()`; per address (an IPv6 /64), 100 attempts per 15 minutes.
 * Counters live in `memoryAttempts()` unless `store` says otherwise.
 *
 * ```ts
 * import { createThrottle } from 'tesserajs/auth';
 * const throttle = createThrottle();
 * await throttle.check({ account: 'alice@example.com', address: '203.0.113.9' });
 * ```
 *
 * @throws {InvalidOptionsError} when an option is out of range or `store` is not an
 * attempt store.
 */
export function createThrottle(options: ThrottleOptions = {}): Throttle {
  return new SignInThrottle(options ?? {});
}
