/**
 * The decision of {@link AttemptRule} on one counter, in plain JavaScript: the memory
 * backend runs it, and the Redis backend's script is its line-by-line translation (the
 * backend tests run the same scenarios through both).
 */
import type { Admission, AttemptRule } from './contract.js';

/** One counter: attempts, the last admitted one, when it resets (`Infinity`: held). */
export interface AttemptCounter {
  count: number;
  lastAt: number;
  resetAt: number;
}

/**
 * The delay the rule asks for after `count` attempts, before the next one: 0 within the
 * free attempts, then doubling from `baseDelayMs` up to `maxDelayMs`.
 */
export function backoffDelay(rule: AttemptRule, count: number): number {
  if (count < rule.free) return 0;
  // 2^exponent past ~50 is beyond any sane maxDelayMs; capping avoids Infinity * 0.
  const exponent = Math.min(count - rule.free, 52);
  return Math.min(rule.baseDelayMs * 2 ** exponent, rule.maxDelayMs);
}

/**
 * Applies one attempt to `counter` (`undefined` or expired: a fresh one) and returns the
 * counter to keep (unchanged when refused) with the admission.
 */
export function decide(
  counter: AttemptCounter | undefined,
  rule: AttemptRule,
  now: number,
): { counter: AttemptCounter | undefined; admission: Admission } {
  const live = counter !== undefined && now < counter.resetAt ? counter : undefined;
  const count = live?.count ?? 0;
  if (live !== undefined && count >= rule.limit) {
    return { counter: live, admission: { admitted: false, count, retryAt: live.resetAt } };
  }
  if (live !== undefined) {
    const allowedAt = live.lastAt + backoffDelay(rule, count);
    if (now < allowedAt) {
      return { counter: live, admission: { admitted: false, count, retryAt: allowedAt } };
    }
  }
  const next = count + 1;
  let resetAt = rule.sliding || live === undefined ? now + rule.windowMs : live.resetAt;
  if (rule.hold && next >= rule.limit) resetAt = Number.POSITIVE_INFINITY;
  return {
    counter: { count: next, lastAt: now, resetAt },
    admission: { admitted: true, count: next, retryAt: 0 },
  };
}
