/**
 * Conformance for S-33: sanitising hostile session data is the engine's job, but a store
 * must carry keys like `__proto__` and `constructor` as plain data, exactly as given,
 * without polluting `Object.prototype`, replacing a record's prototype, or crashing.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { SuiteContext } from './fixtures.js';
import { dataOf, liveRecord, randomStoreKey, randomUserId } from './fixtures.js';
import { TEST_OPTIONS } from './options.js';

const hostileEntries = [
  ['__proto__', '{"polluted":1,"isAdmin":true}'],
  ['constructor', '{"prototype":{"polluted":1}}'],
  ['prototype', '{"polluted":1}'],
  ['a', '{"__proto__":{"x":1}}'],
  ['hasOwnProperty', '"shadowed"'],
  ['toString', '1'],
] as const;

function assertNotPolluted(): void {
  const probe: Record<string, unknown> = {};
  assert.equal(probe.polluted, undefined, 'Object.prototype.polluted must stay undefined');
  assert.equal(probe.isAdmin, undefined, 'Object.prototype.isAdmin must stay undefined');
  assert.equal(probe.x, undefined, 'Object.prototype.x must stay undefined');
}

function assertCarriesHostileKeys(
  data: Readonly<Record<string, string>>,
  entries: ReadonlyArray<readonly [string, string]>,
): void {
  const proto = Object.getPrototypeOf(data);
  assert.ok(proto === null || proto === Object.prototype, 'data keeps a plain or null prototype');
  for (const [key, value] of entries) {
    assert.ok(Object.hasOwn(data, key), `${key} is an own key of the data map`);
    assert.equal(
      Object.getOwnPropertyDescriptor(data, key)?.value,
      value,
      `${key} round-trips exactly`,
    );
  }
}

export function hostileTests({ store }: SuiteContext, byUser: boolean): void {
  it(
    'S-33 __proto__ and constructor keys round-trip through set/get without pollution',
    TEST_OPTIONS,
    async () => {
      const key = randomStoreKey();
      const data = dataOf(hostileEntries);
      await store().set(key, liveRecord(data, randomUserId()));
      assertNotPolluted();
      const got = await store().get(key);
      assert.ok(got, 'record should be found');
      assertNotPolluted();
      assertCarriesHostileKeys(got.data, hostileEntries);
      assert.equal(Object.keys(got.data).length, hostileEntries.length);
    },
  );

  it(
    'S-33 __proto__ and constructor keys can be patched, removed and listed without pollution',
    TEST_OPTIONS,
    async (t) => {
      const key = randomStoreKey();
      const userId = randomUserId();
      const record = liveRecord({ safe: '1' }, userId);
      await store().set(key, record);
      const ok = await store().patch(key, {
        set: dataOf(hostileEntries),
        remove: [],
        expiresAt: record.expiresAt,
      });
      assert.equal(ok, true);
      assertNotPolluted();
      const got = await store().get(key);
      assert.ok(got, 'record should be found');
      assertCarriesHostileKeys(got.data, [...hostileEntries, ['safe', '1']]);

      const removed = await store().patch(key, {
        set: {},
        remove: ['__proto__', 'constructor'],
        expiresAt: record.expiresAt,
      });
      assert.equal(removed, true);
      const after = await store().get(key);
      assert.ok(after, 'record should be found');
      assert.ok(!Object.hasOwn(after.data, '__proto__'), '__proto__ key removed');
      assert.ok(!Object.hasOwn(after.data, 'constructor'), 'constructor key removed');
      assert.equal(after.data.safe, '1');
      assertNotPolluted();

      const s = store();
      if (!byUser || typeof s.listByUser !== 'function') {
        t.diagnostic('listByUser not implemented; listing part skipped');
        return;
      }
      const entries = await s.listByUser(userId);
      assert.equal(entries.length, 1);
      assertCarriesHostileKeys(entries[0]!.record.data, [['prototype', '{"polluted":1}']]);
      assertNotPolluted();
    },
  );

  it(
    'S-33 a user id of __proto__ or constructor is an ordinary user id',
    TEST_OPTIONS,
    async (t) => {
      const s = store();
      if (!byUser || typeof s.listByUser !== 'function' || typeof s.destroyByUser !== 'function') {
        t.skip('store does not implement listByUser/destroyByUser');
        return;
      }
      // Fixed ids are unavoidable here and another run may share the backend, so assert
      // only about this test's own session.
      for (const userId of ['__proto__', 'constructor']) {
        const key = randomStoreKey();
        await s.set(key, liveRecord({ a: '1' }, userId));
        assertNotPolluted();
        const listed: string[] = (await s.listByUser(userId)).map((entry) => entry.key);
        assert.ok(listed.includes(key), `the session of user ${userId} is listed`);
        assert.ok(
          (await s.destroyByUser(userId)) >= 1,
          `destroyByUser(${userId}) counts the session`,
        );
        assert.equal(await s.get(key), null);
        assert.ok(!(await s.listByUser(userId)).some((entry) => entry.key === key));
      }
      assertNotPolluted();
    },
  );
}
