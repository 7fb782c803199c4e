/**
 * The throttle's Redis backend (`tesserajs/auth/redis`) against a real Redis at
 * REDIS_URL, through ioredis, node-redis and a backend-made client: the shared backend
 * checks (S-53 with an injected clock, exact counts under concurrency, agreement with the
 * reference decision), the key layout, and outages of a private server (S-54: a stopped
 * Redis refuses sign-ins with 503, a restarted one is used again). Every run writes under
 * a random prefix and deletes its keys at the end.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import type { AttemptRule, AttemptStore } from '../../src/auth/throttle/contract.js';
import { type RedisAttempts, redisAttempts } from '../../src/auth/throttle/redis/index.js';
import { createThrottle } from '../../src/auth/throttle/throttle.js';
import { isSessionStoreError, isTesseraError } from '../../src/errors.js';
import { failureResponse } from '../../src/session/plan.js';
import * as attemptStoreChecks from '../support/attempt-store-checks.js';
import { PrivateRedis } from '../support/redis-server.js';
import {
  freePort,
  probeRedis,
  probeRedisServerBinary,
  REDIS_URL as url,
} from '../support/services.js';

const prefix = `tessera-test:${randomBytes(6).toString('base64url')}:`;

const skip = await probeRedis();
const io = new Redis(url, { lazyConnect: true });
io.on('error', () => {});
const nodeRedis = createClient({ url });
nodeRedis.on('error', () => {});
if (!skip) await Promise.all([io.connect(), nodeRedis.connect()]);

const owned: RedisAttempts[] = [];

after(async () => {
  if (!skip) {
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    for await (const keys of io.scanStream({ match: pattern, count: 500 })) {
      if ((keys as string[]).length > 0) await io.del(...(keys as string[]));
    }
    await nodeRedis.quit();
  }
  for (const store of owned) await store.close();
  io.disconnect();
});

const backends: Array<[string, () => AttemptStore]> = [
  ['ioredis client', () => redisAttempts({ client: io, prefix: `${prefix}io:` })],
  ['node-redis client', () => redisAttempts({ client: nodeRedis, prefix: `${prefix}nr:` })],
  [
    'url, backend-owned ioredis client',
    () => {
      const store = redisAttempts({ url, prefix: `${prefix}url:` });
      owned.push(store);
      return store;
    },
  ],
];

for (const [name, create] of backends) {
  describe(`redisAttempts (${name})`, { skip, timeout: 120_000 }, () => {
    let store: AttemptStore;
    before(() => {
      store = create();
    });

    it('S-53 trips after the free attempts, waits double, recovers (injected clock)', async () => {
      await attemptStoreChecks.assertBackoff(store);
    });

    it('S-53 success clears the account counter, not the address one', async () => {
      await attemptStoreChecks.assertSuccessClears(store);
    });

    it('S-53 100 consecutive failures lock until reset', async () => {
      await attemptStoreChecks.assertLockout(store);
    });

    it('S-53 the address allowance is a window of its own', async () => {
      await attemptStoreChecks.assertAddressWindow(store);
    });

    it('S-53 50 concurrent attempts are counted exactly', async () => {
      await attemptStoreChecks.assertAtomic(store);
    });

    it('agrees with the reference decision on random runs', async () => {
      await attemptStoreChecks.assertMatchesReference(store, 40);
    });
  });
}

const WINDOW: AttemptRule = {
  free: 3,
  baseDelayMs: 0,
  maxDelayMs: 0,
  limit: 3,
  windowMs: 60_000,
  sliding: false,
  hold: false,
};

describe('redisAttempts key layout', { skip, timeout: 60_000 }, () => {
  const own = `${prefix}layout:`;

  it('one hash per counter under the prefix, expiring with its window; a lockout persists', async () => {
    const store = redisAttempts({ client: io, prefix: own });
    const now = Date.UTC(2026, 0, 1);
    await store.admit('i:window', WINDOW, now);
    assert.deepEqual(await io.hgetall(`${own}i:window`), {
      c: '1',
      l: String(now),
      r: String(now + 60_000),
    });
    const ttl = await io.pttl(`${own}i:window`);
    assert.ok(ttl > 0 && ttl <= 60_000, `pttl ${ttl}`);
    const held: AttemptRule = { ...WINDOW, free: 1, limit: 1, hold: true };
    await store.admit('a:held', held, now);
    assert.equal(await io.hget(`${own}a:held`, 'r'), '-1');
    assert.equal(await io.pttl(`${own}a:held`), -1, 'no expiry: only reset unlocks');
    assert.deepEqual(await store.admit('a:held', held, now + 10 ** 10), {
      admitted: false,
      count: 1,
      retryAt: Number.POSITIVE_INFINITY,
    });
    await store.reset('a:held');
    assert.equal(await io.exists(`${own}a:held`), 0);
  });

  it('S-57 through a throttle, keys hold hashes, never the identifier or address', async () => {
    const layout = `${prefix}names:`;
    const throttle = createThrottle({ store: redisAttempts({ client: io, prefix: layout }) });
    await throttle.check({ account: 'alice@example.com', address: '203.0.113.9' });
    const keys = await io.keys(`${layout}*`);
    assert.equal(keys.length, 2);
    for (const key of keys) {
      assert.match(key.slice(layout.length), /^[ai]:[A-Za-z0-9_-]{43}$/);
      assert.ok(!/alice|203/.test(key));
    }
  });

  it('falls back to EVAL after SCRIPT FLUSH (NOSCRIPT)', async () => {
    const store = redisAttempts({ client: nodeRedis, prefix: own });
    const now = Date.UTC(2026, 0, 1);
    await store.admit('i:flush', WINDOW, now);
    await io.script('FLUSH');
    assert.equal((await store.admit('i:flush', WINDOW, now)).count, 2);
    await store.release('i:flush', now);
    assert.equal((await store.admit('i:flush', WINDOW, now)).count, 2);
  });

  it('refuses options it cannot work with', () => {
    for (const options of [
      {},
      { client: io, url },
      { client: {} },
      { url: '' },
      { url, prefix: 5 },
      { url, commandTimeout: 0 },
      { url, clientOptions: null },
    ]) {
      assert.throws(
        () => redisAttempts(options as never),
        (error: unknown) => isTesseraError(error) && error.code === 'INVALID_OPTIONS',
        JSON.stringify(Object.keys(options)),
      );
    }
  });
});

const noBinary = probeRedisServerBinary('the throttle outage tests');
const TIMEOUT = 500;

describe('redisAttempts outages (S-54)', { skip: noBinary, timeout: 60_000 }, () => {
  let server: PrivateRedis;
  let client: ReturnType<typeof createClient>;
  const stores: Array<[string, RedisAttempts]> = [];

  before(async () => {
    server = await PrivateRedis.onFreePort();
    const privateUrl = server.url;
    stores.push([
      'backend-owned ioredis',
      redisAttempts({
        url: privateUrl,
        commandTimeout: TIMEOUT,
        clientOptions: { retryStrategy: () => 100 },
      }),
    ]);
    client = createClient({ url: privateUrl, socket: { reconnectStrategy: () => 100 } });
    client.on('error', () => {});
    await client.connect();
    stores.push(['node-redis', redisAttempts({ client, commandTimeout: TIMEOUT })]);
  });

  after(async () => {
    for (const [, store] of stores) await store.close();
    client?.destroy();
    await server?.kill();
  });

  it('S-54 stopped Redis: sign-in is refused with 503; restarted: normal again', async () => {
    for (const [, store] of stores) {
      await createThrottle({ store }).check({ account: 'alice', address: '203.0.113.9' });
    }
    await server.kill();
    for (const [name, store] of stores) {
      const throttle = createThrottle({ store });
      for (const call of [
        () => throttle.check({ account: 'alice', address: '203.0.113.9' }),
        () => throttle.check({ account: 'alice' }),
        () => throttle.succeeded({ account: 'alice', address: '203.0.113.9' }),
      ]) {
        await assert.rejects(call(), (error: unknown) => {
          assert.ok(isSessionStoreError(error), `${name}: ${error}`);
          assert.equal(failureResponse(error).status, 503);
          return true;
        });
      }
    }
    await server.start();
    for (const [name, store] of stores) {
      const throttle = createThrottle({ store });
      await attemptStoreChecks.eventually(() => throttle.check({ account: 'bob' }), name);
      await throttle.check({ account: 'bob' });
    }
  });

  it('S-54 a client pointed at a closed port refuses within commandTimeout', async () => {
    const closed = redisAttempts({
      url: `redis://127.0.0.1:${await freePort()}`,
      commandTimeout: TIMEOUT,
      clientOptions: { retryStrategy: () => 100 },
    });
    try {
      const throttle = createThrottle({ store: closed });
      await assert.rejects(throttle.check({ account: 'alice' }), (error: unknown) => {
        assert.ok(isSessionStoreError(error));
        assert.match(error.message, /^throttle store admit (timed out|failed)/);
        return true;
      });
    } finally {
      await closed.close();
    }
  });
});
