/**
 * Waiting for another connection's lock without freezing the process. Both SQLite drivers
 * are synchronous: with `busy_timeout = 2000` a statement that meets a lock blocks the
 * whole event loop for up to two seconds, every other request included. So the store
 * opens files with a short busy timeout (one slice) and, when a statement still finds
 * the database locked, retries it asynchronously with growing pauses until the store's
 * `busyTimeout` is spent. A locked statement did not run, so retrying it is safe.
 */

import { setTimeout as sleep } from 'node:timers/promises';

/** Longest one statement blocks the event loop waiting for a lock, in ms. */
export const LOCK_WAIT_SLICE_MS = 10;

const MAX_PAUSE_MS = 50;

/** SQLITE_BUSY or SQLITE_LOCKED (and their extended codes), from either driver. */
export function isLockError(error: unknown): boolean {
  const e = error as { code?: unknown; errcode?: unknown } | null;
  // better-sqlite3: SqliteError.code 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED'...
  if (typeof e?.code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(e.code)) return true;
  // node:sqlite: code 'ERR_SQLITE_ERROR' with the (extended) result code in errcode.
  if (typeof e?.errcode === 'number') {
    const primary = e.errcode & 0xff;
    return primary === 5 || primary === 6;
  }
  return false;
}

/**
 * Runs `attempt` until it does not fail with a lock error or `budgetMs` has passed since
 * the first try; then rethrows the last error. `stopped()` ends the retries early (the
 * store was closed).
 */
export async function retryWhileLocked<T>(
  attempt: () => Promise<T>,
  budgetMs: number,
  stopped: () => boolean,
): Promise<T> {
  const deadline = performance.now() + budgetMs;
  let pause = 1;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const left = deadline - performance.now();
      if (!isLockError(error) || left <= 0 || stopped()) throw error;
      await sleep(Math.min(pause, left));
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  }
}
