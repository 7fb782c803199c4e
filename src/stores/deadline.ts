/** Bounds a store operation in time and turns any backend failure into a SessionStoreError. */
import { isTesseraError, SessionStoreError } from '../errors.js';

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
