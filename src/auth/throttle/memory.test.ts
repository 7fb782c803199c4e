import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import * as attemptStoreChecks from '../../../test/support/attempt-store-checks.js';
import { isTesseraError } from '../../errors.js';
import type { AttemptRule } from './contract.js';
import { memoryAttempts } from './memory.js';

const WINDOW: AttemptRule = {
  free: 10,
  baseDelayMs: 0,
  maxDelayMs: 0,
  limit: 10,
  windowMs: 60_000,
  sliding: false,
  hold: false,
};
const HOLD_AT_ONE: AttemptRule = { ...WINDOW, free: 1, limit: 1, hold: true };

describe('memoryAttempts', { timeout: 60_000 }, () => {
  const store = memoryAttempts();
  after(() => store.close());

  it('S-53 trips after the free attempts, waits double, recovers (injected clock)', async () => {
    await attemptStoreChecks.assertBackoff(store);
  });

  it('S-53 success clears the account counter, not the address one', async () => {
    await attemptStoreChecks.assertSuccessClears(store);
  });

  it('S-53 100 consecutive failures lock until reset', async () => {
    await attemptStoreChecks.assertLockout(store);
  });

  it('S-53 the address allowance is a window of its own', async () => {
    await attemptStoreChecks.assertAddressWindow(store);
  });

  it('S-53 50 concurrent attempts are counted exactly', async () => {
    await attemptStoreChecks.assertAtomic(store);
  });

  it('agrees with the reference decision on random runs', async () => {
    await attemptStoreChecks.assertMatchesReference(store, 300);
  });

  it('stays within maxKeys under a flood of random keys', async () => {
    const bounded = memoryAttempts({ maxKeys: 1000, sweepInterval: 0 });
    const now = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 20_000; i++) {
      await bounded.admit(randomBytes(16).toString('base64url'), WINDOW, now);
      assert.ok(bounded.stats.size <= 1000);
    }
    assert.equal(bounded.stats.size, 1000);
    assert.equal(bounded.stats.evictions, 19_000);
  });

  it('evicts the least recently used counter, sparing a lockout near the front', async () => {
    const bounded = memoryAttempts({ maxKeys: 3, sweepInterval: 0 });
    const now = Date.UTC(2026, 0, 1);
    await bounded.admit('locked', HOLD_AT_ONE, now);
    await bounded.admit('old', WINDOW, now);
    await bounded.admit('newer', WINDOW, now);
    await bounded.admit('newest', WINDOW, now); // drops 'old', not 'locked'
    assert.equal((await bounded.admit('locked', HOLD_AT_ONE, now)).admitted, false);
    assert.equal((await bounded.admit('old', WINDOW, now)).count, 1, 'old was forgotten');
  });

  it('sweeps expired counters by the latest time it was told', async () => {
    const swept = memoryAttempts({ sweepInterval: 0 });
    const now = Date.UTC(2026, 0, 1);
    await swept.admit('a', WINDOW, now);
    await swept.admit('held', HOLD_AT_ONE, now);
    await swept.admit('b', WINDOW, now + 30_000);
    assert.equal(swept.sweep(), 0);
    await swept.admit('c', WINDOW, now + 60_000);
    assert.equal(swept.sweep(), 1, 'a expired; b, c and the held one remain');
    assert.equal(swept.stats.size, 3);
  });

  it("its sweep timer is unref'd and stops on close", async () => {
    const timed = memoryAttempts({ sweepInterval: 10 });
    await timed.close();
    await timed.close();
  });

  it('refuses options out of range', () => {
    for (const options of [
      { maxKeys: 0 },
      { maxKeys: 1.5 },
      { sweepInterval: -1 },
      { sweepInterval: 2 ** 31 },
    ]) {
      assert.throws(
        () => memoryAttempts(options),
        (error: unknown) => isTesseraError(error) && error.code === 'INVALID_OPTIONS',
      );
    }
  });
});
