/**
 * Bounded concurrency for password hashing (S-52). A memory-hard hash holds its memory
 * (19 MiB for argon2id, 128 MiB for scrypt at the defaults) and a libuv worker thread
 * (4 by default) for its whole run: 200 simultaneous sign-ins would otherwise allocate
 * gigabytes and starve every other use of the threadpool (fs, dns, zlib). At most
 * `concurrency` hashes run; up to `maxQueue` wait in order; beyond that callers get a
 * `PasswordHasherBusyError` at once, which adapters answer 503.
 */
import { availableParallelism } from 'node:os';
import { InvalidOptionsError, PasswordHasherBusyError } from '../../errors.js';

/**
 * A hasher's default concurrency: `limit`, but never more hashes at once than the
 * machine has cores. Each running hash keeps a core busy; with more of them than cores
 * the event loop gets a share of one core (a fifth with 4 hashes on one core) and every
 * other request waits behind the sign-ins (S-52).
 */
export function defaultHashConcurrency(limit: number): number {
  return Math.max(1, Math.min(limit, availableParallelism()));
}

/** Limits of a {@link HashQueue}. */
export interface HashQueueOptions {
  /** Hashes running at once. Keep it at or below the libuv threadpool size. */
  readonly concurrency: number;
  /** Hashes waiting for a slot; one more is refused with `PasswordHasherBusyError`. */
  readonly maxQueue: number;
}

/** Runs tasks with at most `concurrency` in flight and a bounded wait queue. */
export class HashQueue {
  readonly concurrency: number;
  readonly maxQueue: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(options: HashQueueOptions) {
    const { concurrency, maxQueue } = options;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
      throw new InvalidOptionsError('concurrency must be an integer >= 1');
    }
    if (!Number.isSafeInteger(maxQueue) || maxQueue < 0) {
      throw new InvalidOptionsError('maxQueue must be an integer >= 0');
    }
    this.concurrency = concurrency;
    this.maxQueue = maxQueue;
  }

  /** Hashes running now. */
  get running(): number {
    return this.#running;
  }

  /** Hashes waiting for a slot now. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Runs `task` when a slot is free. Rejects with `PasswordHasherBusyError` (without
   * running it) when every slot is taken and the queue is full.
   */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.concurrency) {
      if (this.#waiting.length >= this.maxQueue) {
        throw new PasswordHasherBusyError(this.concurrency, this.maxQueue);
      }
      // The slot is handed over by release(), so #running never dips between tasks and
      // a newcomer cannot overtake the queue.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next === undefined) this.#running--;
    else next();
  }
}
