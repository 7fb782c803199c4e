/**
 * The contract of a throttle's backend: counters of attempts under a rule, admitted and
 * counted in one atomic step. The rule travels with each call, so a backend holds no
 * policy and one backend serves every counter of a throttle (and of several throttles).
 *
 * Time is passed in (`now`, milliseconds since the Unix epoch, from the throttle's clock)
 * rather than read by the backend: every decision then follows one clock, the same in
 * every process and, in tests, the injected one. A backend may still let records expire
 * by its own clock, but never earlier than the rule says.
 */

/**
 * How one counter admits attempts. Attempt number `n + 1` (with `n` already counted) is
 * admitted when:
 *
 * - `n < free`: at once;
 * - `free <= n < limit`: once `baseDelayMs * 2^(n - free)` (at most `maxDelayMs`) have
 *   passed since the last admitted attempt;
 * - `n >= limit`: not before the counter resets (never, when it is held).
 *
 * The counter resets `windowMs` after its first attempt (`sliding: false`) or after its
 * last one (`sliding: true`). With `hold`, reaching `limit` makes it permanent until
 * `reset` (a lockout).
 */
export interface AttemptRule {
  readonly free: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly limit: number;
  readonly windowMs: number;
  readonly sliding: boolean;
  readonly hold: boolean;
}

/** The outcome of one {@link AttemptStore.admit}. */
export interface Admission {
  /** Whether the attempt was admitted (and counted). A refused attempt is not counted. */
  readonly admitted: boolean;
  /** Attempts counted now, this one included when admitted. */
  readonly count: number;
  /**
   * Refused: when the next attempt can be admitted (ms since the epoch), or `Infinity`
   * for a held counter. Admitted: `0`.
   */
  readonly retryAt: number;
}

/**
 * A throttle's backend (`memoryAttempts()`, `redisAttempts()` from `tesserajs/auth/redis`,
 * or an application's own). Keys arrive already hashed by the throttle; a backend adds
 * only its own prefix. Every method is atomic per key: concurrent `admit` calls for one
 * key admit exactly as many attempts as the rule allows, in some order.
 *
 * A backend that cannot answer rejects (a `SessionStoreError` for the built-in ones): the
 * throttle then refuses the sign-in rather than admitting it unchecked (S-54).
 */
export interface AttemptStore {
  /** Admits one attempt for `key` under `rule` at `now` and counts it, or refuses it. */
  admit(key: string, rule: AttemptRule, now: number): Promise<Admission>;
  /**
   * Takes back one counted attempt (a successful sign-in from a shared address); keeps
   * the counter's window. Nothing happens to a missing or expired counter.
   */
  release(key: string, now: number): Promise<void>;
  /** Forgets the counter (a successful sign-in, an unlock). */
  reset(key: string): Promise<void>;
}
