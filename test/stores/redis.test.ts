/**
 * Redis store against a real Redis at REDIS_URL: the conformance suite through ioredis,
 * node-redis and a store-created client, then what only this store has (key layout,
 * native expiry, corrupt and foreign data, the user index's self-healing).
 * Every run writes under a random key prefix and deletes its keys at the end.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import {
  CorruptRecordError,
  InvalidOptionsError,
  InvalidSessionDataError,
  isSessionStoreError,
} from '../../src/errors.js';
import { type RedisStore, redisStore } from '../../src/stores/redis/index.js';
import {
  liveRecord,
  plain,
  randomStoreKey,
  randomUserId,
  runStoreConformance,
} from '../../src/testing/index.js';
import { probeRedis, REDIS_URL as url } from '../support/services.js';

const prefix = `tessera-test:${randomBytes(6).toString('base64url')}:`;

const skip = await probeRedis();
const io = new Redis(url, { lazyConnect: true });
io.on('error', () => {});
const nodeRedis = createClient({ url });
nodeRedis.on('error', () => {});
if (!skip) await Promise.all([io.connect(), nodeRedis.connect()]);

/** SCAN pattern matching exactly the keys under `text` (glob characters escaped). */
function globPrefix(text: string): string {
  return `${text.replace(/[*?[\]\\]/g, '\\$&')}*`;
}

after(async () => {
  if (!skip) {
    for await (const keys of io.scanStream({ match: globPrefix(prefix), count: 500 })) {
      if ((keys as string[]).length > 0) await io.del(...(keys as string[]));
    }
    await nodeRedis.quit();
  }
  io.disconnect();
});

runStoreConformance({
  name: 'redis (ioredis client)',
  create: async () => redisStore({ client: io, prefix: `${prefix}io:` }),
  capabilities: { byUser: true, prune: false },
  skip,
});

runStoreConformance({
  name: 'redis (node-redis client)',
  create: async () => redisStore({ client: nodeRedis, prefix: `${prefix}nr:` }),
  capabilities: { byUser: true, prune: false },
  skip,
});

runStoreConformance({
  name: 'redis (url, store-owned ioredis client)',
  create: async () => redisStore({ url, prefix: `${prefix}url:` }),
  capabilities: { byUser: true, prune: false },
  skip,
});

describe('redis store', { skip, timeout: 60_000 }, () => {
  const own = `${prefix}own:`;
  let store: RedisStore;
  before(() => {
    store = redisStore({ client: io, prefix: own });
  });

  it('S-02 lays a session out as one hash under the key, with native expiry', async () => {
    const key = randomStoreKey();
    const userId = randomUserId();
    const record = liveRecord({ views: '3', 'm:e': '"a data key named like metadata"' }, userId);
    await store.set(key, record);
    const hash = `${own}s:${key}`;
    assert.deepStrictEqual(await io.call('HGETALL', hash), [
      'm:c',
      String(record.createdAt),
      'm:e',
      String(record.expiresAt),
      'm:a',
      String(record.absoluteExpiresAt),
      'm:b',
      String('views3m:e'.length + '"a data key named like metadata"'.length),
      'm:u',
      userId,
      'd:views',
      '3',
      'd:m:e',
      '"a data key named like metadata"',
    ]);
    assert.equal(await io.pexpiretime(hash), record.expiresAt);
    const index = `${own}u:${userId}`;
    assert.deepStrictEqual(await io.zrange(index, 0, -1, 'WITHSCORES'), [
      key,
      String(record.absoluteExpiresAt),
    ]);
    assert.equal(await io.pexpiretime(index), record.absoluteExpiresAt);
    assert.deepStrictEqual(plain((await store.get(key))!), plain(record));
  });

  it('patches keep m:b, the data bytes maxDataBytes is checked against; a hash without it is measured', async () => {
    const key = randomStoreKey();
    const record = liveRecord({ a: '"é"', b: '"xx"' });
    await store.set(key, record);
    const hash = `${own}s:${key}`;
    const expiresAt = record.expiresAt;
    await store.patch(key, {
      set: { a: '"éé"', c: '1' },
      remove: ['b'],
      expiresAt,
      maxDataBytes: 100,
    });
    // a + "éé" (1 + 6) and c + 1 (1 + 1)
    assert.equal(await io.hget(hash, 'm:b'), '9');
    // A record stored before m:b existed: the script measures it in full, then keeps it.
    await io.hdel(hash, 'm:b');
    await assert.rejects(
      store.patch(key, { set: { d: '"1234"' }, remove: [], expiresAt, maxDataBytes: 15 }),
      { code: 'INVALID_SESSION_DATA' },
    );
    assert.equal(await io.hget(hash, 'm:b'), null, 'a refused patch writes nothing');
    await store.patch(key, { set: { d: '"1234"' }, remove: [], expiresAt, maxDataBytes: 16 });
    assert.equal(await io.hget(hash, 'm:b'), '16');
  });

  it('patch and touch move the native expiry with the record', async () => {
    const key = randomStoreKey();
    const record = liveRecord({ a: '1' });
    await store.set(key, record);
    await store.patch(key, { set: { b: '2' }, remove: [], expiresAt: record.expiresAt + 5000 });
    assert.equal(await io.pexpiretime(`${own}s:${key}`), record.expiresAt + 5000);
    await store.touch(key, record.expiresAt + 9000);
    assert.equal(await io.pexpiretime(`${own}s:${key}`), record.expiresAt + 9000);
  });

  it('get throws CorruptRecordError for a key of another type (WRONGTYPE)', async () => {
    const key = randomStoreKey();
    await io.set(`${own}s:${key}`, 'not a hash');
    await assert.rejects(store.get(key), CorruptRecordError);
    assert.equal(
      await store.patch(key, { set: { a: '1' }, remove: [], expiresAt: Date.now() + 60_000 }),
      false,
    );
    await store.touch(key, Date.now() + 60_000);
    assert.equal(
      await io.get(`${own}s:${key}`),
      'not a hash',
      'patch and touch leave foreign data alone',
    );
    await store.set(key, liveRecord({ a: '1' }));
    assert.deepStrictEqual((await store.get(key))?.data, { a: '1' }, 'set replaces it');
  });

  for (const [name, fields] of [
    ['a hash without metadata', ['foo', 'bar']],
    ['non-numeric expiry', ['m:c', '1', 'm:e', 'soon', 'm:a', '2']],
    ['empty expiry', ['m:c', '1', 'm:e', '', 'm:a', '2']],
    ['missing absolute expiry', ['m:c', '1', 'm:e', String(Date.now() + 60_000)]],
    ['a field outside the namespaces', ['m:c', '1', 'm:e', '2', 'm:a', '3', 'x', 'y']],
  ] as const) {
    it(`get throws CorruptRecordError for ${name}`, async () => {
      const key = randomStoreKey();
      await io.hset(`${own}s:${key}`, ...fields);
      await io.pexpire(`${own}s:${key}`, 60_000);
      const error = await store.get(key).then(
        () => assert.fail('get should reject'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof CorruptRecordError);
      assert.ok(!isSessionStoreError(error), 'corrupt data is not an outage');
    });
  }

  it('a hash whose own expiry has passed is not returned or patched', async () => {
    const key = randomStoreKey();
    const past = String(Date.now() - 1000);
    await io.hset(`${own}s:${key}`, 'm:c', '1', 'm:e', past, 'm:a', String(Date.now() + 60_000));
    await io.pexpire(`${own}s:${key}`, 60_000);
    assert.equal(await store.get(key), null);
    assert.equal(
      await store.patch(key, { set: { a: '1' }, remove: [], expiresAt: Date.now() + 60_000 }),
      false,
    );
  });

  it('listByUser skips corrupt members and destroyByUser leaves foreign data', async () => {
    const userId = randomUserId();
    const good = randomStoreKey();
    const foreign = randomStoreKey();
    await store.set(good, liveRecord({ a: '1' }, userId));
    await io.zadd(`${own}u:${userId}`, Date.now() + 60_000, foreign);
    await io.set(`${own}s:${foreign}`, 'foreign');
    assert.deepStrictEqual(
      (await store.listByUser(userId)).map((e) => e.key),
      [good],
    );
    assert.equal(await store.destroyByUser(userId), 1);
    assert.equal(await io.get(`${own}s:${foreign}`), 'foreign');
  });

  it('an index key of another type is replaced on the next write', async () => {
    const userId = randomUserId();
    await io.set(`${own}u:${userId}`, 'junk');
    const key = randomStoreKey();
    await store.set(key, liveRecord({ a: '1' }, userId));
    assert.deepStrictEqual(
      (await store.listByUser(userId)).map((e) => e.key),
      [key],
    );
  });

  it('listByUser settles a provisional index member whose settle step was lost', async () => {
    const userId = randomUserId();
    const key = randomStoreKey();
    const gone = randomStoreKey();
    const record = liveRecord({ a: '1' }, userId);
    await store.set(key, record);
    const index = `${own}u:${userId}`;
    // What a patch binding the user leaves behind when the connection drops mid-way.
    await io.zadd(index, '+inf', key, '+inf', gone);
    await io.persist(index);
    assert.deepStrictEqual(
      (await store.listByUser(userId)).map((e) => e.key),
      [key],
    );
    assert.deepStrictEqual(await io.zrange(index, 0, -1, 'WITHSCORES'), [
      key,
      String(record.absoluteExpiresAt),
    ]);
    assert.equal(await io.pexpiretime(index), record.absoluteExpiresAt);
  });

  it('the index drops members past their absolute expiry and expires with the last one', async () => {
    const userId = randomUserId();
    const index = `${own}u:${userId}`;
    await io.zadd(index, Date.now() - 1, randomStoreKey());
    const record = liveRecord({}, userId);
    const key = randomStoreKey();
    await store.set(key, record);
    assert.deepStrictEqual(await io.zrange(index, 0, -1), [key]);
    assert.equal(await io.pexpiretime(index), record.absoluteExpiresAt);
  });

  it('a patch binding a user that does not apply leaves no index member', async () => {
    const userId = randomUserId();
    const ok = await store.patch(randomStoreKey(), {
      set: {},
      remove: [],
      expiresAt: Date.now() + 60_000,
      userId,
    });
    assert.equal(ok, false);
    assert.equal(await io.exists(`${own}u:${userId}`), 0);
  });

  it('refuses text Redis would not store exactly (lone surrogates)', async () => {
    const key = randomStoreKey();
    await assert.rejects(store.set(key, liveRecord({ '\ud800': '1' })), InvalidSessionDataError);
    await assert.rejects(store.set(key, liveRecord({ a: '"\ud800"' })), InvalidSessionDataError);
    await assert.rejects(store.set(key, liveRecord({}, 'user\udc00')), InvalidSessionDataError);
    assert.equal(await io.exists(`${own}s:${key}`), 0);
    assert.deepStrictEqual(await store.listByUser('\ud800'), []);
    assert.equal(await store.destroyByUser('\ud800'), 0);
  });

  it('a session with thousands of keys is written and patched in one script call', async () => {
    const key = randomStoreKey();
    const data = Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`k${i}`, String(i)]));
    await store.set(key, liveRecord(data));
    const set = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`n${i}`, '1']));
    const remove = Array.from({ length: 5000 }, (_, i) => `k${i}`);
    assert.equal(await store.patch(key, { set, remove, expiresAt: Date.now() + 60_000 }), true);
    assert.equal(Object.keys((await store.get(key))!.data).length, 6000);
  });

  it('close() leaves a client passed in open; a store-owned client is quit', async (t) => {
    const borrowed = redisStore({ client: io, prefix: own });
    await borrowed.close();
    assert.equal(await io.ping(), 'PONG');
    const owned = redisStore({ url, prefix: own });
    t.after(() => owned.close()); // idempotent: a no-op when the test closed it
    assert.equal(await owned.get(randomStoreKey()), null);
    await owned.close();
    await assert.rejects(owned.get(randomStoreKey()), (e: unknown) => isSessionStoreError(e));
  });

  it('rejects invalid options', () => {
    assert.throws(() => redisStore({}), InvalidOptionsError);
    assert.throws(() => redisStore({ client: io, url }), InvalidOptionsError);
    assert.throws(() => redisStore({ client: {} as never }), InvalidOptionsError);
    assert.throws(() => redisStore({ url, commandTimeout: 0 }), InvalidOptionsError);
    assert.throws(() => redisStore({ url, commandTimeout: Number.NaN }), InvalidOptionsError);
    assert.throws(() => redisStore({ url, prefix: 1 as never }), InvalidOptionsError);
  });
});
