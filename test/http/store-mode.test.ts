/**
 * Store-mode guarantees over real HTTP: no lost updates between concurrent requests,
 * hashed store keys (S-02), hostile stored data (S-33), and store outages answered with
 * 503 + Retry-After and nothing written half-way.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { nodeSessions } from '../../src/adapters/node/index.js';
import { SessionStoreError } from '../../src/errors.js';
import type { SessionRecord, SessionStore } from '../../src/stores/contract.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { startApp } from '../support/app.js';
import { CookieJar, firstCookie, newSecret, send, startServer } from '../support/http.js';

/** The store key of a signed cookie value: SHA-256 of its id part (S-02). */
function storeKeyOf(cookieValue: string): string {
  return createHash('sha256').update(cookieValue.split('.')[0]!).digest('base64url');
}

/**
 * The test app on a fresh memory store, recording event types (rejections by reason);
 * both are closed when test `t` ends, pass or fail.
 */
async function startWithEvents(t: TestContext, options: { maxDataBytes?: number }) {
  const store = new MemoryStore();
  t.after(() => store.close());
  const events: string[] = [];
  const app = await startApp({
    secrets: [newSecret()],
    store,
    cookie: { secure: false },
    ...options,
    onEvent: (e) => events.push(e.type === 'session.rejected' ? e.reason : e.type),
  });
  t.after(() => app.close());
  return { store, app, events };
}

describe('store mode', { timeout: 60_000 }, () => {
  it('concurrent requests changing different keys both persist (no lost update)', async (t) => {
    const store = new MemoryStore();
    t.after(() => store.close());
    const app = await startApp({ secrets: [newSecret()], store, cookie: { secure: false } });
    t.after(() => app.close());
    const jar = new CookieJar();
    await jar.send(`${app.url}/inc?key=seed`);
    const cookie = jar.header()!;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(`${app.url}/inc?key=k${i}`, { cookie })),
    );
    const data = JSON.parse((await send(`${app.url}/read`, { cookie })).body).data;
    for (let i = 0; i < 20; i++) assert.equal(data[`k${i}`], 1, `k${i}`);
    assert.equal(data.seed, 1);
  });

  it('S-02 the store key is SHA-256 of the id; no stored key or value equals the cookie', async (t) => {
    const records = new Map<string, SessionRecord>();
    const store = new MemoryStore();
    t.after(() => store.close());
    const spy: SessionStore = {
      get: (k) => store.get(k),
      set: (k, r) => {
        records.set(k, r);
        return store.set(k, r);
      },
      patch: (k, p) => store.patch(k, p),
      touch: (k, e) => store.touch(k, e),
      destroy: (k) => store.destroy(k),
    };
    const app = await startApp({ secrets: [newSecret()], store: spy, cookie: { secure: false } });
    t.after(() => app.close());
    const res = await send(`${app.url}/login?user=alice%40example.com`);
    const { value } = firstCookie(res.setCookie);
    const id = value.split('.')[0]!;
    assert.match(id, /^[A-Za-z0-9_-]{43}$/, 'S-01 43-char base64url id');
    const [key, record] = [...records][0]!;
    assert.equal(key, createHash('sha256').update(id).digest('base64url'));
    assert.notEqual(key, value);
    assert.ok(!JSON.stringify(record).includes(id));
    assert.ok(!value.includes('alice'), 'no user data in the cookie');
  });

  it('S-33 a hostile stored record cannot pollute prototypes and reads safely', async (t) => {
    const store = new MemoryStore();
    t.after(() => store.close());
    const app = await startApp({ secrets: [newSecret()], store, cookie: { secure: false } });
    t.after(() => app.close());
    const res = await send(`${app.url}/inc`);
    const { value } = firstCookie(res.setCookie);
    const key = storeKeyOf(value);
    const now = Date.now();
    await store.set(key, {
      // JSON.parse makes `__proto__` an own key, as a store driver would.
      data: JSON.parse(
        JSON.stringify({
          __proto__x: '{"isAdmin":true}',
          constructor: '{"prototype":{"polluted":1}}',
          a: '{"__proto__":{"x":1},"b":{"constructor":{"prototype":{"polluted":1}}}}',
        }).replace('__proto__x', '__proto__'),
      ),
      createdAt: now,
      expiresAt: now + 60_000,
      absoluteExpiresAt: now + 120_000,
      userId: null,
    } as unknown as SessionRecord);
    const read = await send(`${app.url}/read`, { cookie: `sid=${value}` });
    const body = JSON.parse(read.body);
    assert.equal(read.status, 200);
    // Prototype-reaching keys are dropped at every depth; what is left is plain data.
    assert.deepEqual(body.data, { a: { b: {} } });
    // The app runs in this process, so pollution by the server's decoding would show here.
    const reached = ['polluted', 'isAdmin', 'x'].filter((name) =>
      Object.hasOwn(Object.prototype, name),
    );
    assert.deepEqual(reached, []);
  });

  it('corrupt stored data (not JSON) is a guest with a corrupt event, never a 5xx', async (t) => {
    const { store, app, events } = await startWithEvents(t, {});
    const { value } = firstCookie((await send(`${app.url}/inc`)).setCookie);
    const key = storeKeyOf(value);
    const now = Date.now();
    await store.set(key, {
      data: { count: '{not json' },
      createdAt: now,
      expiresAt: now + 9e5,
      absoluteExpiresAt: now + 9e5,
      userId: null,
    });
    const res = await send(`${app.url}/read`, { cookie: `sid=${value}` });
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(res.body).isNew, true);
    assert.ok(events.includes('corrupt'));
  });
});

/** A store whose backend is "down" on demand (simulated fault: for real outages see the Redis and PostgreSQL store tests). */
class SwitchableStore implements SessionStore {
  readonly inner = new MemoryStore();
  down = false;
  #check(op: string): void {
    if (this.down)
      throw new SessionStoreError(op, { message: `store ${op} failed: connection refused` });
  }
  async get(k: string) {
    this.#check('get');
    return this.inner.get(k);
  }
  async set(k: string, r: SessionRecord) {
    this.#check('set');
    return this.inner.set(k, r);
  }
  async patch(k: string, p: Parameters<SessionStore['patch']>[1]) {
    this.#check('patch');
    return this.inner.patch(k, p);
  }
  async touch(k: string, e: number) {
    this.#check('touch');
    return this.inner.touch(k, e);
  }
  async destroy(k: string) {
    this.#check('destroy');
    return this.inner.destroy(k);
  }
}

describe('store mode: outage (simulated store fault)', { timeout: 60_000 }, () => {
  it('answers 503 with Retry-After on load and on write, writes no cookie, and recovers', async (t) => {
    const store = new SwitchableStore();
    t.after(() => store.inner.close());
    const app = await startApp({ secrets: [newSecret()], store, cookie: { secure: false } });
    t.after(() => app.close());
    const jar = new CookieJar();
    await jar.send(`${app.url}/inc`);
    store.down = true;
    const onLoad = await jar.send(`${app.url}/read`);
    assert.equal(onLoad.status, 503);
    assert.equal(onLoad.headers['retry-after'], '5');
    assert.equal(onLoad.body, 'Service Unavailable');
    const fresh = await send(`${app.url}/inc`);
    assert.equal(fresh.status, 503, 'creating a session needs the store too');
    assert.deepEqual(fresh.setCookie, [], 'no cookie for a session that was not stored');
    const noCookie = await send(`${app.url}/read`);
    assert.equal(
      noCookie.status,
      200,
      'a request without a session cookie never touches the store',
    );
    store.down = false;
    const back = await jar.send(`${app.url}/inc`);
    assert.equal(back.status, 200);
    assert.equal(JSON.parse(back.body).data.count, 2);
    assert.equal(app.errors.length, 2);
  });
});

describe('store mode: S-33 record size bound', { timeout: 60_000 }, () => {
  it('refuses to store more than maxDataBytes (500, nothing written) and treats larger stored records as corrupt', async (t) => {
    const { store, app, events } = await startWithEvents(t, { maxDataBytes: 1000 });
    const tooBig = await send(`${app.url}/big?n=2000`);
    assert.equal(tooBig.status, 500);
    assert.deepEqual(tooBig.setCookie, []);
    assert.equal(store.stats.size, 0);
    assert.equal((app.errors[0] as { code?: string }).code, 'INVALID_SESSION_DATA');

    const ok = await send(`${app.url}/big?n=500`);
    const { value } = firstCookie(ok.setCookie);
    const key = storeKeyOf(value);
    const now = Date.now();
    await store.set(key, {
      data: { big: JSON.stringify('x'.repeat(5000)) },
      createdAt: now,
      expiresAt: now + 9e5,
      absoluteExpiresAt: now + 9e5,
      userId: null,
    });
    const read = await send(`${app.url}/read`, { cookie: `sid=${value}` });
    assert.equal(JSON.parse(read.body).isNew, true);
    assert.ok(events.includes('corrupt'));
  });
});

/**
 * Two requests that each stay within maxDataBytes but together cross it: both load the
 * session before either commits (a barrier holds the first until the second arrives).
 */
async function concurrentGrowth(t: TestContext, store: SessionStore): Promise<void> {
  const errors: unknown[] = [];
  const sessions = nodeSessions<Record<string, unknown>>({
    secrets: [newSecret()],
    store,
    cookie: { secure: false },
    maxDataBytes: 1000,
    onError: (error) => errors.push(error),
  });
  let arrived = 0;
  let release: () => void = () => {};
  const barrier = new Promise<void>((resolve) => (release = resolve));
  const server = await startServer(
    sessions.handle(async (req, res, session) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const key = url.searchParams.get('key');
      if (key !== null) {
        arrived += 1;
        if (arrived === 2) release();
        await barrier;
        session.data[key] = 'x'.repeat(600);
      } else {
        session.data.seed = 1;
      }
      res.end(JSON.stringify({ keys: Object.keys(session.data).sort() }));
    }),
  );
  t.after(() => server.close());
  const jar = new CookieJar();
  await jar.send(`${server.url}/`);
  const cookie = jar.header()!;
  const [a, b] = await Promise.all([
    send(`${server.url}/?key=a`, { cookie }),
    send(`${server.url}/?key=b`, { cookie }),
  ]);
  // Each saw seed plus its own 600 bytes; together they would be above 1000.
  assert.deepEqual([a.status, b.status].sort(), [200, 500]);
  assert.equal((a.status === 500 ? a : b).body, 'Internal Server Error', 'a bare 500');
  assert.equal(errors.length, 1);
  assert.equal((errors[0] as { code?: unknown }).code, 'INVALID_SESSION_DATA');
  // The session goes on with what was acknowledged; before the fix it ended here (the
  // record above the limit was read as corrupt).
  const read = await send(`${server.url}/`, { cookie });
  assert.equal(read.status, 200);
  const winner = a.status === 200 ? 'a' : 'b';
  assert.deepEqual(JSON.parse(read.body).keys, [winner, 'seed']);
}

describe('store mode: maxDataBytes holds for the stored record', { timeout: 60_000 }, () => {
  it('memory store: of two concurrent growths crossing the limit, one is refused (500)', async (t) => {
    const store = new MemoryStore();
    t.after(() => store.close());
    await concurrentGrowth(t, store);
  });

  it('sqlite store: of two concurrent growths crossing the limit, one is refused (500)', async (t) => {
    const file = join(tmpdir(), `tessera-growth-${randomBytes(6).toString('hex')}.db`);
    t.after(() => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    });
    const store = sqliteStore({ filename: file, pruneInterval: 0 });
    t.after(() => store.close());
    await concurrentGrowth(t, store);
  });
});
