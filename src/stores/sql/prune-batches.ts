/**
 * Pruning in bounded batches. One `DELETE` of every expired row holds the write lock
 * (SQLite: the whole process, the driver being synchronous) or runs into the statement
 * timeout (PostgreSQL) once a backlog has grown; many small deletes with a yield between
 * them always make progress and leave room for the requests being served meanwhile.
 */

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { InvalidOptionsError } from '../../errors.js';
import type { PruneOptions } from '../contract.js';

export type { PruneOptions, PruneProgress } from '../contract.js';

/** Validates a batch size (a positive integer). */
export function pruneBatchSize(name: string, value: number | undefined, fallback: number): number {
  const size = value ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > 1_000_000) {
    throw new InvalidOptionsError(`${name} must be an integer from 1 to 1000000`);
  }
  return size;
}

/**
 * Runs `deleteBatch(limit)` until a batch deletes fewer than `limit` rows, yielding to
 * the event loop between batches. Resolves with the total deleted.
 */
export async function pruneInBatches(
  deleteBatch: (limit: number) => Promise<number>,
  batchSize: number,
  options: PruneOptions = {},
): Promise<number> {
  const limit = pruneBatchSize('batchSize', options.batchSize, batchSize);
  let deleted = 0;
  let batches = 0;
  while (options.signal?.aborted !== true) {
    const count = await deleteBatch(limit);
    deleted += count;
    batches += 1;
    options.onProgress?.({ deleted, batches });
    if (count < limit) break;
    await yieldToEventLoop();
  }
  return deleted;
}
