/** Conformance: per-key patches, including concurrent ones (no lost updates). */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { SessionPatch } from '../stores/contract.js';
import type { SuiteContext } from './fixtures.js';
import { expiredRecord, liveRecord, plain, randomStoreKey, randomUserId } from './fixtures.js';
import { TEST_OPTIONS } from './options.js';

export function patchTests({ store }: SuiteContext): void {
  it(
    'patch sets and removes keys, keeps untouched keys, moves expiresAt, returns true',
    TEST_OPTIONS,
    async () => {
      const key = randomStoreKey();
      const userId = randomUserId();
      const record = liveRecord({ keep: '"k"', change: '1', drop: 'true' }, userId);
      await store().set(key, record);
      const expiresAt = record.expiresAt + 60_000;
      const ok = await store().patch(key, {
        set: { change: '2', added: '{"n":1}' },
        remove: ['drop', 'neverExisted'],
        expiresAt,
      });
      assert.equal(ok, true);
      const got = await store().get(key);
      assert.ok(got, 'record should be found');
      assert.deepStrictEqual(plain(got), {
        data: { keep: '"k"', change: '2', added: '{"n":1}' },
        createdAt: record.createdAt,
        expiresAt,
        absoluteExpiresAt: record.absoluteExpiresAt,
        userId,
      });
    },
  );

  it(
    'patch with maxDataBytes: within the bound it applies (exact UTF-8 bytes of keys and texts)',
    TEST_OPTIONS,
    async () => {
      const key = randomStoreKey();
      // 'a' + '"é"' = 1 + 4 bytes; 'bé' + '"xyz"' = 3 + 5 bytes: 13 in all.
      const record = liveRecord({ a: '"é"' });
      await store().set(key, record);
      const patch = { set: { bé: '"xyz"' }, remove: [], expiresAt: record.expiresAt };
      assert.equal(await store().patch(key, { ...patch, maxDataBytes: 13 }), true);
      const got = await store().get(key);
      assert.deepStrictEqual({ ...got?.data }, { a: '"é"', bé: '"xyz"' });
    },
  );

  it(
    'patch with maxDataBytes: crossing it rejects with INVALID_SESSION_DATA and changes nothing',
    TEST_OPTIONS,
    async () => {
      const key = randomStoreKey();
      const record = liveRecord({ a: '"é"', old: '"0123456789"' });
      await store().set(key, record);
      // Removed keys and replaced values count at their new size: 5 + 5 + 3 + 3 = 16 fits
      // 16, 17 does not.
      const fits = { set: { b: '"1"', c: '"22"' }, remove: ['old'], expiresAt: record.expiresAt };
      assert.equal(await store().patch(key, { ...fits, maxDataBytes: 16 }), true);
      const stored = await store().get(key);
      assert.ok(stored, 'record should be found');
      const before = plain(stored);
      const crossing = {
        set: { d: '"4444"' },
        remove: [],
        expiresAt: record.expiresAt + 60_000,
        maxDataBytes: 16,
      };
      await assert.rejects(store().patch(key, crossing), (error: unknown) => {
        assert.equal((error as { code?: unknown }).code, 'INVALID_SESSION_DATA');
        return true;
      });
      const after = await store().get(key);
      assert.ok(after, 'record should still be found');
      assert.deepStrictEqual(plain(after), before, 'nothing was written');
      // A missing record is still `false`, not too large.
      assert.equal(await store().patch(randomStoreKey(), crossing), false);
    },
  );

  it(
    'concurrent patches each within maxDataBytes never store more than it together',
    TEST_OPTIONS,
    async () => {
      const key = randomStoreKey();
      const record = liveRecord({});
      await store().set(key, record);
      const value = `"${'x'.repeat(98)}"`; // key 'kN' (2 bytes) + 100 bytes each
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          store().patch(key, {
            set: { [`k${i}`]: value },
            remove: [],
            expiresAt: record.expiresAt,
            maxDataBytes: 510,
          }),
        ),
      );
      const applied = results.filter((r) => r.status === 'fulfilled' && r.value === true);
      const refused = results.filter(
        (r) =>
          r.status === 'rejected' &&
          (r.reason as { code?: unknown }).code === 'INVALID_SESSION_DATA',
      );
      assert.equal(applied.length, 5, 'five fit into 510 bytes');
      assert.equal(refused.length, 5, 'the rest are refused, none lost in silence');
      const got = await store().get(key);
      assert.equal(Object.keys(got?.data ?? {}).length, 5);
    },
  );

  it('patch with nothing to set or remove still moves expiresAt', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    const record = liveRecord({ a: '1' });
    await store().set(key, record);
    const expiresAt = record.expiresAt + 1234;
    assert.equal(await store().patch(key, { set: {}, remove: [], expiresAt }), true);
    const got = await store().get(key);
    assert.ok(got, 'record should be found');
    assert.deepStrictEqual(plain(got), { ...plain(record), expiresAt });
  });

  it('patch may remove every key', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    const record = liveRecord({ a: '1', b: '2' });
    await store().set(key, record);
    const ok = await store().patch(key, {
      set: {},
      remove: ['a', 'b'],
      expiresAt: record.expiresAt,
    });
    assert.equal(ok, true);
    const got = await store().get(key);
    assert.ok(got, 'a session with no data keys still exists');
    assert.deepStrictEqual({ ...got.data }, {});
  });

  it('patch updates userId when given (string, then null)', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    const record = liveRecord({ a: '1' }, null);
    await store().set(key, record);
    const userId = randomUserId();
    assert.equal(
      await store().patch(key, { set: {}, remove: [], expiresAt: record.expiresAt, userId }),
      true,
    );
    assert.equal((await store().get(key))?.userId, userId);
    const unbind: SessionPatch = { set: {}, remove: [], expiresAt: record.expiresAt, userId: null };
    assert.equal(await store().patch(key, unbind), true);
    const got = await store().get(key);
    assert.ok(got, 'record should be found');
    assert.equal(got.userId, null);
  });

  it('patch leaves userId unchanged when absent or undefined', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    const userId = randomUserId();
    const record = liveRecord({ a: '1' }, userId);
    await store().set(key, record);
    assert.equal(
      await store().patch(key, { set: { b: '2' }, remove: [], expiresAt: record.expiresAt }),
      true,
    );
    assert.equal((await store().get(key))?.userId, userId);
    // An explicit `undefined` (e.g. from an object spread) means "unchanged" too.
    const explicit = {
      set: { c: '3' },
      remove: [],
      expiresAt: record.expiresAt,
      userId: undefined,
    };
    assert.equal(await store().patch(key, explicit as unknown as SessionPatch), true);
    const got = await store().get(key);
    assert.ok(got, 'record should be found');
    assert.equal(got.userId, userId);
    assert.deepStrictEqual({ ...got.data }, { a: '1', b: '2', c: '3' });
  });

  it('patch of a missing key returns false and does not create it', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    const ok = await store().patch(key, {
      set: { a: '1' },
      remove: [],
      expiresAt: Date.now() + 60_000,
      userId: randomUserId(),
    });
    assert.equal(ok, false);
    assert.equal(await store().get(key), null);
  });

  it(
    'patch after destroy returns false and does not resurrect the session',
    TEST_OPTIONS,
    async () => {
      const key = randomStoreKey();
      await store().set(key, liveRecord({ a: '1' }));
      await store().destroy(key);
      const ok = await store().patch(key, {
        set: { b: '2' },
        remove: [],
        expiresAt: Date.now() + 60_000,
      });
      assert.equal(ok, false);
      assert.equal(await store().get(key), null);
    },
  );

  it(
    'patch of an expired record returns false and does not resurrect it',
    TEST_OPTIONS,
    async () => {
      const key = randomStoreKey();
      await store().set(key, expiredRecord({ a: '1' }));
      const ok = await store().patch(key, {
        set: { b: '2' },
        remove: [],
        expiresAt: Date.now() + 60_000,
      });
      assert.equal(ok, false);
      assert.equal(await store().get(key), null);
    },
  );

  it(
    '50 concurrent patches setting different keys all persist (no lost update)',
    TEST_OPTIONS,
    async () => {
      const key = randomStoreKey();
      const record = liveRecord({ base: '0' });
      await store().set(key, record);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store().patch(key, {
            set: { [`k${i}`]: JSON.stringify(i) },
            remove: [],
            expiresAt: record.expiresAt + i,
          }),
        ),
      );
      assert.deepStrictEqual(results, Array(50).fill(true));
      const got = await store().get(key);
      assert.ok(got, 'record should be found');
      const expected: Record<string, string> = { base: '0' };
      for (let i = 0; i < 50; i++) expected[`k${i}`] = JSON.stringify(i);
      assert.deepStrictEqual({ ...got.data }, expected);
      assert.ok(got.expiresAt >= record.expiresAt && got.expiresAt < record.expiresAt + 50);
    },
  );

  it('concurrent patches removing different keys all apply', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    const initial: Record<string, string> = { keep: '"yes"' };
    for (let i = 0; i < 20; i++) initial[`k${i}`] = JSON.stringify(i);
    const record = liveRecord(initial);
    await store().set(key, record);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store().patch(key, { set: {}, remove: [`k${i}`], expiresAt: record.expiresAt }),
      ),
    );
    const got = await store().get(key);
    assert.ok(got, 'record should be found');
    assert.deepStrictEqual({ ...got.data }, { keep: '"yes"' });
  });

  it('concurrent patches of the same key: one value wins, uncorrupted', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    const record = liveRecord({ other: '"untouched"' });
    await store().set(key, record);
    const values = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ writer: i, pad: 'x'.repeat(i * 100) }),
    );
    await Promise.all(
      values.map((value) =>
        store().patch(key, { set: { same: value }, remove: [], expiresAt: record.expiresAt }),
      ),
    );
    const got = await store().get(key);
    assert.ok(got, 'record should be found');
    assert.ok(
      values.includes(got.data.same ?? ''),
      'the stored value is one of the written values',
    );
    assert.equal(got.data.other, '"untouched"');
    assert.deepStrictEqual(Object.keys(got.data).sort(), ['other', 'same']);
  });
}
