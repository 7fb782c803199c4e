/** Bounds a store operation in time and turns any backend failure into a SessionStoreError. */
import { InvalidOptionsError, isTesseraError, SessionStoreError } from '../errors.js';

/**
 * Runs `work` for `operation`, rejecting with a SessionStoreError after `timeout` ms.
 *
 * Tessera's own errors (CorruptRecordError, InvalidSessionDataError, ...) pass through
 * unchanged; anything else (driver errors, connection loss) becomes a SessionStoreError
 * with the original as `cause`. A command that timed out may still reach Redis later
 * (the driver may have queued it for a reconnect), so a timed-out write has an unknown
 * outcome, as with any network failure; the engine answers 503 and writes nothing more.
 */
export async function withDeadline<T>(
  operation: string,
  timeout: number,
  work: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new SessionStoreError(operation, {
          message: `session store ${operation} timed out after ${timeout} ms`,
        }),
      );
    }, timeout);
  });
  try {
    // race() subscribes to both promises, so the loser settling later is never unhandled.
    return await Promise.race([work(), expired]);
  } catch (error) {
    if (isTesseraError(error)) throw error;
    throw new SessionStoreError(operation, { cause: error });
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
