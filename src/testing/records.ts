/** Conformance: get, set, touch, destroy, and isolation of stored records from callers. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { SuiteContext } from './fixtures.js';
import { expiredRecord, liveRecord, plain, randomStoreKey, randomUserId } from './fixtures.js';
import { TEST_OPTIONS } from './options.js';

export function recordTests({ store }: SuiteContext): void {
  it('get of a missing key returns null', TEST_OPTIONS, async () => {
    assert.equal(await store().get(randomStoreKey()), null);
  });

  it('set then get returns an equal record (userId null)', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    const record = liveRecord({ a: '1', b: '"two"', c: '{"x":[1,2,3]}' }, null);
    await store().set(key, record);
    const got = await store().get(key);
    assert.ok(got, 'record should be found');
    assert.deepStrictEqual(plain(got), plain(record));
    assert.equal(got.userId, null);
  });

  it('set then get returns an equal record (userId set)', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    const record = liveRecord({ a: 'true' }, randomUserId());
    await store().set(key, record);
    const got = await store().get(key);
    assert.ok(got, 'record should be found');
    assert.deepStrictEqual(plain(got), plain(record));
  });

  it('set then get returns an empty data map unchanged', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    const record = liveRecord({}, null);
    await store().set(key, record);
    const got = await store().get(key);
    assert.ok(got, 'record should be found');
    assert.deepStrictEqual(plain(got), plain(record));
  });

  it(
    'set replaces the whole record: old keys and old user binding are gone',
    TEST_OPTIONS,
    async () => {
      const key = randomStoreKey();
      await store().set(key, liveRecord({ old: '1', shared: '"before"' }, randomUserId()));
      const next = { ...liveRecord({ shared: '"after"', fresh: '2' }, null), createdAt: 1_000 };
      await store().set(key, next);
      const got = await store().get(key);
      assert.ok(got, 'record should be found');
      assert.deepStrictEqual(plain(got), plain(next));
    },
  );

  it('keys are independent: setting one key does not affect another', TEST_OPTIONS, async () => {
    const a = randomStoreKey();
    const b = randomStoreKey();
    await store().set(a, liveRecord({ who: '"a"' }));
    await store().set(b, liveRecord({ who: '"b"' }));
    await store().destroy(a);
    assert.equal(await store().get(a), null);
    assert.deepStrictEqual({ ...(await store().get(b))?.data }, { who: '"b"' });
  });

  it('touch moves expiresAt and leaves everything else', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    const record = liveRecord({ a: '1' }, randomUserId());
    await store().set(key, record);
    const later = record.expiresAt + 10 * 60_000;
    await store().touch(key, later);
    const got = await store().get(key);
    assert.ok(got, 'record should be found');
    assert.deepStrictEqual(plain(got), { ...plain(record), expiresAt: later });
  });

  it('touch of a missing key does not create it', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    await store().touch(key, Date.now() + 60_000);
    assert.equal(await store().get(key), null);
  });

  it('touch of an expired record does not resurrect it', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    await store().set(key, expiredRecord());
    await store().touch(key, Date.now() + 60_000);
    assert.equal(await store().get(key), null);
  });

  it('destroy removes the record', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    await store().set(key, liveRecord());
    await store().destroy(key);
    assert.equal(await store().get(key), null);
  });

  it('destroy of a missing key resolves, also twice', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    await store().destroy(key);
    await store().set(key, liveRecord());
    await store().destroy(key);
    await store().destroy(key);
    assert.equal(await store().get(key), null);
  });

  it('set after destroy creates a new record', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    await store().set(key, liveRecord({ gen: '1' }));
    await store().destroy(key);
    const next = liveRecord({ gen: '2' });
    await store().set(key, next);
    const got = await store().get(key);
    assert.ok(got, 'record should be found');
    assert.deepStrictEqual(plain(got), plain(next));
  });

  it(
    'mutating the record passed to set or returned by get does not change the store',
    TEST_OPTIONS,
    async () => {
      const key = randomStoreKey();
      const input = { a: '1' } as Record<string, string>;
      await store().set(key, liveRecord(input));
      input.a = '2';
      input.b = '3';
      const first = await store().get(key);
      assert.ok(first, 'record should be found');
      assert.deepStrictEqual({ ...first.data }, { a: '1' });
      // A store may hand out frozen objects; in strict mode writing to them throws, which is fine.
      try {
        (first.data as Record<string, string>).a = 'changed';
        (first.data as Record<string, string>).extra = 'x';
        (first as { expiresAt: number }).expiresAt = 0;
      } catch {
        // Frozen: the store is protected either way.
      }
      const second = await store().get(key);
      assert.ok(second, 'record should still be found');
      assert.deepStrictEqual({ ...second.data }, { a: '1' });
      assert.notEqual(second.expiresAt, 0);
    },
  );
}
