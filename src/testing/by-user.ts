/** Conformance for the optional per-user index: listByUser and destroyByUser. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { SessionStore, UserSessionEntry } from '../stores/contract.js';
import type { SuiteContext } from './fixtures.js';
import { expiredRecord, liveRecord, plain, randomStoreKey, randomUserId } from './fixtures.js';
import { TEST_OPTIONS } from './options.js';

type ByUserStore = SessionStore & Required<Pick<SessionStore, 'listByUser' | 'destroyByUser'>>;

function sortedKeys(entries: readonly UserSessionEntry[]): string[] {
  return entries.map((entry) => entry.key).sort();
}

/** Creates `count` live sessions for `userId` and returns their keys, sorted. */
async function seed(store: SessionStore, userId: string | null, count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, randomStoreKey);
  await Promise.all(keys.map((key, i) => store.set(key, liveRecord({ n: String(i) }, userId))));
  return keys.sort();
}

export function byUserTests(ctx: SuiteContext, required: boolean): void {
  // Skips loudly when the capability was left to detection and the store lacks it.
  const store = (t: { skip: (message: string) => void }): ByUserStore | undefined => {
    const s = ctx.store();
    if (typeof s.listByUser === 'function' && typeof s.destroyByUser === 'function') {
      return s as ByUserStore;
    }
    assert.ok(!required, 'capabilities.byUser is true but listByUser/destroyByUser are missing');
    t.skip('store does not implement listByUser/destroyByUser');
    return undefined;
  };

  it(
    "listByUser returns exactly that user's live sessions with their records",
    TEST_OPTIONS,
    async (t) => {
      const s = store(t);
      if (!s) return;
      const alice = randomUserId();
      const bob = randomUserId();
      const aliceKeys = await seed(s, alice, 3);
      const bobKeys = await seed(s, bob, 1);
      await seed(s, null, 1);
      const entries = await s.listByUser(alice);
      assert.deepStrictEqual(sortedKeys(entries), aliceKeys);
      for (const entry of entries) {
        const direct = await s.get(entry.key);
        assert.ok(direct, 'a listed session can be read');
        assert.deepStrictEqual(plain(entry.record), plain(direct));
        assert.equal(entry.record.userId, alice);
      }
      assert.deepStrictEqual(sortedKeys(await s.listByUser(bob)), bobKeys);
      assert.deepStrictEqual(await s.listByUser(randomUserId()), []);
    },
  );

  it('listByUser omits expired and destroyed sessions', TEST_OPTIONS, async (t) => {
    const s = store(t);
    if (!s) return;
    const userId = randomUserId();
    const [live, destroyed] = await seed(s, userId, 2);
    const expired = randomStoreKey();
    await s.set(expired, expiredRecord({}, userId));
    await s.destroy(destroyed!);
    assert.deepStrictEqual(sortedKeys(await s.listByUser(userId)), [live]);
  });

  it("patch changing userId moves the session between users' lists", TEST_OPTIONS, async (t) => {
    const s = store(t);
    if (!s) return;
    const from = randomUserId();
    const to = randomUserId();
    const [key] = await seed(s, from, 1);
    const expiresAt = Date.now() + 60_000;
    assert.equal(await s.patch(key!, { set: {}, remove: [], expiresAt, userId: to }), true);
    assert.deepStrictEqual(await s.listByUser(from), []);
    assert.deepStrictEqual(sortedKeys(await s.listByUser(to)), [key]);
    assert.equal(await s.patch(key!, { set: {}, remove: [], expiresAt, userId: null }), true);
    assert.deepStrictEqual(await s.listByUser(to), []);
  });

  it("patch binding an anonymous session adds it to the user's list", TEST_OPTIONS, async (t) => {
    const s = store(t);
    if (!s) return;
    const userId = randomUserId();
    const [key] = await seed(s, null, 1);
    const ok = await s.patch(key!, {
      set: { signedIn: 'true' },
      remove: [],
      expiresAt: Date.now() + 60_000,
      userId,
    });
    assert.equal(ok, true);
    const entries = await s.listByUser(userId);
    assert.deepStrictEqual(sortedKeys(entries), [key]);
    assert.equal(entries[0]?.record.data.signedIn, 'true');
  });

  it(
    "set replacing a record with another userId moves it between users' lists",
    TEST_OPTIONS,
    async (t) => {
      const s = store(t);
      if (!s) return;
      const from = randomUserId();
      const to = randomUserId();
      const [key] = await seed(s, from, 1);
      await s.set(key!, liveRecord({}, to));
      assert.deepStrictEqual(await s.listByUser(from), []);
      assert.deepStrictEqual(sortedKeys(await s.listByUser(to)), [key]);
    },
  );

  it(
    "destroyByUser removes all of the user's sessions and returns the count",
    TEST_OPTIONS,
    async (t) => {
      const s = store(t);
      if (!s) return;
      const userId = randomUserId();
      const other = randomUserId();
      const keys = await seed(s, userId, 4);
      const otherKeys = await seed(s, other, 2);
      assert.equal(await s.destroyByUser(userId), 4);
      for (const key of keys) assert.equal(await s.get(key), null);
      assert.deepStrictEqual(await s.listByUser(userId), []);
      assert.deepStrictEqual(sortedKeys(await s.listByUser(other)), otherKeys);
      assert.equal(await s.destroyByUser(userId), 0);
    },
  );

  it('destroyByUser with exceptKey keeps that session only', TEST_OPTIONS, async (t) => {
    const s = store(t);
    if (!s) return;
    const userId = randomUserId();
    const keys = await seed(s, userId, 3);
    const [kept, ...gone] = keys;
    assert.equal(await s.destroyByUser(userId, kept), 2);
    assert.ok(await s.get(kept!), 'the excepted session survives');
    for (const key of gone) assert.equal(await s.get(key), null);
    assert.deepStrictEqual(sortedKeys(await s.listByUser(userId)), [kept]);
  });

  it('destroyByUser of an unknown user returns 0', TEST_OPTIONS, async (t) => {
    const s = store(t);
    if (!s) return;
    assert.equal(await s.destroyByUser(randomUserId()), 0);
    assert.equal(await s.destroyByUser(randomUserId(), randomStoreKey()), 0);
  });

  it('patch of a session destroyed by destroyByUser returns false', TEST_OPTIONS, async (t) => {
    const s = store(t);
    if (!s) return;
    const userId = randomUserId();
    const [key] = await seed(s, userId, 1);
    await s.destroyByUser(userId);
    const ok = await s.patch(key!, { set: { a: '1' }, remove: [], expiresAt: Date.now() + 60_000 });
    assert.equal(ok, false);
    assert.deepStrictEqual(await s.listByUser(userId), []);
  });

  it(
    'user ids with separators, glob and unicode characters do not match each other',
    TEST_OPTIONS,
    async (t) => {
      const s = store(t);
      if (!s) return;
      const base = randomUserId();
      const ids = [
        `${base}*`,
        `${base}ab`,
        `${base}:x`,
        `${base}:x:y`,
        `${base}?`,
        `${base}[a]`,
        `${base} ü`,
        `${base}%`,
      ];
      const keysById = new Map<string, string[]>();
      for (const id of ids) keysById.set(id, await seed(s, id, 1));
      for (const id of ids) {
        assert.deepStrictEqual(
          sortedKeys(await s.listByUser(id)),
          keysById.get(id),
          `list of ${id}`,
        );
      }
      assert.equal(await s.destroyByUser(`${base}*`), 1);
      assert.equal(await s.destroyByUser(`${base}:x`), 1);
      assert.deepStrictEqual(
        sortedKeys(await s.listByUser(`${base}ab`)),
        keysById.get(`${base}ab`),
      );
      assert.deepStrictEqual(
        sortedKeys(await s.listByUser(`${base}:x:y`)),
        keysById.get(`${base}:x:y`),
      );
    },
  );
}
