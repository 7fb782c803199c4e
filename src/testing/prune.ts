/** Conformance for the optional prune(): expired records are deleted and counted. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { SuiteContext } from './fixtures.js';
import { expiredRecord, liveRecord, randomStoreKey, randomUserId } from './fixtures.js';
import { TEST_OPTIONS } from './options.js';

export function pruneTests(ctx: SuiteContext, required: boolean, byUser: boolean): void {
  it('prune deletes expired records, counts them, and keeps live ones', TEST_OPTIONS, async (t) => {
    const s = ctx.store();
    if (typeof s.prune !== 'function') {
      assert.ok(!required, 'capabilities.prune is true but prune is missing');
      t.skip('store does not implement prune');
      return;
    }
    const userId = randomUserId();
    const expired = Array.from({ length: 3 }, randomStoreKey);
    for (const key of expired) await s.set(key, expiredRecord({ a: '1' }, userId));
    const live = randomStoreKey();
    await s.set(live, liveRecord({ a: '1' }, userId));
    // A shared backend may hold other runs' expired records too, so the count is a floor.
    const count = await s.prune();
    assert.ok(Number.isInteger(count), 'prune returns an integer');
    assert.ok(
      count >= expired.length,
      `prune counted ${count}, expected at least ${expired.length}`,
    );
    for (const key of expired) assert.equal(await s.get(key), null);
    assert.ok(await s.get(live), 'a live record survives prune');
    if (byUser && typeof s.listByUser === 'function') {
      const listed = (await s.listByUser(userId)).map((entry) => entry.key);
      assert.deepStrictEqual(listed, [live]);
    }
  });
}
