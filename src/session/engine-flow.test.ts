/**
 * The engine's shared policy, in both modes: construction checks, the cookie name per
 * request, expiry on load, the validators, what commit writes near the absolute limit,
 * persistent cookies' Max-Age, the events of each transition, and a user's sessions.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TesseraEvent } from '../kernel/events.js';
import type { SessionRecord } from '../stores/contract.js';
import { MemoryStore } from '../stores/memory/index.js';
import { sqliteStore } from '../stores/sqlite/index.js';
import { ADD_VALIDATOR, SessionEngine } from './engine.js';
import type { SessionOptions } from './options.js';
import type { Session } from './session.js';

type Data = Record<string, unknown>;
const secret = (): string => randomBytes(32).toString('base64url');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function header(lines: readonly string[]): string {
  return lines
    .filter((line) => !/Max-Age=0/.test(line))
    .map((line) => line.split(';')[0]!)
    .join('; ');
}

function setup(mode: 'cookie' | 'store' | 'registry', extra: Partial<SessionOptions<Data>> = {}) {
  // Real time, so that the store's default clock agrees with the engine's.
  let now = Date.now();
  const clock = () => now;
  const store = new MemoryStore({ clock });
  const events: TesseraEvent[] = [];
  const engine = new SessionEngine<Data>({
    secrets: [secret()],
    ...(mode === 'store' ? { store } : mode === 'registry' ? { registry: store } : {}),
    clock,
    onEvent: (e) => events.push(e as TesseraEvent),
    idleTimeout: 10 * MINUTE,
    absoluteTimeout: 60 * MINUTE,
    touchAfter: 2 * MINUTE,
    ...extra,
  });
  const load = (cookie?: string, secure = false): Promise<Session<Data>> =>
    Promise.resolve(engine.load({ cookieHeader: cookie, secure }));
  const commit = async (session: Session<Data>) => {
    const plan = engine.commit(session);
    await plan.pending;
    return plan.setCookie;
  };
  const issue = async (data: Data, userId: string | null = null) => {
    const session = await load();
    Object.assign(session.data, data);
    if (userId !== null) session.setUser(userId);
    return header(await commit(session));
  };
  const types = () => events.map((e) => e.type);
  const rejections = () =>
    events.flatMap((e) => (e.type === 'session.rejected' ? [e.reason as string] : []));
  return {
    engine,
    store,
    events,
    load,
    commit,
    issue,
    types,
    rejections,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

describe('SessionEngine construction', { timeout: 60_000 }, () => {
  it('refuses missing options, a non-function validate, store with registry, untracked devices', () => {
    for (const options of [undefined, null, 'secret']) {
      assert.throws(() => new SessionEngine(options as never), {
        code: 'INVALID_OPTIONS',
        message: 'session options are required (at least `secrets`)',
      });
    }
    assert.throws(() => new SessionEngine({ secrets: [secret()], validate: true as never }), {
      code: 'INVALID_OPTIONS',
      message: 'validate must be a function',
    });
    const store = new MemoryStore();
    assert.throws(() => new SessionEngine({ secrets: [secret()], store, registry: store }), {
      message: 'give either `store` (store mode) or `registry` (cookie mode), not both',
    });
    assert.throws(() => new SessionEngine({ secrets: [secret()], trackDevices: true }), {
      message: 'trackDevices needs a `store` or, in cookie mode, a `registry`',
    });
    assert.throws(() => new SessionEngine({ secrets: [secret()] })[ADD_VALIDATOR](1 as never), {
      code: 'INVALID_OPTIONS',
      message: 'validator must be a function',
    });
  });

  it('reports its mode and store', () => {
    const store = new MemoryStore();
    const inStore = new SessionEngine({ secrets: [secret()], store });
    assert.equal(inStore.mode, 'store');
    assert.equal(inStore.store, store);
    const sealed = new SessionEngine({ secrets: [secret()], registry: store });
    assert.equal(sealed.mode, 'cookie');
    assert.equal(sealed.store, store);
    const plain = new SessionEngine({ secrets: [secret()] });
    assert.equal(plain.mode, 'cookie');
    assert.equal(plain.store, undefined);
  });

  it('NODE_ENV=production: secure false is refused, auto always sets Secure', () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      assert.throws(() => new SessionEngine({ secrets: [secret()], cookie: { secure: false } }), {
        code: 'INVALID_OPTIONS',
        message:
          'cookie.secure: false is refused with NODE_ENV=production; session cookies must be Secure',
      });
      const engine = new SessionEngine<Data>({ secrets: [secret()], cookie: { secure: 'auto' } });
      const session = engine.load({ cookieHeader: undefined, secure: false }) as Session<Data>;
      session.data.a = 1;
      assert.match(engine.commit(session).setCookie[0]!, /; Secure/);
    } finally {
      if (previous === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = previous;
    }
    const dev = new SessionEngine<Data>({ secrets: [secret()], cookie: { secure: false } });
    const session = dev.load({ cookieHeader: undefined, secure: true }) as Session<Data>;
    session.data.a = 1;
    assert.doesNotMatch(dev.commit(session).setCookie[0]!, /Secure/);
  });
});

for (const mode of ['cookie', 'store', 'registry'] as const) {
  describe(`${mode}: load and commit`, { timeout: 60_000 }, () => {
    it('an HTTPS request uses __Host-sid, a plain one sid; each ignores the other', async () => {
      const { load, commit } = setup(mode);
      const secure = await load(undefined, true);
      secure.data.a = 1;
      const lines = await commit(secure);
      assert.match(lines[0]!, /^__Host-sid=.*; Secure/);
      const cookie = header(lines);
      assert.equal((await load(cookie, true)).data.a, 1);
      assert.equal((await load(cookie, false)).isNew, true);
    });

    it('a session is expired from its idle expiry on, to the millisecond', async () => {
      const { load, issue, advance, rejections, commit, store } = setup(mode);
      const cookie = await issue({ a: 1 });
      advance(10 * MINUTE - 1);
      assert.equal((await load(cookie)).isNew, false);
      advance(1);
      const late = await load(cookie);
      assert.equal(late.isNew, true);
      // The memory store shares the clock and expires the record itself: unknown to it.
      assert.deepEqual(rejections(), [mode === 'store' ? 'unknown' : 'expired']);
      assert.match((await commit(late))[0]!, /Max-Age=0/);
      if (mode === 'registry') {
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(store.stats.size, 0, 'the expired session is revoked in the registry');
      }
    });

    it('active use lasts to the absolute limit: the last short extension is written too', async () => {
      const { load, commit, issue, advance, now } = setup(mode);
      const created = now();
      let cookie = await issue({ a: 1 });
      // Used every 9 minutes: each use is due (9 >= touchAfter) until the cap.
      for (let i = 0; i < 6; i++) {
        advance(9 * MINUTE);
        const session = await load(cookie);
        assert.equal(session.isNew, false, `use ${i}`);
        const lines = await commit(session);
        if (lines.length > 0) cookie = header(lines);
        assert.equal(session.expiresAt, Math.min(now() + 10 * MINUTE, created + 60 * MINUTE));
      }
      // 54 minutes in: expiry at the cap (60); a use at 59 extends by nothing.
      advance(5 * MINUTE);
      const capped = await load(cookie);
      assert.equal(capped.expiresAt, created + 60 * MINUTE);
      advance(MINUTE - 1);
      assert.equal((await load(cookie)).isNew, false);
      advance(1);
      assert.equal((await load(cookie)).isNew, true, 'never past the absolute limit');
    });

    it('a short extension that reaches the absolute limit is written even before touchAfter', async () => {
      const { load, commit, issue, advance, now } = setup(mode, { touchAfter: 9 * MINUTE });
      const created = now();
      let cookie = await issue({ a: 1 });
      advance(9 * MINUTE);
      let session = await load(cookie);
      let lines = await commit(session);
      if (lines.length > 0) cookie = header(lines);
      assert.equal(session.expiresAt, now() + 10 * MINUTE, 'due: 9 minutes later');
      for (const step of [9, 9, 9, 9]) {
        advance(step * MINUTE);
        session = await load(cookie);
        lines = await commit(session);
        if (lines.length > 0) cookie = header(lines);
      }
      // 45 minutes in, expiry at 55; at 53 the extension to 60 is 5 minutes, below touchAfter.
      advance(8 * MINUTE);
      session = await load(cookie);
      assert.equal(session.expiresAt, created + 55 * MINUTE);
      lines = await commit(session);
      if (lines.length > 0) cookie = header(lines);
      assert.equal(session.expiresAt, created + 60 * MINUTE, 'the capped extension is written');
      advance(4 * MINUTE);
      assert.equal((await load(cookie)).isNew, false, 'alive at 57 minutes');
      // Already at the cap: nothing more to write.
      const idle = await load(cookie);
      const plan = await commit(idle);
      assert.deepEqual(plan, []);
    });

    it('persistent: Max-Age is the remaining absolute lifetime in whole seconds, at most 400 days', async () => {
      const { load, commit, advance } = setup(mode, { cookie: { persistent: true } });
      const session = await load();
      session.data.a = 1;
      const lines = await commit(session);
      assert.match(lines[0]!, /; Max-Age=3600(;|$)/);
      advance(1500);
      const later = await load(header(lines));
      later.touch();
      assert.match((await commit(later))[0]!, /; Max-Age=3598(;|$)/, '3598.5 s rounds down');
      const long = setup(mode, {
        cookie: { persistent: true },
        idleTimeout: DAY,
        absoluteTimeout: 500 * DAY,
      });
      const kept = await long.load();
      kept.data.a = 1;
      assert.match((await long.commit(kept))[0]!, /; Max-Age=34560000(;|$)/);
    });

    it('events: created, regenerated (with the previous ref), destroyed then created', async () => {
      const { load, commit, issue, events } = setup(mode);
      const cookie = await issue({ a: 1 });
      const created = events.at(-1)!;
      assert.equal(created.type, 'session.created');
      const regenerated = await load(cookie);
      regenerated.regenerate();
      const next = header(await commit(regenerated));
      const rotation = events.at(-1) as TesseraEvent & { sessionRef: string; previousRef: string };
      assert.equal(rotation.type, 'session.regenerated');
      assert.equal(rotation.previousRef, (created as { sessionRef: string }).sessionRef);
      assert.notEqual(rotation.sessionRef, rotation.previousRef);
      const restarted = await load(next);
      restarted.destroy();
      restarted.data.b = 1;
      const count = events.length;
      await commit(restarted);
      const [ended, started] = events.slice(count) as (TesseraEvent & { sessionRef: string })[];
      assert.equal(ended?.type, 'session.destroyed');
      assert.equal(ended?.sessionRef, rotation.sessionRef);
      assert.equal(started?.type, 'session.created');
      assert.notEqual(started?.sessionRef, ended?.sessionRef);
      assert.equal(
        (await load(next)).isNew,
        mode !== 'cookie',
        'revoked where the server keeps it',
      );
    });

    it('a session bound to a user and emptied of data lives on', async () => {
      const { load, commit, issue } = setup(mode);
      const cookie = await issue({ a: 1 }, 'u');
      const session = await load(cookie);
      delete session.data.a;
      const lines = await commit(session);
      assert.ok(lines.every((line) => !/Max-Age=0/.test(line)));
      const again = await load(lines.length > 0 ? header(lines) : cookie);
      assert.equal(again.isNew, false);
      assert.equal(again.userId, 'u');
      assert.deepEqual(Object.keys(again.data), []);
    });

    it('maxDataBytes bounds store mode only', async () => {
      const { engine, load } = setup(mode, { maxDataBytes: 10 });
      const session = await load();
      session.data.a = 'x'.repeat(20);
      if (mode === 'store') {
        assert.throws(() => engine.commit(session), { code: 'INVALID_SESSION_DATA' });
      } else {
        assert.equal(engine.commit(session).setCookie.length, 1);
      }
    });

    it('an emptied session ends: destroyed event, cookie expired', async () => {
      const { load, commit, issue, events } = setup(mode);
      const cookie = await issue({ a: 1 });
      const session = await load(cookie);
      delete session.data.a;
      const lines = await commit(session);
      assert.deepEqual(
        lines.map((line) => line.split('=')[0]),
        ['sid'],
      );
      assert.match(lines[0]!, /Max-Age=0/);
      assert.equal(events.at(-1)?.type, 'session.destroyed');
    });
  });
}

describe('validators', { timeout: 60_000 }, () => {
  it('only true passes; they run in order and stop at the first refusal', async () => {
    for (const verdict of [false, 1, undefined, 'yes']) {
      for (const async of [false, true]) {
        const calls: string[] = [];
        const { engine, issue, load, rejections } = setup('store', {
          validate: (session) => {
            calls.push('app');
            const answer = session.data.ok === 1 ? true : (verdict as boolean);
            return async ? Promise.resolve(answer) : answer;
          },
        });
        engine[ADD_VALIDATOR]((session) => {
          calls.push('auth');
          return async ? Promise.resolve(session.data.fine === true) : session.data.fine === true;
        });
        const good = await issue({ ok: 1, fine: true });
        const bad = await issue({ ok: 0, fine: true });
        const badLater = await issue({ ok: 1, fine: false });
        calls.length = 0;
        assert.equal((await load(good)).isNew, false);
        assert.deepEqual(calls, ['app', 'auth']);
        calls.length = 0;
        assert.equal((await load(bad)).isNew, true, String(verdict));
        assert.deepEqual(calls, ['app'], 'the second one is not asked');
        calls.length = 0;
        assert.equal((await load(badLater)).isNew, true);
        assert.deepEqual(calls, ['app', 'auth']);
        assert.deepEqual(rejections(), ['invalid', 'invalid']);
      }
    }
  });

  it('a validator not installed runs nothing: a load without I/O returns the session at once', () => {
    const engine = new SessionEngine<Data>({ secrets: [secret()] });
    const session = engine.load({ cookieHeader: undefined, secure: false });
    assert.equal(session instanceof Promise, false);
  });
});

describe("a user's sessions", { timeout: 60_000 }, () => {
  for (const mode of ['store', 'registry'] as const) {
    it(`${mode}: newest first, live only, lastSeenAt in store mode, the current one marked`, async () => {
      const { engine, load, commit, issue, advance, now } = setup(mode);
      const first = now();
      await issue({ a: 1 }, 'u');
      advance(MINUTE);
      await issue({ a: 2 }, 'u');
      advance(MINUTE);
      const session = await load();
      session.setUser('u');
      await commit(session);
      const listed = await engine.listSessions('u', { current: session });
      assert.deepEqual(
        listed.map((s) => s.createdAt),
        [first + 2 * MINUTE, first + MINUTE, first],
      );
      assert.deepEqual(
        listed.map((s) => s.current),
        [true, false, false],
      );
      assert.equal(listed[0]!.userAgent, null);
      assert.equal(listed[0]!.address, null);
      if (mode === 'store') {
        assert.deepEqual(
          listed.map((s) => s.lastSeenAt),
          [first + 2 * MINUTE, first + MINUTE, first],
        );
        assert.deepEqual(
          listed.map((s) => s.expiresAt),
          [first + 12 * MINUTE, first + 11 * MINUTE, first + 10 * MINUTE],
        );
      } else {
        assert.deepEqual(
          listed.map((s) => s.lastSeenAt),
          [null, null, null],
        );
      }
      assert.deepEqual(
        listed.map((s) => s.absoluteExpiresAt),
        [first + 62 * MINUTE, first + 61 * MINUTE, first + 60 * MINUTE],
      );
      assert.deepEqual(
        (await engine.listSessions('u')).map((s) => s.current),
        [false, false, false],
      );
      if (mode === 'store') {
        advance(8 * MINUTE); // the first one's idle expiry is past now
        assert.equal((await engine.listSessions('u')).length, 2);
      }
    });
  }

  it('store mode: a record past its absolute expiry is not listed', async () => {
    const { engine, store, now } = setup('store');
    const record: SessionRecord = {
      data: {},
      createdAt: now() - 2 * MINUTE,
      expiresAt: now() + MINUTE,
      absoluteExpiresAt: now(),
      userId: 'u',
    };
    await store.set('k'.repeat(43), record);
    assert.deepEqual(await engine.listSessions('u'), []);
  });

  it('revokeSession: refuses handles of the wrong shape or of another user; a corrupt record is no session', async () => {
    const { engine, store, issue, load } = setup('store');
    const cookie = await issue({ a: 1 }, 'u');
    const { handle } = (await engine.listSessions('u'))[0]!;
    assert.equal(await engine.revokeSession('u', `${handle}x`), false);
    assert.equal(await engine.revokeSession('u', handle.slice(1)), false);
    assert.equal(await engine.revokeSession('u', 42 as never), false);
    assert.equal(await engine.revokeSession('v', handle), false);
    assert.equal((await load(cookie)).isNew, false);
    assert.equal(await engine.revokeSession('u', 'n'.repeat(43)), false, 'no such session');
    assert.equal(await engine.revokeSession('u', handle), true);
    assert.equal((await load(cookie)).isNew, true);
    assert.equal(store.stats.size, 0);
  });

  it('revokeUserSessions: except the session of this request, even one just created', async () => {
    const { engine, load, commit, issue } = setup('store');
    const other = await issue({ a: 1 }, 'u');
    const session = await load();
    session.setUser('u');
    const cookie = header(await commit(session));
    assert.equal(await engine.revokeUserSessions('u', { except: session }), 1);
    assert.equal((await load(other)).isNew, true);
    assert.equal((await load(cookie)).userId, 'u');
  });
});

describe('store outages (a closed or unopenable SQLite store)', { timeout: 60_000 }, () => {
  it("ready() names the driver's reason, or the store's own when it has no cause", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-engine-'));
    try {
      const missing = sqliteStore({ filename: join(dir, 'missing', 'sessions.db') });
      await assert.rejects(
        new SessionEngine({ secrets: [secret()], store: missing }).ready(),
        (error) => {
          const driver = (error as { cause?: { cause?: Error } }).cause?.cause;
          assert.ok(driver instanceof Error);
          assert.equal(
            (error as Error).message,
            `the session store is not usable: ${driver.message}`,
          );
          assert.equal((error as { code?: string }).code, 'STORE_UNAVAILABLE');
          return true;
        },
      );
      const closed = sqliteStore({ filename: join(dir, 'sessions.db') });
      await closed.close();
      await assert.rejects(new SessionEngine({ secrets: [secret()], registry: closed }).ready(), {
        code: 'STORE_UNAVAILABLE',
        message: 'the session store is not usable: session store is closed',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("load: a store_error event, then a rejection, or with 'guest' a degraded event", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-engine-'));
    try {
      const store = sqliteStore({ filename: join(dir, 'sessions.db') });
      const events: TesseraEvent[] = [];
      const engine = new SessionEngine<Data>({
        secrets: [secret()],
        store,
        onEvent: (e) => events.push(e as TesseraEvent),
      });
      const first = await engine.load({ cookieHeader: undefined, secure: false });
      first.data.a = 1;
      const plan = engine.commit(first);
      await plan.pending;
      const cookie = header(plan.setCookie);
      await store.close();
      events.length = 0;
      await assert.rejects(async () => engine.load({ cookieHeader: cookie, secure: false }), {
        code: 'STORE_UNAVAILABLE',
      });
      assert.deepEqual(
        events.map((e) => [e.type, (e as { operation?: string }).operation]),
        [['session.store_error', 'get']],
      );
      events.length = 0;
      const guest = await Promise.resolve(
        engine.load({ cookieHeader: cookie, secure: false }, { onStoreError: 'throw' }),
      ).catch(() => null);
      assert.equal(guest, null, "'throw' is the default spelled out");
      events.length = 0;
      const degraded = await engine.load(
        { cookieHeader: cookie, secure: false },
        { onStoreError: 'guest' },
      );
      assert.equal(degraded.isReadOnly, true);
      assert.deepEqual(
        events.map((e) => [e.type, (e as { operation?: string }).operation]),
        [
          ['session.store_error', 'get'],
          ['session.degraded', 'get'],
        ],
      );
      assert.ok(events.every((e) => (e as { error?: unknown }).error instanceof Error));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
