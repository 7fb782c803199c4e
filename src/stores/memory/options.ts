/** Options of the in-memory session store, and their validation. */
import { InvalidOptionsError } from '../../errors.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The most sessions kept at once. Inserting one more evicts the least recently used
   * session (silently; counted in `stats.evictions`).
   *
   * Security: the bound keeps a flood of new sessions from exhausting memory, but such a
   * flood does evict idle users' sessions (they are signed out). Size it well above the
   * expected number of live sessions.
   * @default 10000
   */
  readonly maxSessions?: number;
  /**
   * How often, in milliseconds, expired sessions are swept out. The timer is unref'd, so
   * it never keeps the process alive. `0` disables sweeping: expired sessions are then
   * removed when read, listed, evicted or pruned.
   * @default 60000
   */
  readonly sweepInterval?: number;
  /**
   * The clock deciding expiry, in milliseconds since the Unix epoch. Inject one in tests;
   * keep it in step with the session engine's clock.
   * @default Date.now
   */
  readonly clock?: () => number;
}

/** Options with every default applied. */
export interface ResolvedMemoryStoreOptions {
  readonly maxSessions: number;
  readonly sweepInterval: number;
  readonly clock: () => number;
}

/** Node's timers accept at most a signed 32-bit delay; larger ones silently become 1 ms. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** Applies defaults and rejects values that would make the store unbounded or busy-loop. */
export function resolveMemoryStoreOptions(
  options: MemoryStoreOptions = {},
): ResolvedMemoryStoreOptions {
  const { maxSessions = 10_000, sweepInterval = 60_000, clock = Date.now } = options;
  if (!Number.isSafeInteger(maxSessions) || maxSessions < 1) {
    throw new InvalidOptionsError('memoryStore: maxSessions must be a positive integer');
  }
  if (
    typeof sweepInterval !== 'number' ||
    !Number.isFinite(sweepInterval) ||
    sweepInterval < 0 ||
    sweepInterval > MAX_TIMER_DELAY
  ) {
    throw new InvalidOptionsError(
      `memoryStore: sweepInterval must be 0 (off) or a number of milliseconds up to ${MAX_TIMER_DELAY}`,
    );
  }
  if (typeof clock !== 'function') {
    throw new InvalidOptionsError('memoryStore: clock must be a function returning milliseconds');
  }
  return { maxSessions, sweepInterval, clock };
}
