/**
 * S-55 over real HTTP with a real Redis outage: the test app runs in this process over
 * `redisStore({ url, commandTimeout: 500 })` (the store's own ioredis client, default
 * reconnection) pointed at a private `redis-server` child that is frozen (SIGSTOP),
 * write-paused (CLIENT PAUSE WRITE), killed and restarted. Requests that need the store
 * fail closed with 503 + Retry-After and no session cookie; requests that do not need it
 * are unaffected; the process never sees an unhandled rejection; service comes back by
 * itself when Redis does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isSessionStoreError } from '../../src/errors.js';
import { type RedisStore, redisStore } from '../../src/stores/redis/index.js';
import { startApp, type TestApp } from '../support/app.js';
import { CookieJar, newSecret, send, type TestResponse } from '../support/http.js';
import { PrivateRedis } from '../support/redis-server.js';
import { freePort, probeRedisServerBinary, waitUntil } from '../support/services.js';

const COMMAND_TIMEOUT = 500;
/** Bound on waiting for recovery; only a ceiling, nothing asserts how fast it was. */
const RECOVERY_DEADLINE = 15_000;

/** The fail-closed answer: 503, Retry-After, a fixed body, no cookie, no stack trace. */
function assertUnavailable(response: TestResponse, what: string): void {
  assert.equal(response.status, 503, what);
  assert.equal(response.headers['retry-after'], '5', what);
  assert.equal(response.body, 'Service Unavailable', what);
  assert.doesNotMatch(response.body, /\bat |Error|redis|ECONN|timed out/i, what);
  assert.deepEqual(response.setCookie, [], `${what}: no Set-Cookie`);
  assert.equal(response.headers['cache-control'], 'no-store', what);
}

function data(response: TestResponse): { isNew: boolean; data: Record<string, unknown> } {
  assert.equal(response.status, 200, response.body);
  return JSON.parse(response.body);
}

const skip = probeRedisServerBinary();

describe('Redis outage over HTTP (private redis-server)', { skip, timeout: 60_000 }, () => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  let redis: PrivateRedis;
  let store: RedisStore;
  let app: TestApp;

  before(async () => {
    process.on('unhandledRejection', onRejection);
    redis = new PrivateRedis(await freePort());
    await redis.start();
    store = redisStore({ url: redis.url, commandTimeout: COMMAND_TIMEOUT });
    app = await startApp({ secrets: [newSecret()], store, cookie: { secure: false } });
  });

  after(async () => {
    process.off('unhandledRejection', onRejection);
    redis?.resume();
    await app?.close();
    await store?.close();
    await redis?.kill();
  });

  it('S-55 a frozen server (SIGSTOP): 503 + Retry-After, guests unaffected; after SIGCONT the session is intact', async () => {
    const jar = new CookieJar();
    assert.equal(data(await jar.send(`${app.url}/inc`)).data.count, 1);
    redis.pause();
    try {
      // The load's read times out, so the handler never runs and nothing is written.
      assertUnavailable(await jar.send(`${app.url}/inc`), 'write with a session cookie');
      assertUnavailable(await jar.send(`${app.url}/read`), 'read with a session cookie');
      assertUnavailable(await send(`${app.url}/inc`), 'creating a session');
      const guest = await send(`${app.url}/read`);
      assert.equal(data(guest).isNew, true, 'no cookie: served as a guest without the store');
      assert.deepEqual(guest.setCookie, []);
    } finally {
      redis.resume();
    }
    await waitUntil(
      async () => (await jar.send(`${app.url}/read`)).status === 200,
      RECOVERY_DEADLINE,
      'reads after SIGCONT',
    );
    const back = data(await jar.send(`${app.url}/read`));
    assert.equal(back.isNew, false, 'the session was not revoked by the outage');
    assert.deepEqual(back.data, { count: 1 }, 'the request that got 503 changed nothing');
    assert.equal(data(await jar.send(`${app.url}/inc`)).data.count, 2);
  });

  it('S-55 a write stalled after its read (CLIENT PAUSE WRITE): 503, and Redis may apply it later', async (t) => {
    const jar = new CookieJar();
    data(await jar.send(`${app.url}/inc`));
    const admin = redis.admin();
    t.after(() => admin.disconnect());
    // Reads go on, scripts (the store's patch) wait: load succeeds, the commit times out.
    await admin.call('CLIENT', 'PAUSE', String(COMMAND_TIMEOUT * 4), 'WRITE');
    admin.disconnect();
    assertUnavailable(await jar.send(`${app.url}/inc`), 'a write that timed out');
    // The store's socket timeout replaces the connection the paused write holds, so reads
    // may be served again while writes still wait: a write of our own on a fresh
    // connection returns only once the pause is over.
    const barrier = redis.admin();
    t.after(() => barrier.disconnect());
    await barrier.set('tessera-pause-barrier', '1');
    barrier.disconnect();
    await waitUntil(
      async () => (await jar.send(`${app.url}/read`)).status === 200,
      RECOVERY_DEADLINE,
      'reads after the pause',
    );
    const { count } = data(await jar.send(`${app.url}/read`)).data;
    // The timed-out patch was already sent: Redis may run it when the pause ends (unless
    // the client closed that connection first), so the outcome of a 503 write is unknown
    // to the client (as with any network failure), never half-applied (patches are
    // atomic scripts).
    assert.ok(count === 1 || count === 2, `count is the old or the new value, got ${count}`);
    t.diagnostic(`after the pause the 503 write ${count === 2 ? 'was' : 'was not'} applied`);
    assert.equal(data(await jar.send(`${app.url}/inc`)).data.count, (count as number) + 1);
  });

  it('S-55 a killed server: 503 + Retry-After, no cookie for new sessions; a restart recovers by itself', async () => {
    const jar = new CookieJar();
    data(await jar.send(`${app.url}/set?k=who&v=${encodeURIComponent('"before"')}`));
    // Sent as is from here on: a jar would drop the cookie if a response expired it.
    const cookie = jar.header()!;
    const errorsBefore = app.errors.length;
    await redis.kill();
    assertUnavailable(await send(`${app.url}/read`, { cookie }), 'read with a session cookie');
    assertUnavailable(await send(`${app.url}/inc`, { cookie }), 'write with a session cookie');
    const signOut = await send(`${app.url}/destroy`, { cookie });
    assert.equal(signOut.status, 503, 'sign-out never reports success while the record may live');
    assertUnavailable(await send(`${app.url}/inc`), 'creating a session');
    assertUnavailable(await send(`${app.url}/login?user=alice`), 'signing in');
    const guest = await send(`${app.url}/read`);
    assert.equal(data(guest).isNew, true, 'no cookie: served without touching the store');
    assert.deepEqual(guest.setCookie, []);
    // A forged cookie fails its signature before any store call: a guest, not a 503.
    const forged = await send(`${app.url}/read`, { cookie: `sid=${'A'.repeat(43)}.forged` });
    assert.equal(data(forged).isNew, true, 'a forged cookie never reaches the store');
    assert.ok(app.errors.length > errorsBefore);
    for (const error of app.errors) {
      assert.ok(isSessionStoreError(error), 'only store errors were reported');
      assert.doesNotMatch((error as Error).message, /sid=|[A-Za-z0-9_-]{43}\./);
    }

    await redis.start();
    await waitUntil(
      async () => (await send(`${app.url}/read`, { cookie })).status === 200,
      RECOVERY_DEADLINE,
      'reads after the restart',
    );
    // The private server persists nothing: the old session is gone, so its cookie is a
    // guest now (an unknown id, never a 5xx and never adopted).
    const old = data(await send(`${app.url}/read`, { cookie }));
    assert.equal(old.isNew, true);
    assert.deepEqual(old.data, {});
    const fresh = new CookieJar();
    const created = await fresh.send(`${app.url}/inc`);
    assert.equal(data(created).data.count, 1);
    assert.equal(created.setCookie.length, 1);
    assert.equal(data(await fresh.send(`${app.url}/inc`)).data.count, 2);
  });

  it('S-55 the process survived every outage without an unhandled rejection', async () => {
    // Late failures of abandoned commands settle after their requests were answered.
    await new Promise((resolve) => setTimeout(resolve, COMMAND_TIMEOUT * 2));
    assert.deepEqual(rejections, []);
    assert.equal(data(await send(`${app.url}/read`)).isNew, true);
  });
});
