/**
 * The in-process throttle backend: one process only (each process counts on its own),
 * bounded in memory however many keys an attacker makes up.
 */
import { InvalidOptionsError } from '../../errors.js';
import { MAX_TIMER_DELAY } from '../../stores/deadline.js';
import type { Admission, AttemptRule, AttemptStore } from './contract.js';
import { type AttemptCounter, decide } from './rule.js';

/** Options of {@link memoryAttempts}. */
export interface MemoryAttemptsOptions {
  /**
   * Most counters held at once. Past it, the counter used least recently is dropped
   * (a lockout only when every older one is a lockout too), so random identifiers and
   * addresses cost at most this much memory: about 200 bytes per counter.
   * @default 100000
   */
  readonly maxKeys?: number;
  /**
   * How often, in milliseconds, expired counters are swept out. The timer is unref'd, so
   * it never keeps the process alive; `0` disables it (expired counters then go when
   * touched, or when room is needed).
   * @default 60000
   */
  readonly sweepInterval?: number;
}

/** Counters describing a {@link MemoryAttempts}, for monitoring and tests. */
export interface MemoryAttemptsStats {
  /** Counters held now, including expired ones not yet swept. */
  readonly size: number;
  /** Counters dropped to stay within `maxKeys`, since creation. */
  readonly evictions: number;
}

/** How many of the least recently used counters eviction looks past to spare a lockout. */
const SPARE_LOCKOUTS = 8;

const RESOLVED_VOID: Promise<void> = Promise.resolve();

/** An {@link AttemptStore} in a bounded `Map` (least recently used first). */
export class MemoryAttempts implements AttemptStore {
  readonly #counters = new Map<string, AttemptCounter>();
  readonly #maxKeys: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #evictions = 0;
  /** The latest `now` seen: the sweep follows the throttle's clock, not its own. */
  #now = Number.NEGATIVE_INFINITY;

  constructor(options: MemoryAttemptsOptions = {}) {
    const { maxKeys = 100_000, sweepInterval = 60_000 } = options ?? {};
    if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
      throw new InvalidOptionsError('memoryAttempts: maxKeys must be a positive integer');
    }
    if (
      typeof sweepInterval !== 'number' ||
      !Number.isFinite(sweepInterval) ||
      sweepInterval < 0 ||
      sweepInterval > MAX_TIMER_DELAY
    ) {
      throw new InvalidOptionsError(
        `memoryAttempts: sweepInterval must be 0 or a number of milliseconds up to ${MAX_TIMER_DELAY}`,
      );
    }
    this.#maxKeys = maxKeys;
    if (sweepInterval > 0) {
      // Held weakly, as the memory session store does: a dropped backend is collected.
      const self = new WeakRef(this);
      const timer = setInterval(() => {
        const store = self.deref();
        if (store === undefined) clearInterval(timer);
        else store.sweep();
      }, sweepInterval);
      timer.unref();
      this.#timer = timer;
    }
  }

  /** Current counters. */
  get stats(): MemoryAttemptsStats {
    return { size: this.#counters.size, evictions: this.#evictions };
  }

  admit(key: string, rule: AttemptRule, now: number): Promise<Admission> {
    if (now > this.#now) this.#now = now;
    const existing = this.#counters.get(key);
    const { counter, admission } = decide(existing, rule, now);
    // Delete and set again: the Map's order is then least recently used first.
    this.#counters.delete(key);
    if (counter !== undefined) {
      if (existing === undefined) this.#makeRoom();
      this.#counters.set(key, counter);
    }
    return Promise.resolve(admission);
  }

  release(key: string, now: number): Promise<void> {
    const counter = this.#counters.get(key);
    if (counter !== undefined && now < counter.resetAt && counter.count > 0) counter.count--;
    return RESOLVED_VOID;
  }

  reset(key: string): Promise<void> {
    this.#counters.delete(key);
    return RESOLVED_VOID;
  }

  /** Removes expired counters now; returns how many. The timer calls it. */
  sweep(): number {
    let removed = 0;
    for (const [key, counter] of this.#counters) {
      if (this.#now >= counter.resetAt) {
        this.#counters.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Stops the sweep timer. The backend keeps working. */
  close(): Promise<void> {
    if (this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
    return RESOLVED_VOID;
  }

  /** Drops one counter when full: the least recently used that is not a lockout, if near. */
  #makeRoom(): void {
    if (this.#counters.size < this.#maxKeys) return;
    let victim: string | undefined;
    let looked = 0;
    for (const [key, counter] of this.#counters) {
      victim ??= key;
      if (counter.resetAt !== Number.POSITIVE_INFINITY) {
        victim = key;
        break;
      }
      if (++looked >= SPARE_LOCKOUTS) break;
    }
    if (victim !== undefined) {
      this.#counters.delete(victim);
      this.#evictions++;
    }
  }
}

/**
 * Creates the in-process throttle backend, the default of `createThrottle()`. Each
 * process counts on its own, so with several processes (a cluster, several servers) an
 * attacker gets each one's allowance: use `redisAttempts()` there.
 *
 * @throws {InvalidOptionsError} when `maxKeys` or `sweepInterval` is out of range.
 */
export function memoryAttempts(options?: MemoryAttemptsOptions): MemoryAttempts {
  return new MemoryAttempts(options);
}
