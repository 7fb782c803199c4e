/** Options of `createThrottle()`, their defaults (S-53) and validation. */
import type { Keyring } from '../../crypto/keyring.js';
import { InvalidOptionsError } from '../../errors.js';
import type { Kernel } from '../../kernel/context.js';
import type { AttemptRule, AttemptStore } from './contract.js';

/**
 * The per-account counter: consecutive failed sign-ins for one identifier, whether or
 * not an account has it. Defaults follow NIST SP 800-63B (at most 100 consecutive
 * failures, growing waits) and OWASP's advice to throttle rather than lock early.
 */
export interface AccountThrottleOptions {
  /** Attempts admitted at once before waits start. @default 5 */
  readonly freeAttempts?: number;
  /** The first wait, in milliseconds; each further failure doubles it. @default 1000 */
  readonly baseDelayMs?: number;
  /** The longest wait between attempts, in milliseconds. @default 900000 (15 minutes) */
  readonly maxDelayMs?: number;
  /**
   * Consecutive failures after which the account is locked until `throttle.reset()`
   * (a password reset, an administrator): NIST SP 800-63B allows at most 100.
   * @default 100
   */
  readonly lockoutAfter?: number;
  /**
   * How long, in milliseconds, a count below the lockout is kept after its last
   * failure; a locked count is kept until reset.
   * @default 86400000 (24 hours)
   */
  readonly rememberMs?: number;
}

/** The per-address counter: attempts from one client address (IPv6: its /64). */
export interface AddressThrottleOptions {
  /** Attempts admitted per window (successful sign-ins are given back). @default 100 */
  readonly limit?: number;
  /** The window, in milliseconds, from the first attempt. @default 900000 (15 minutes) */
  readonly windowMs?: number;
  /**
   * Leading bits of an IPv6 address that name one source: a /64 is what one customer
   * line or server gets, and keying single addresses lets one host use 2^64 of them.
   * @default 64
   */
  readonly ipv6PrefixBits?: number;
}

/** Options of `createThrottle()`. */
export interface ThrottleOptions {
  /** Where counters live. @default memoryAttempts() (this process only) */
  readonly store?: AttemptStore | undefined;
  /**
   * The kernel to run in: its keyring keys the hashes of identifiers and addresses, its
   * clock tells time and its event sink receives `auth.throttled`.
   */
  readonly kernel?: Pick<Kernel, 'keyring' | 'clock' | 'events'> | undefined;
  /**
   * A keyring for the hashes, without a kernel. Without either, keys are plain SHA-256
   * (still no identifier or address in the store, but guessable by hashing candidates).
   */
  readonly keyring?: Keyring | undefined;
  /** Current time in milliseconds. @default the kernel's clock, else Date.now */
  readonly clock?: (() => number) | undefined;
  /** The per-account counter, or `false` for none. */
  readonly perAccount?: AccountThrottleOptions | false | undefined;
  /** The per-address counter, or `false` for none. */
  readonly perAddress?: AddressThrottleOptions | false | undefined;
}

/** A day: the default memory of a per-account count. */
const DAY_MS = 86_400_000;
const FIFTEEN_MINUTES_MS = 900_000;

function integer(owner: string, name: string, value: unknown, min: number, max?: number): number {
  if (
    !Number.isSafeInteger(value) ||
    (value as number) < min ||
    (value as number) > (max ?? Number.MAX_SAFE_INTEGER)
  ) {
    const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
    throw new InvalidOptionsError(`createThrottle: ${owner}.${name} must be an integer ${range}`);
  }
  return value as number;
}

/** The per-account rule, or `undefined` when turned off. */
export function accountRule(
  options: AccountThrottleOptions | false | undefined,
): AttemptRule | undefined {
  if (options === false) return undefined;
  const {
    freeAttempts = 5,
    baseDelayMs = 1000,
    maxDelayMs = FIFTEEN_MINUTES_MS,
    lockoutAfter = 100,
    rememberMs = DAY_MS,
  } = options ?? {};
  const free = integer('perAccount', 'freeAttempts', freeAttempts, 1);
  const limit = integer('perAccount', 'lockoutAfter', lockoutAfter, free);
  const base = integer('perAccount', 'baseDelayMs', baseDelayMs, 1);
  return {
    free,
    baseDelayMs: base,
    maxDelayMs: integer('perAccount', 'maxDelayMs', maxDelayMs, base),
    limit,
    windowMs: integer('perAccount', 'rememberMs', rememberMs, 1),
    sliding: true,
    hold: true,
  };
}

/** The per-address rule and prefix, or `undefined` when turned off. */
export function addressRule(
  options: AddressThrottleOptions | false | undefined,
): { rule: AttemptRule; ipv6PrefixBits: number } | undefined {
  if (options === false) return undefined;
  const { limit = 100, windowMs = FIFTEEN_MINUTES_MS, ipv6PrefixBits = 64 } = options ?? {};
  const count = integer('perAddress', 'limit', limit, 1);
  return {
    rule: {
      free: count,
      baseDelayMs: 0,
      maxDelayMs: 0,
      limit: count,
      windowMs: integer('perAddress', 'windowMs', windowMs, 1),
      sliding: false,
      hold: false,
    },
    ipv6PrefixBits: integer('perAddress', 'ipv6PrefixBits', ipv6PrefixBits, 1, 128),
  };
}

/** Checks that `store` has the three methods of the contract. */
export function checkAttemptStore(store: unknown): AttemptStore {
  const candidate = store as Partial<AttemptStore> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.admit !== 'function' ||
    typeof candidate.release !== 'function' ||
    typeof candidate.reset !== 'function'
  ) {
    throw new InvalidOptionsError(
      'createThrottle: store must be an attempt store (admit, release, reset), e.g. memoryAttempts() or redisAttempts(); a session store cannot count attempts',
    );
  }
  return candidate as AttemptStore;
}
