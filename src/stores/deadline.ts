/** Bounds a store operation in time and turns any backend failure into a SessionStoreError. */
import { InvalidOptionsError, isTesseraError, SessionStoreError } from '../errors.js';

/**
 * Runs `work` for `operation`, rejecting with a SessionStoreError after `timeout` ms.
 * `backend` names what failed in the message (`session store`, `throttle store`).
 *
 * Tessera's own errors (CorruptRecordError, InvalidSessionDataError, ...) pass through
 * unchanged; anything else (driver errors, connection loss) becomes a SessionStoreError
 * with the original as `cause`.
 *
 * `work` gets a signal that is aborted when the deadline passes, before the operation
 * rejects: work still in progress then must not start anything new (the Redis store sends
 * no command after it, so a write answered 503 is not delivered late by the store). What
 * was already sent may still run on the server: a timed-out write has an unknown outcome,
 * as with any network failure; the engine answers 503 and writes nothing more.
 */
export async function withDeadline<T>(
  operation: string,
  timeout: number,
  work: (signal: AbortSignal) => Promise<T>,
  backend = 'session store',
): Promise<T> {
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new SessionStoreError(operation, {
        message: `${backend} ${operation} timed out after ${timeout} ms`,
      });
      deadline.abort(error);
      reject(error);
    }, timeout);
  });
  try {
    // race() subscribes to both promises, so the loser settling later is never unhandled.
    return await Promise.race([work(deadline.signal), expired]);
  } catch (error) {
    if (isTesseraError(error)) throw error;
    throw new SessionStoreError(operation, {
      cause: error,
      message: `${backend} ${operation} failed`,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Longest delay `setTimeout` honours (larger values fire at once). */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

/**
 * Validates the `commandTimeout` and `clock` options shared by the network-backed
 * stores; `owner` names the factory in the error message.
 */
export function checkTimeoutOptions(owner: string, commandTimeout: unknown, clock: unknown): void {
  if (
    typeof commandTimeout !== 'number' ||
    !Number.isFinite(commandTimeout) ||
    commandTimeout <= 0 ||
    commandTimeout > MAX_TIMER_DELAY
  ) {
    throw new InvalidOptionsError(
      `${owner}: commandTimeout must be a positive number of milliseconds up to ${MAX_TIMER_DELAY}`,
    );
  }
  if (typeof clock !== 'function') {
    throw new InvalidOptionsError(`${owner}: clock must be a function returning milliseconds`);
  }
}
