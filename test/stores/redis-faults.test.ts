/**
 * S-55 for the Redis store, for real: a private `redis-server` child on a free port is
 * paused, killed and restarted under a live store. Operations must fail with
 * SessionStoreError (never hang, never crash the process) and recover by themselves.
 * The child never outlives this file: it is killed in `after` and on process exit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { isSessionStoreError, SessionStoreError } from '../../src/errors.js';
import type { SessionStore } from '../../src/stores/contract.js';
import { redisStore } from '../../src/stores/redis/index.js';
import { liveRecord, randomStoreKey } from '../../src/testing/index.js';
import { PrivateRedis } from '../support/redis-server.js';
import { probeRedisServerBinary } from '../support/services.js';

const TIMEOUT = 500;

/** Retries `operation` until it succeeds: the store must come back without help. */
async function eventually<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt > 100) throw error;
      await sleep(100);
    }
  }
}

const skip = probeRedisServerBinary('the Redis fault tests');

describe('redis store under faults', { skip, timeout: 60_000 }, () => {
  let server: PrivateRedis;
  let port: number;
  let nodeRedis: ReturnType<typeof createClient>;
  const stores: Array<[string, SessionStore]> = [];

  before(async () => {
    server = await PrivateRedis.onFreePort();
    port = server.port;
    const url = server.url;
    stores.push([
      'store-owned ioredis',
      redisStore({ url, commandTimeout: TIMEOUT, clientOptions: { retryStrategy: () => 100 } }),
    ]);
    nodeRedis = createClient({ url, socket: { reconnectStrategy: () => 100 } });
    nodeRedis.on('error', () => {});
    await nodeRedis.connect();
    stores.push(['node-redis', redisStore({ client: nodeRedis, commandTimeout: TIMEOUT })]);
  });

  after(async () => {
    for (const [, store] of stores) await store.close?.();
    nodeRedis?.destroy();
    await server?.kill();
  });

  it('S-55 a paused server yields SessionStoreError after commandTimeout, not a hang', async (t) => {
    const admin = new Redis(port, '127.0.0.1');
    t.after(() => admin.disconnect());
    // The pause holds every connection, the admin's too, so it is left to end by itself.
    await admin.call('CLIENT', 'PAUSE', String(TIMEOUT * 3), 'ALL');
    admin.disconnect();
    for (const [name, store] of stores) {
      const error = await store.get(randomStoreKey()).then(
        () => assert.fail(`${name}: get should reject`),
        (e: unknown) => e,
      );
      assert.ok(error instanceof SessionStoreError, name);
      assert.equal(error.operation, 'get');
      assert.match(error.message, /timed out/);
    }
  });

  it('patch falls back to EVAL after SCRIPT FLUSH (NOSCRIPT)', async (t) => {
    for (const [name, store] of stores) {
      const key = randomStoreKey();
      const record = liveRecord({ a: '1' });
      await eventually(() => store.set(key, record));
      const admin = new Redis(port, '127.0.0.1');
      t.after(() => admin.disconnect());
      await admin.script('FLUSH');
      admin.disconnect();
      const ok = await store.patch(key, {
        set: { b: '2' },
        remove: [],
        expiresAt: record.expiresAt,
      });
      assert.equal(ok, true, name);
      assert.deepStrictEqual((await store.get(key))?.data, { a: '1', b: '2' }, name);
    }
  });

  it('S-55 a killed server yields SessionStoreError; a restarted one is used again', async () => {
    const before = new Map<string, string>();
    for (const [name, store] of stores) {
      const key = randomStoreKey();
      await store.set(key, liveRecord({ who: JSON.stringify(name) }));
      before.set(name, key);
    }
    await server.kill();
    for (const [name, store] of stores) {
      for (const operation of [
        () => store.get(randomStoreKey()),
        () => store.set(randomStoreKey(), liveRecord()),
        () => store.patch(randomStoreKey(), { set: {}, remove: [], expiresAt: Date.now() + 1000 }),
        () => store.destroy(randomStoreKey()),
        () => store.listByUser!('someone'),
      ]) {
        await assert.rejects(operation(), (e: unknown) => isSessionStoreError(e), name);
      }
    }
    await server.start();
    for (const [name, store] of stores) {
      // The restarted server kept nothing (no persistence): the old session is gone,
      // and a new one round-trips through the reconnected client.
      assert.equal(await eventually(() => store.get(before.get(name)!)), null, name);
      const key = randomStoreKey();
      await store.set(key, liveRecord({ back: 'true' }));
      assert.deepStrictEqual((await store.get(key))?.data, { back: 'true' }, name);
      const patched = await store.patch(key, {
        set: { n: '1' },
        remove: [],
        expiresAt: Date.now() + 60_000,
      });
      assert.equal(patched, true, `${name}: scripts are reloaded after the restart`);
    }
  });
});
