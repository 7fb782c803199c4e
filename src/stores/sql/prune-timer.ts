/**
 * The scheduled sweep of expired rows.
 */

import type { SessionStoreError } from '../../errors.js';

/** Every 15 minutes unless told otherwise. */
export const DEFAULT_PRUNE_INTERVAL = 15 * 60 * 1000;

export { MAX_TIMER_DELAY } from '../deadline.js';

/**
 * Runs `prune` every `interval` ms on an unref'd timer (it never keeps the process
 * alive), skipping a tick while the previous sweep still runs. Failures go to `onError`
 * and the next tick tries again. Returns the timer to clear, or `undefined` for 0.
 */
export function schedulePrune(
  interval: number,
  prune: () => Promise<unknown>,
  onError: ((error: SessionStoreError) => void) | undefined,
): NodeJS.Timeout | undefined {
  if (interval === 0) return undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    prune()
      .catch((error: SessionStoreError) => onError?.(error))
      .finally(() => {
        running = false;
      });
  }, interval);
  timer.unref();
  return timer;
}
