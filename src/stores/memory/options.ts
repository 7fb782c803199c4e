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
   * The most bytes the held sessions may take, measured as the UTF-8 bytes of each key,
   * data map and user id plus {@link MEMORY_RECORD_OVERHEAD} per record (JavaScript keeps
   * some strings in UTF-16, so the heap use can be up to about twice the measure).
   * A write that crosses it evicts least recently used sessions until the total fits
   * (counted in `stats.evictions`); a single session larger than the bound is refused
   * with `InvalidSessionDataError`.
   *
   * Security: with `maxSessions` alone, sessions near `maxDataBytes` (1 MiB) could take
   * about 10 GiB at the defaults; this bound caps the store whatever they hold.
   * @default 67108864 (64 MiB)
   */
  readonly maxBytes?: number;
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
  readonly maxBytes: number;
  readonly sweepInterval: number;
  readonly clock: () => number;
}

/** Bytes counted per record beyond its strings: the Map entry, the record and data objects. */
export const MEMORY_RECORD_OVERHEAD = 200;

/** Node's timers accept at most a signed 32-bit delay; larger ones silently become 1 ms. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** Applies defaults and rejects values that would make the store unbounded or busy-loop. */
export function resolveMemoryStoreOptions(
  options: MemoryStoreOptions = {},
): ResolvedMemoryStoreOptions {
  const {
    maxSessions = 10_000,
    maxBytes = 64 * 1024 * 1024,
    sweepInterval = 60_000,
    clock = Date.now,
  } = options;
  if (!Number.isSafeInteger(maxSessions) || maxSessions < 1) {
    throw new InvalidOptionsError('memoryStore: maxSessions must be a positive integer');
  }
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1024) {
    throw new InvalidOptionsError('memoryStore: maxBytes must be an integer of at least 1024');
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
  return { maxSessions, maxBytes, sweepInterval, clock };
}
