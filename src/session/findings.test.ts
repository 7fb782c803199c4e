/**
 * Reproduced findings, each with the check that fails on the code before its fix: the
 * verified cache keyed by name and value, real times on new sessions, JSON-only data,
 * store validation and start-up checks, express-session spellings, and the behaviours a
 * mutation run showed unprotected (expired records deleted on load, persistent cookies
 * re-sent on touch, isChanged after regenerate).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hashSessionId } from '../crypto/sign.js';
import { MemoryStore } from '../stores/memory/index.js';
import { sqliteStore } from '../stores/sqlite/index.js';
import { SessionEngine } from './engine.js';
import { failureResponse, responsePlan } from './plan.js';

type Data = Record<string, unknown>;
const secret = (): string => randomBytes(32).toString('base64url');
const MINUTE = 60_000;

async function load(engine: SessionEngine<Data>, cookie?: string, secure = false) {
  return engine.load({ cookieHeader: cookie, secure });
}

function cookieOf(lines: readonly string[]): string {
  return lines[0]!.split(';')[0]!;
}

for (const mode of ['cookie', 'store'] as const) {
  describe(`${mode} mode findings`, { timeout: 60_000 }, () => {
    const engineWith = (extra: object = {}) =>
      new SessionEngine<Data>({
        secrets: [secret()],
        ...(mode === 'store' ? { store: new MemoryStore() } : {}),
        ...extra,
      });

    it('a value verified under one cookie name is not accepted under the other (cache keyed by name)', async () => {
      const engine = engineWith({ cookie: { secure: 'auto' } });
      const session = await load(engine);
      session.data.a = 1;
      const plan = engine.commit(session);
      await plan.pending;
      const { 0: pair } = plan.setCookie[0]!.split(';');
      const value = pair!.slice(pair!.indexOf('=') + 1);
      // Twice: the cache keeps a cookie from its second verification on.
      for (let i = 0; i < 2; i++) {
        assert.equal((await load(engine, `sid=${value}`)).isNew, false, 'verified as sid');
      }
      assert.equal(engine.verifiedCacheStats().entries, 1, 'cached as sid');
      const renamed = await load(engine, `__Host-sid=${value}`, true);
      assert.equal(renamed.isNew, true, 'the seal/MAC binds the name: refused as __Host-sid');
    });

    it('a new session reports real createdAt and expiresAt before its first commit', async () => {
      let now = Date.UTC(2026, 5, 1);
      const engine = engineWith({
        clock: () => now,
        idleTimeout: 10 * MINUTE,
        absoluteTimeout: 60 * MINUTE,
      });
      const session = await load(engine);
      assert.equal(session.createdAt, now);
      assert.equal(session.expiresAt, now + 10 * MINUTE);
      assert.equal(session.absoluteExpiresAt, now + 60 * MINUTE);
      session.data.a = 1;
      now += 1000;
      await engine.commit(session).pending;
      assert.equal(session.expiresAt, now + 10 * MINUTE, 'commit moves the idle expiry to now');
    });

    it('non-JSON values are refused at commit, naming the key and the path', async () => {
      const cases: [string, unknown, RegExp][] = [
        ['at', new Date(0), /"at" holds a Date/],
        ['m', new Map([[1, 2]]), /"m" holds a Map/],
        ['n', Number.NaN, /"n" holds NaN/],
        ['f', () => 1, /"f" holds a function/],
        ['deep', { list: [{ when: new Date(0) }] }, /at deep\.list\[0\]\.when/],
        ['big', 10n, /"big" cannot be serialized/],
      ];
      for (const [key, value, message] of cases) {
        const engine = engineWith();
        const session = await load(engine);
        session.data[key] = value;
        assert.throws(() => engine.commit(session), { code: 'INVALID_SESSION_DATA', message }, key);
      }
    });

    it('reserved tessera: keys cannot be used by the application', async () => {
      const engine = engineWith();
      const session = await load(engine);
      session.data['tessera:device'] = 'spoofed';
      assert.throws(() => engine.commit(session), { code: 'INVALID_SESSION_DATA' });
    });

    it('isChanged is true after regenerate() alone, and after setUser() of another user', async () => {
      const engine = engineWith();
      const first = await load(engine);
      first.data.a = 1;
      const plan = engine.commit(first);
      await plan.pending;
      const cookie = cookieOf(plan.setCookie);
      const again = await load(engine, cookie);
      assert.equal(again.isChanged, false);
      again.regenerate();
      assert.equal(again.isChanged, true);
      assert.equal(again.phase, 'regenerated');
      const other = await load(engine, cookie);
      other.setUser(null);
      assert.equal(other.isChanged, false, 'same user (none): nothing changes');
      other.setUser('u');
      assert.equal(other.isChanged, true);
      assert.equal(other.phase, 'regenerated', 'binding a user rotates the id');
    });
  });
}

describe('store mode only', { timeout: 60_000 }, () => {
  it('an expired record found on load is deleted from the store', async () => {
    let now = Date.UTC(2026, 0, 1);
    // The store's clock lags behind the engine's, so the store still returns the record.
    const store = new MemoryStore({ clock: () => now - 60 * MINUTE });
    const engine = new SessionEngine<Data>({
      secrets: [secret()],
      store,
      clock: () => now,
      idleTimeout: 10 * MINUTE,
      absoluteTimeout: 20 * MINUTE,
    });
    const session = await load(engine);
    session.data.a = 1;
    const plan = engine.commit(session);
    await plan.pending;
    const cookie = cookieOf(plan.setCookie);
    const id = cookie.slice(4, cookie.indexOf('.'));
    now += 11 * MINUTE;
    assert.equal((await load(engine, cookie)).isNew, true);
    await new Promise((resolve) => setImmediate(resolve));
    now -= 11 * MINUTE;
    assert.equal(await store.get(hashSessionId(id)), null, 'deleted, not left behind');
  });

  it('a persistent cookie is re-sent when the store is touched (its Max-Age moves too)', async () => {
    let now = Date.UTC(2026, 0, 1);
    const engine = new SessionEngine<Data>({
      secrets: [secret()],
      store: new MemoryStore({ clock: () => now }),
      clock: () => now,
      idleTimeout: 10 * MINUTE,
      touchAfter: MINUTE,
      cookie: { persistent: true },
    });
    const session = await load(engine);
    session.data.a = 1;
    const plan = engine.commit(session);
    await plan.pending;
    now += 2 * MINUTE;
    const touched = await load(engine, cookieOf(plan.setCookie));
    const again = engine.commit(touched);
    await again.pending;
    assert.equal(again.setCookie.length, 1);
    assert.match(again.setCookie[0]!, /Max-Age=\d+/);
  });
});

describe('size limits are bytes of UTF-8', { timeout: 60_000 }, () => {
  it('a stored record over maxDataBytes in bytes (not in UTF-16 units) is refused on load', async () => {
    const store = new MemoryStore();
    const engine = new SessionEngine<Data>({ secrets: [secret()], store, maxDataBytes: 100 });
    const session = await load(engine);
    session.data.a = 1;
    const plan = engine.commit(session);
    await plan.pending;
    const cookie = cookieOf(plan.setCookie);
    const key = hashSessionId(cookie.slice(4, cookie.indexOf('.')));
    const record = (await store.get(key))!;
    // 40 euro signs: 40 UTF-16 units but 120 bytes of UTF-8, above the 100-byte limit.
    await store.set(key, { ...record, data: { a: JSON.stringify('€'.repeat(40)) } });
    assert.equal((await load(engine, cookie)).isNew, true, 'refused as corrupt');
  });

  it('commit refuses data over maxDataBytes counted in bytes', async () => {
    const engine = new SessionEngine<Data>({
      secrets: [secret()],
      store: new MemoryStore(),
      maxDataBytes: 100,
    });
    const session = await load(engine);
    session.data.a = '€'.repeat(40);
    assert.throws(() => engine.commit(session), {
      code: 'INVALID_SESSION_DATA',
      message: /12\d bytes, above maxDataBytes \(100\)/,
    });
  });
});

describe('fail fast with the reason', { timeout: 60_000 }, () => {
  const secrets = [secret()];

  it('refuses what is not a store, naming the likely mistake', () => {
    const redisLike = { get() {}, set() {}, hgetall() {}, touch() {} };
    assert.throws(() => new SessionEngine({ secrets, store: redisLike as never }), {
      code: 'INVALID_OPTIONS',
      message: /Redis client.*redisStore/,
    });
    assert.throws(() => new SessionEngine({ secrets, store: (() => new MemoryStore()) as never }), {
      message: /is a function.*call the factory/,
    });
    assert.throws(() => new SessionEngine({ secrets, store: { get() {}, set() {} } as never }), {
      message: /lacks patch\(\), touch\(\), destroy\(\)/,
    });
    assert.throws(
      () => new SessionEngine({ secrets, store: { regenerate() {}, createSession() {} } as never }),
      { message: /connectStore/ },
    );
  });

  it('express-session spellings get a "did you mean"', () => {
    for (const [options, message] of [
      [{ secret: 'x' }, /"secret": did you mean secrets/],
      [{ resave: false }, /"resave"/],
      [{ saveUninitialized: false }, /"saveUninitialized"/],
      [{ cookie: { maxAge: 1000 } }, /"cookie.maxAge": did you mean absoluteTimeout/],
    ] as const) {
      assert.throws(() => new SessionEngine({ secrets, ...options } as never), {
        code: 'INVALID_OPTIONS',
        message,
      });
    }
  });

  it('an unset secret variable is named as such', () => {
    assert.throws(() => new SessionEngine({ secrets: [undefined as never] }), {
      code: 'INVALID_OPTIONS',
      message: /secrets\[0\] is undefined.*not set/,
    });
  });

  it("ready() reports a store that cannot open, with the driver's reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-ready-'));
    try {
      const store = sqliteStore({ filename: join(dir, 'missing-folder', 'sessions.db') });
      const engine = new SessionEngine({ secrets, store });
      await assert.rejects(engine.ready(), {
        code: 'STORE_UNAVAILABLE',
        message: /not usable: .+/,
      });
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ready() resolves for a working store and in plain cookie mode', async () => {
    await new SessionEngine({ secrets, store: new MemoryStore() }).ready();
    await new SessionEngine({ secrets }).ready();
  });
});

describe('response plan', { timeout: 60_000 }, () => {
  it('a plan that sets a cookie forbids caching (S-24); one without adds no header', () => {
    assert.deepEqual(responsePlan(['a=b'], null).headers, [['cache-control', 'no-store']]);
    assert.deepEqual(responsePlan([], null).headers, []);
  });

  it('failures: 503 with Retry-After for the store, a bare 500 for the rest', async () => {
    const { SessionStoreError, UserStoreError } = await import('../errors.js');
    for (const outage of [new SessionStoreError('get'), new UserStoreError('findByEmail')]) {
      const unavailable = failureResponse(outage);
      assert.equal(unavailable.status, 503, outage.code);
      assert.ok(unavailable.headers.some(([n, v]) => n === 'retry-after' && v === '5'));
    }
    const internal = failureResponse(new Error('boom'));
    assert.equal(internal.status, 500);
    assert.equal(internal.body, 'Internal Server Error');
    assert.ok(!internal.headers.some(([n]) => n === 'retry-after'));
  });
});
