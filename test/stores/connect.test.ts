/**
 * The connect-store bridge over real express-session stores: connect-redis v9 with a
 * node-redis client against REDIS_URL, and express-session's own MemoryStore (with and
 * without `all()`). The conformance suite runs unchanged; the one guarantee the bridge
 * cannot give (no lost update across processes) is shown below with two bridges, which is
 * exactly what two processes sharing one store are.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { RedisStore } from 'connect-redis';
import session from 'express-session';
import { createClient } from 'redis';
import { CorruptRecordError, InvalidOptionsError, isSessionStoreError } from '../../src/errors.js';
import { type ConnectStoreLike, connectStore } from '../../src/stores/connect/index.js';
import type { SessionStore } from '../../src/stores/contract.js';
import {
  liveRecord,
  randomStoreKey,
  randomUserId,
  runStoreConformance,
} from '../../src/testing/index.js';
import { probeRedis, REDIS_URL as url } from '../support/services.js';

const prefix = `tessera-test:${randomBytes(6).toString('base64url')}:sess:`;

const skip = await probeRedis();
const client = createClient({ url });
client.on('error', () => {});
if (!skip) await client.connect();

after(async () => {
  if (skip) return;
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) await client.del(keys);
  }
  await client.quit();
});

const redisConnect = (): RedisStore => new RedisStore({ client, prefix });

/** express-session's MemoryStore without `all()`: a store the by-user methods cannot use. */
function withoutAll(store: session.MemoryStore): ConnectStoreLike {
  return {
    get: (sid, cb) => store.get(sid, cb),
    set: (sid, sess, cb) => store.set(sid, sess as session.SessionData, cb),
    destroy: (sid, cb) => store.destroy(sid, cb),
  };
}

runStoreConformance({
  name: 'connect bridge (connect-redis v9, node-redis)',
  create: async () => connectStore(redisConnect()),
  capabilities: { byUser: true, prune: false },
  skip,
});

runStoreConformance({
  name: 'connect bridge (express-session MemoryStore)',
  create: async () => connectStore(new session.MemoryStore()),
  capabilities: { byUser: true, prune: false },
});

runStoreConformance({
  name: 'connect bridge (a store without all())',
  create: async () => connectStore(withoutAll(new session.MemoryStore())),
  capabilities: { byUser: false, prune: false },
});

describe('connect bridge over connect-redis', { skip, timeout: 60_000 }, () => {
  it('stores an express-session-shaped session whose TTL follows expiresAt', async () => {
    const store = connectStore(redisConnect());
    const key = randomStoreKey();
    const record = liveRecord({ views: '3' }, randomUserId());
    await store.set(key, record);
    const raw = JSON.parse((await client.get(`${prefix}${key}`))!);
    assert.equal(raw.cookie.expires, new Date(record.expiresAt).toISOString());
    assert.deepStrictEqual(raw.tessera, { v: 1, ...record, data: { views: '3' } });
    const ttl = await client.ttl(`${prefix}${key}`);
    assert.ok(ttl > 0 && ttl <= Math.ceil((record.expiresAt - Date.now()) / 1000) + 1);
  });

  it('an express-session session is read as data, patched as a Tessera record, never bound to a user', async () => {
    const store = connectStore(redisConnect());
    const key = randomStoreKey();
    const expires = new Date(Date.now() + 60_000).toISOString();
    await client.set(`${prefix}${key}`, JSON.stringify({ cookie: { expires }, userId: 'x' }));
    const record = await store.get(key);
    assert.deepStrictEqual({ ...record?.data }, { userId: '"x"' });
    assert.equal(record?.userId, null, 'a property named userId is data, not a binding');
    assert.equal(record?.expiresAt, Date.parse(expires));
    assert.deepStrictEqual(await store.listByUser!('x'), []);
    assert.equal(
      await store.patch(key, { set: { a: '1' }, remove: [], expiresAt: Date.now() + 60_000 }),
      true,
    );
    const raw = JSON.parse((await client.get(`${prefix}${key}`))!);
    assert.deepStrictEqual(raw.tessera.data, { userId: '"x"', a: '1' });
    await assert.rejects(
      (async () => {
        await client.set(`${prefix}${key}`, JSON.stringify({ tessera: { v: 2 }, cookie: {} }));
        await store.get(key);
      })(),
      CorruptRecordError,
    );
  });

  it('S-55 a failing client yields SessionStoreError with the driver error as cause', async () => {
    const broken = createClient({ url });
    broken.on('error', () => {});
    await broken.connect();
    broken.destroy();
    const store = connectStore(new RedisStore({ client: broken, prefix }));
    const error = await store.get(randomStoreKey()).then(
      () => assert.fail('get should reject'),
      (e: unknown) => e,
    );
    assert.ok(isSessionStoreError(error));
    assert.ok(error.cause instanceof Error, 'the driver error is kept as cause');
    await assert.rejects(store.set(randomStoreKey(), liveRecord()), isSessionStoreError);
    await assert.rejects(store.destroy(randomStoreKey()), isSessionStoreError);
  });

  it('LIMIT: two bridges (two processes) patching different keys at once lose one update', async () => {
    const key = randomStoreKey();
    const record = liveRecord({ base: '0' });
    const first = connectStore(redisConnect());
    const second = connectStore(redisConnect());
    await first.set(key, record);
    const expiresAt = record.expiresAt;
    const results = await Promise.all([
      first.patch(key, { set: { a: '1' }, remove: [], expiresAt }),
      second.patch(key, { set: { b: '2' }, remove: [], expiresAt }),
    ]);
    assert.deepStrictEqual(results, [true, true], 'both callers are told their patch applied');
    const keys = Object.keys((await first.get(key))!.data).sort();
    // Both read the session before either wrote it back, so the second write drops `a`.
    assert.deepStrictEqual(keys, ['b', 'base'], 'the lost update the docs warn about');
  });

  it('one bridge serializes the same race, so both updates persist', async () => {
    const key = randomStoreKey();
    const record = liveRecord({ base: '0' });
    const store = connectStore(redisConnect());
    await store.set(key, record);
    const { expiresAt } = record;
    await Promise.all([
      store.patch(key, { set: { a: '1' }, remove: [], expiresAt }),
      store.patch(key, { set: { b: '2' }, remove: [], expiresAt }),
    ]);
    assert.deepStrictEqual(Object.keys((await store.get(key))!.data).sort(), ['a', 'b', 'base']);
  });
});

describe('connect bridge', { timeout: 60_000 }, () => {
  it('has by-user methods exactly when the store has all()', () => {
    const full: SessionStore = connectStore(new session.MemoryStore());
    const partial: SessionStore = connectStore(withoutAll(new session.MemoryStore()));
    assert.equal(typeof full.listByUser, 'function');
    assert.equal(typeof full.destroyByUser, 'function');
    assert.equal(partial.listByUser, undefined);
    assert.equal(partial.destroyByUser, undefined);
    assert.equal(full.prune, undefined);
    assert.equal(full.close, undefined);
  });

  it('S-55 a store that never calls back yields SessionStoreError after commandTimeout', async () => {
    const silent: ConnectStoreLike = { get: () => {}, set: () => {}, destroy: () => {} };
    const store = connectStore(silent, { commandTimeout: 50 });
    for (const operation of [
      () => store.get(randomStoreKey()),
      () => store.set(randomStoreKey(), liveRecord()),
      () => store.patch(randomStoreKey(), { set: {}, remove: [], expiresAt: Date.now() + 1000 }),
      () => store.destroy(randomStoreKey()),
    ]) {
      await assert.rejects(
        operation(),
        (e: unknown) => isSessionStoreError(e) && /timed out/.test(e.message),
      );
    }
  });

  it('a hung write does not block later writes of the same key forever', async () => {
    const sessions = new session.MemoryStore();
    let hang = true;
    const flaky: ConnectStoreLike = {
      get: (sid, cb) => sessions.get(sid, cb),
      set: (sid, sess, cb) =>
        hang ? undefined : sessions.set(sid, sess as session.SessionData, cb),
      destroy: (sid, cb) => sessions.destroy(sid, cb),
    };
    const store = connectStore(flaky, { commandTimeout: 50 });
    const key = randomStoreKey();
    await assert.rejects(store.set(key, liveRecord({ a: '1' })), isSessionStoreError);
    hang = false;
    await store.set(key, liveRecord({ a: '2' }));
    assert.deepStrictEqual((await store.get(key))?.data, { a: '2' });
  });

  it('an ENOENT error from get means "no session" (session-file-store style)', async () => {
    const missing: ConnectStoreLike = {
      get: (_sid, cb) => cb(Object.assign(new Error('no file'), { code: 'ENOENT' })),
      set: (_sid, _sess, cb) => cb?.(),
      destroy: (_sid, cb) => cb?.(),
    };
    assert.equal(await connectStore(missing).get(randomStoreKey()), null);
  });

  it('refuses an all() listing without session ids rather than skip sessions', async () => {
    const sessions = new session.MemoryStore();
    const store = connectStore({
      get: (sid, cb) => sessions.get(sid, cb),
      set: (sid, sess, cb) => sessions.set(sid, sess as session.SessionData, cb),
      destroy: (sid, cb) => sessions.destroy(sid, cb),
      all: (cb) => sessions.all((error, map) => cb(error, Object.values(map ?? {}))),
    });
    const userId = randomUserId();
    await store.set(randomStoreKey(), liveRecord({}, userId));
    await assert.rejects(store.destroyByUser!(userId), isSessionStoreError);
  });

  it('rejects what is not a connect store, and bad options', () => {
    assert.throws(() => connectStore({} as ConnectStoreLike), InvalidOptionsError);
    assert.throws(() => connectStore(null as unknown as ConnectStoreLike), InvalidOptionsError);
    const memory = new session.MemoryStore();
    assert.throws(() => connectStore(memory, { commandTimeout: -1 }), InvalidOptionsError);
    assert.throws(() => connectStore(memory, { clock: 1 as never }), InvalidOptionsError);
  });
});
