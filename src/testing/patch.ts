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
