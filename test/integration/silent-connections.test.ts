/**
 * Silent (half-open) connections: a TCP proxy (tcp-proxy.ts) in front of the shared Redis
 * and PostgreSQL blackholes the connections the store has open — they stay open, nothing
 * comes back, the way a NAT or load balancer that lost its state behaves — while new
 * connections go through. The store must answer 503 for a bounded time and then serve
 * again on a fresh connection, without a restart; and a Redis write answered 503 must not
 * be re-sent by the driver on the new connection.
 *
 * Recovery is awaited with a bounded number of attempts; how long it took is reported as
 * a diagnostic, never asserted.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { isSessionStoreError } from '../../src/errors.js';
import { type PostgresStore, postgresStore } from '../../src/stores/postgres/index.js';
import { type RedisStore, redisStore } from '../../src/stores/redis/index.js';
import { liveRecord, randomStoreKey } from '../../src/testing/index.js';
import { startApp, type TestApp } from '../support/app.js';
import { CookieJar, newSecret, type TestResponse } from '../support/http.js';
import {
  DATABASE_URL,
  freePort,
  probePostgres,
  probeRedis,
  REDIS_URL,
} from '../support/services.js';
import { TcpProxy } from './tcp-proxy.js';

const TIMEOUT = 500;
/** Ceiling on requests while waiting for recovery (each failing one costs <= TIMEOUT). */
const MAX_ATTEMPTS = 40;
const run = randomBytes(6).toString('hex');

function data(response: TestResponse): { isNew: boolean; data: Record<string, unknown> } {
  assert.equal(response.status, 200, response.body);
  return JSON.parse(response.body);
}

/** A proxy on a free port in front of `url`'s host:port, and `url` rewritten to use it. */
async function proxyFor(url: string, defaultPort: number): Promise<[TcpProxy, string]> {
  const target = new URL(url);
  const proxy = new TcpProxy(await freePort(), {
    host: target.hostname,
    port: Number(target.port || defaultPort),
  });
  await proxy.start();
  target.hostname = '127.0.0.1';
  target.port = String(proxy.port);
  return [proxy, target.href];
}

/**
 * Blackholes the store's connections, then reads the session until it is served again:
 * every failure must be the fail-closed 503, and there must be at least one (the
 * blackhole took effect) and a success within MAX_ATTEMPTS.
 */
async function blackholeAndRecover(
  app: TestApp,
  proxy: TcpProxy,
  jar: CookieJar,
): Promise<{ failures: number; ms: number }> {
  const started = Date.now();
  proxy.blackholeExisting();
  let failures = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const response = await jar.send(`${app.url}/read`);
    if (response.status === 200) {
      assert.ok(failures > 0, 'the blackholed connection failed at least one request');
      return { failures, ms: Date.now() - started };
    }
    assert.equal(response.status, 503, `attempt ${attempt}: fail closed`);
    assert.deepEqual(response.setCookie, [], 'a 503 sets no cookie');
    failures++;
  }
  assert.fail(`no recovery after ${failures} requests answered 503 (${Date.now() - started} ms)`);
}

const redisSkip = await probeRedis();
const postgresSkip = await probePostgres();

describe('silent connections (blackholed by a TCP proxy)', { timeout: 120_000 }, () => {
  describe('Redis', { skip: redisSkip }, () => {
    const prefix = `tessera-it-silent-${run}:`;
    let proxy: TcpProxy;
    let url: string;
    let admin: Redis;
    const stores: RedisStore[] = [];
    const apps: TestApp[] = [];

    before(async () => {
      [proxy, url] = await proxyFor(REDIS_URL, 6379);
      admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    });

    after(async () => {
      for (const app of apps) await app.close();
      for (const store of stores) await store.close();
      await proxy?.stop();
      const keys = await admin?.keys(`${prefix}*`);
      if (keys?.length) await admin.del(...keys);
      admin?.disconnect();
    });

    it('the store-created client answers 503, then recovers on a new connection by itself', async (t) => {
      const store = redisStore({ url, prefix, commandTimeout: TIMEOUT });
      stores.push(store);
      const app = await startApp({ secrets: [newSecret()], store, cookie: { secure: false } });
      apps.push(app);
      const jar = new CookieJar();
      assert.equal(data(await jar.send(`${app.url}/inc`)).data.count, 1);
      const accepted = proxy.accepted;

      const { failures, ms } = await blackholeAndRecover(app, proxy, jar);
      t.diagnostic(`Redis: ${failures} requests answered 503, served again after ${ms} ms`);
      assert.ok(proxy.accepted > accepted, 'served on a new connection');
      for (const error of app.errors) assert.ok(isSessionStoreError(error), String(error));
      assert.deepEqual(data(await jar.send(`${app.url}/read`)).data, { count: 1 });
      assert.equal(data(await jar.send(`${app.url}/inc`)).data.count, 2);
    });

    it('writes answered 503 on a blackholed connection are never re-sent on the new one', async (t) => {
      // socketTimeout is given explicitly so that this test isolates re-sending from
      // recovery; retryStrategy delays the reconnect past the deadline, so the second
      // wave is issued while the client is reconnecting or still on the dead socket.
      const store = redisStore({
        url,
        prefix,
        commandTimeout: TIMEOUT,
        clientOptions: { socketTimeout: TIMEOUT, retryStrategy: () => TIMEOUT * 2 },
      });
      stores.push(store);
      const warm = randomStoreKey();
      await store.set(warm, liveRecord());

      proxy.blackholeExisting();
      const dropped = proxy.dropped;
      const keys: string[] = [];
      const outcomes: Array<'rejected' | 'resolved'> = [];
      const write = async (): Promise<void> => {
        const key = randomStoreKey();
        keys.push(key);
        const i = outcomes.push('resolved') - 1;
        await store.set(key, liveRecord({ wave: '1' })).catch((error: unknown) => {
          assert.ok(isSessionStoreError(error), String(error));
          outcomes[i] = 'rejected';
        });
      };
      // Wave 1: ten writes onto the blackholed connection at once.
      await Promise.all(Array.from({ length: 10 }, write));
      // Wave 2: ten more, one after another, while the client is between connections.
      for (let i = 0; i < 10; i++) await write();

      // Recovery: the first successful read runs after anything the client re-sent on
      // the new connection (one connection executes in order).
      let attempts = 0;
      for (;;) {
        attempts++;
        const back = await store.get(warm).catch(() => undefined);
        if (back !== undefined) break;
        assert.ok(attempts < MAX_ATTEMPTS, 'the store recovered');
      }
      const rejected = keys.filter((_, i) => outcomes[i] === 'rejected');
      const applied: string[] = [];
      for (const key of keys) {
        if ((await admin.exists(`${prefix}s:${key}`)) === 1) applied.push(key);
      }
      const rejectedButApplied = rejected.filter((key) => applied.includes(key));
      t.diagnostic(
        `${rejected.length} of ${keys.length} writes rejected; ${rejectedButApplied.length} of those applied; ` +
          `${proxy.dropped - dropped} bytes dropped by the blackhole`,
      );
      assert.ok(
        proxy.dropped > dropped,
        'the blackhole swallowed what was sent on the old connection',
      );
      assert.ok(rejected.length > 0, 'writes on the blackholed connection were rejected');
      // Every write that resolved is there; none that was rejected is.
      for (const [i, key] of keys.entries()) {
        if (outcomes[i] === 'resolved') assert.ok(applied.includes(key), `resolved write ${i}`);
      }
      assert.deepEqual(rejectedButApplied, [], 'no write answered 503 was applied later');
    });
  });

  describe('PostgreSQL', { skip: postgresSkip }, () => {
    const schema = `tessera_it_silent_${run}`;
    let proxy: TcpProxy;
    let admin: pg.Pool;
    let store: PostgresStore;
    let app: TestApp;

    before(async () => {
      admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
      admin.on('error', () => {});
      await admin.query(`CREATE SCHEMA ${schema}`);
      let url: string;
      [proxy, url] = await proxyFor(DATABASE_URL, 5432);
      store = postgresStore({
        connectionString: url,
        // A small pool, all of it blackholed below: nothing left to serve from but new
        // connections, which must replace the dead ones.
        poolOptions: { max: 3 },
        tableName: `${schema}.sessions`,
        queryTimeout: TIMEOUT,
        pruneInterval: 0,
      });
      await store.ready();
      app = await startApp({ secrets: [newSecret()], store, cookie: { secure: false } });
    });

    after(async () => {
      await app?.close();
      // The proxy goes first: it ends the blackholed connections, which a pool that failed
      // to let them go still holds checked out, and close() would wait for them forever.
      await proxy?.stop();
      await store?.close();
      await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin?.end();
    });

    it('the store-opened pool answers 503, then recovers on new connections by itself', async (t) => {
      const jar = new CookieJar();
      assert.equal(data(await jar.send(`${app.url}/inc`)).data.count, 1);
      // Fill the pool: concurrent reads make it open all three connections.
      await Promise.all(Array.from({ length: 30 }, () => store.get(randomStoreKey())));
      assert.ok(proxy.open >= 3, `the pool holds ${proxy.open} connections`);
      const accepted = proxy.accepted;

      const { failures, ms } = await blackholeAndRecover(app, proxy, jar);
      t.diagnostic(`PostgreSQL: ${failures} requests answered 503, served again after ${ms} ms`);
      assert.ok(proxy.accepted > accepted, 'served on a new connection');
      for (const error of app.errors) assert.ok(isSessionStoreError(error), String(error));
      assert.deepEqual(data(await jar.send(`${app.url}/read`)).data, { count: 1 });
      assert.equal(data(await jar.send(`${app.url}/inc`)).data.count, 2);
    });
  });
});
