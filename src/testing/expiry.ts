/**
 * Conformance: expiry against the store's own (real) clock. Tests never assert elapsed
 * time; the one test that waits polls until the record is gone, with a generous deadline.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SuiteContext } from './fixtures.js';
import { expiredRecord, liveRecord, randomStoreKey } from './fixtures.js';
import { TEST_OPTIONS } from './options.js';

/** How long past its expiry a record may still be returned: covers second-granular TTLs. */
const GRACE_MS = 2_500;

export function expiryTests({ store }: SuiteContext): void {
  it('a record whose expiresAt is already past is not returned', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    await store().set(key, expiredRecord({ a: '1' }));
    assert.equal(await store().get(key), null);
  });

  it(
    'an expired record can be replaced by a live one under the same key',
    TEST_OPTIONS,
    async () => {
      const key = randomStoreKey();
      await store().set(key, expiredRecord({ gen: '1' }));
      await store().set(key, liveRecord({ gen: '2' }));
      assert.deepStrictEqual({ ...(await store().get(key))?.data }, { gen: '2' });
    },
  );

  it('touch into the past makes the record expire', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    await store().set(key, liveRecord({ a: '1' }));
    await store().touch(key, Date.now() - 1000);
    assert.equal(await store().get(key), null);
  });

  it('a record set to expire shortly is gone soon after its expiry', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    const expiresAt = Date.now() + 300;
    await store().set(key, { ...liveRecord({ a: '1' }), expiresAt });
    const deadline = expiresAt + GRACE_MS;
    for (;;) {
      const got = await store().get(key);
      if (got === null) return;
      assert.ok(Date.now() < deadline, `record still returned ${GRACE_MS} ms after its expiry`);
      await sleep(100);
    }
  });
}
