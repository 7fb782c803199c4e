/**
 * The scheduled sweep of expired rows.
 */

import type { SessionStoreError } from '../../errors.js';

/** Every 15 minutes unless told otherwise. */
export const DEFAULT_PRUNE_INTERVAL = 15 * 60 * 1000;

export { MAX_TIMER_DELAY } from '../deadline.js';

/**
 * What a failed sweep does when the app gave no `onPruneError`: one line on stderr (code,
 * message and the cause's message; no data, no keys). A sweep that fails in silence lets
 * the table grow until it is a problem of its own.
 */
export function reportPruneError(error: SessionStoreError): void {
  const cause = (error.cause as { message?: unknown } | undefined)?.message;
  console.error(
    `tesserajs: scheduled prune of expired sessions failed (${error.code}): ${error.message}${
      typeof cause === 'string' ? ` (cause: ${cause})` : ''
    }`,
  );
}

/**
 * Runs `prune` every `interval` ms on an unref'd timer (it never keeps the process
 * alive), skipping a tick while the previous sweep still runs. Failures go to `onError`
 * ({@link reportPruneError} by default) and the next tick tries again. Returns the timer
 * to clear, or `undefined` for 0.
 */
export function schedulePrune(
  interval: number,
  prune: () => Promise<unknown>,
  onError: ((error: SessionStoreError) => void) | undefined = reportPruneError,
): NodeJS.Timeout | undefined {
  if (interval === 0) return undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    prune()
      .catch((error: SessionStoreError) => onError(error))
      .finally(() => {
        running = false;
      });
  }, interval);
  timer.unref();
  return timer;
}
