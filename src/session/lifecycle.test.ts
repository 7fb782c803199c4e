/**
 * The session lifecycle as the application sees it through `Session`: the phase each
 * transition leads to, what `destroy()` resets, what `touch()` forces, the errors of a
 * committed session, and the read-only guest a store outage gives (a closed SQLite store
 * is the real outage here).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hashSessionId } from '../crypto/sign.js';
import type { TesseraEvent } from '../kernel/events.js';
import { MemoryStore } from '../stores/memory/index.js';
import { sqliteStore } from '../stores/sqlite/index.js';
import { SessionEngine } from './engine.js';
import type { SessionOptions } from './options.js';
import type { Session } from './session.js';
import { readSystemEntry, writeSystemEntry } from './system.js';

type Data = Record<string, unknown>;
const secret = (): string => randomBytes(32).toString('base64url');
const MINUTE = 60_000;
const CSRF = 'tessera:csrf';

function cookieOf(lines: readonly string[]): string {
  return lines[0]!.split(';')[0]!;
}

/** A session committed with `data` (and `userId`); returns its cookie. */
async function issue(
  engine: SessionEngine<Data>,
  data: Data,
  userId: string | null = null,
): Promise<string> {
  const session = await engine.load({ cookieHeader: undefined, secure: false });
  Object.assign(session.data, data);
  if (userId !== null) session.setUser(userId);
  const plan = engine.commit(session);
  await plan.pending;
  return cookieOf(plan.setCookie);
}

async function load(engine: SessionEngine<Data>, cookie?: string): Promise<Session<Data>> {
  return engine.load({ cookieHeader: cookie, secure: false });
}

/** Commits `session`, waits for its writes, and loads the session its cookie names. */
async function commitAndReload(
  engine: SessionEngine<Data>,
  session: Session<Data>,
  cookie: string,
): Promise<Session<Data>> {
  const plan = engine.commit(session);
  await plan.pending;
  return load(engine, plan.setCookie.length > 0 ? cookieOf(plan.setCookie) : cookie);
}

function storeIdOf(cookie: string): string {
  return decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)).split('.')[0]!;
}

for (const mode of ['cookie', 'store'] as const) {
  describe(`${mode} mode lifecycle`, { timeout: 60_000 }, () => {
    const engineWith = (extra: Partial<SessionOptions<Data>> = {}) =>
      new SessionEngine<Data>({
        secrets: [secret()],
        ...(mode === 'store' ? { store: new MemoryStore({ clock: extra.clock ?? Date.now }) } : {}),
        ...extra,
      });

    it('phases: fresh, loaded, changed, committed', async () => {
      const engine = engineWith();
      const guest = await load(engine);
      assert.equal(guest.phase, 'fresh');
      assert.equal(guest.isNew, true);
      assert.equal(guest.isChanged, false, 'a guest nobody wrote to has nothing to save');
      assert.deepEqual(engine.commit(guest).setCookie, []);
      assert.equal(guest.phase, 'committed');

      const cookie = await issue(engine, { a: 1 });
      const loaded = await load(engine, cookie);
      assert.equal(loaded.phase, 'loaded');
      assert.equal(loaded.isChanged, false);
      loaded.data.a = 2;
      assert.equal(loaded.phase, 'changed');
      assert.equal(loaded.isChanged, true);
      engine.commit(loaded);
      assert.equal(loaded.phase, 'committed');
      assert.equal(loaded.isChanged, false, 'nothing is left to save once committed');
    });

    it('regenerate() and setUser() on a session that came without a cookie keep it fresh', async () => {
      const engine = engineWith();
      const session = await load(engine);
      session.regenerate();
      assert.equal(session.phase, 'fresh');
      session.setUser('u');
      assert.equal(session.phase, 'fresh');
      assert.equal(session.isChanged, true, 'the bound user is saved');
      const plan = engine.commit(session);
      await plan.pending;
      const again = await load(engine, cookieOf(plan.setCookie));
      assert.equal(again.userId, 'u');
    });

    it('regenerate() and setUser() after destroy() leave the session destroyed', async () => {
      const engine = engineWith();
      const cookie = await issue(engine, { a: 1 }, 'u');
      const session = await load(engine, cookie);
      session.destroy();
      assert.equal(session.phase, 'destroyed');
      session.regenerate();
      assert.equal(session.phase, 'destroyed');
      session.setUser('v');
      assert.equal(session.phase, 'destroyed');
      assert.equal(session.userId, 'v');
    });

    it('destroy() starts new times, drops the user and every system entry', async () => {
      let now = Date.UTC(2026, 2, 1);
      const engine = engineWith({
        clock: () => now,
        idleTimeout: 10 * MINUTE,
        absoluteTimeout: 60 * MINUTE,
      });
      const cookie = await issue(engine, { a: 1 }, 'u');
      now += 5 * MINUTE;
      const session = await load(engine, cookie);
      assert.equal(session.createdAt, now - 5 * MINUTE);
      session.destroy();
      assert.equal(session.phase, 'destroyed');
      assert.equal(session.isChanged, true);
      assert.equal(session.userId, null);
      assert.equal(session.createdAt, now);
      assert.equal(session.expiresAt, now + 10 * MINUTE);
      assert.equal(session.absoluteExpiresAt, now + 60 * MINUTE);
      assert.deepEqual(Object.keys(session.data), []);
    });

    it('destroy() of a session that came without a cookie leaves it fresh and unchanged', async () => {
      let now = Date.UTC(2026, 2, 1);
      const engine = engineWith({
        clock: () => now,
        idleTimeout: 10 * MINUTE,
        absoluteTimeout: 60 * MINUTE,
      });
      const session = await load(engine);
      writeSystemEntry(session, CSRF, '"t"');
      session.data.a = 1;
      assert.equal(session.isChanged, true);
      now += MINUTE;
      session.destroy();
      assert.equal(session.phase, 'fresh');
      assert.equal(session.isChanged, false, 'the dropped entry is no change any more');
      assert.equal(readSystemEntry(session, CSRF), undefined);
      assert.equal(session.createdAt, now);
      assert.equal(session.expiresAt, now + 10 * MINUTE);
      assert.deepEqual(engine.commit(session).setCookie, []);
    });

    it('data set after destroy() is a new session, in the order the application set it', async () => {
      const engine = engineWith();
      const cookie = await issue(engine, { a: 1, b: 2 });
      const session = await load(engine, cookie);
      session.destroy();
      session.data.b = 2;
      session.data.a = 1;
      const plan = engine.commit(session);
      await plan.pending;
      const fresh = plan.setCookie.filter((line) => !/Max-Age=0/.test(line));
      assert.equal(fresh.length, 1, 'a new cookie is issued');
      const again = await load(engine, cookieOf(fresh));
      assert.deepEqual(Object.entries(again.data), [
        ['b', 2],
        ['a', 1],
      ]);
      assert.equal((await load(engine, cookie)).isNew, mode === 'store', 'old id revoked (store)');
    });

    it('regenerate() carries the data as stored: re-setting an unchanged value is no change', async () => {
      const engine = engineWith();
      const cookie = await issue(engine, { a: 1, b: 2 });
      for (const rotate of [false, true]) {
        const session = await load(engine, cookie);
        if (rotate) session.regenerate();
        delete session.data.a;
        session.data.a = 1;
        const again = await commitAndReload(engine, session, cookie);
        assert.deepEqual(Object.entries(again.data), [
          ['a', 1],
          ['b', 2],
        ]);
      }
    });

    it('touch() marks a loaded session changed and extends its idle expiry before touchAfter', async () => {
      let now = Date.UTC(2026, 2, 1);
      const store = new MemoryStore({ clock: () => now });
      const engine = new SessionEngine<Data>({
        secrets: [secret()],
        ...(mode === 'store' ? { store } : {}),
        clock: () => now,
        idleTimeout: 10 * MINUTE,
        touchAfter: 5 * MINUTE,
      });
      const cookie = await issue(engine, { a: 1 });
      const created = now;
      now += MINUTE;
      const idle = await load(engine, cookie);
      const idlePlan = engine.commit(idle);
      assert.deepEqual(idlePlan.setCookie, [], 'lazy touch: not due yet');
      assert.equal(idlePlan.pending, null);
      assert.equal(idle.expiresAt, created + 10 * MINUTE);

      const touched = await load(engine, cookie);
      touched.touch();
      assert.equal(touched.phase, 'changed');
      assert.equal(touched.isChanged, true);
      const plan = engine.commit(touched);
      await plan.pending;
      assert.equal(touched.expiresAt, now + 10 * MINUTE);
      if (mode === 'store') {
        assert.deepEqual(plan.setCookie, [], 'store mode touches the record only');
        const record = await store.get(hashSessionId(storeIdOf(cookie)));
        assert.equal(record?.expiresAt, now + 10 * MINUTE);
      } else {
        assert.equal(plan.setCookie.length, 1, 'cookie mode re-seals with the new expiry');
        assert.equal((await load(engine, cookieOf(plan.setCookie))).expiresAt, now + 10 * MINUTE);
      }
    });

    it('a committed session refuses every change, naming why', async () => {
      const engine = engineWith();
      const session = await load(engine);
      session.data.a = 1;
      engine.commit(session);
      const open = {
        code: 'SESSION_STATE',
        message: 'the session was already committed for this response',
      };
      assert.throws(() => session.regenerate(), open);
      assert.throws(() => session.setUser('u'), open);
      assert.throws(() => session.touch(), open);
      assert.throws(() => session.destroy(), open);
      assert.throws(() => writeSystemEntry(session, CSRF, '"x"'), open);
      assert.throws(() => engine.commit(session), {
        code: 'SESSION_STATE',
        message: 'the session was already committed',
      });
    });
  });
}

const OUTAGE_CONFIGS = [
  { label: 'store mode', make: (store: ReturnType<typeof sqliteStore>) => ({ store }) },
  {
    label: 'cookie mode with a registry',
    make: (store: ReturnType<typeof sqliteStore>) => ({ registry: store }),
  },
] as const;

for (const { label, make } of OUTAGE_CONFIGS) {
  describe(`${label}: the read-only guest of a store outage (a closed SQLite store)`, {
    timeout: 60_000,
  }, () => {
    it('is read-only: data frozen, only destroy() allowed, which expires the cookie', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tessera-lifecycle-'));
      try {
        const store = sqliteStore({ filename: join(dir, 'sessions.db') });
        const events: TesseraEvent[] = [];
        const engine = new SessionEngine<Data>({
          secrets: [secret()],
          ...make(store),
          onEvent: (e) => events.push(e as TesseraEvent),
        });
        const cookie = await issue(engine, { a: 1 }, 'u');
        await store.close();
        await assert.rejects(async () => load(engine, cookie), { code: 'STORE_UNAVAILABLE' });

        const guest = await engine.load(
          { cookieHeader: cookie, secure: false },
          { onStoreError: 'guest' },
        );
        assert.equal(guest.isReadOnly, true);
        assert.equal(guest.isNew, true);
        assert.equal(guest.phase, 'fresh');
        assert.equal(Object.isFrozen(guest.data), true);
        assert.throws(() => {
          guest.data.a = 2;
        }, TypeError);
        const readOnly = (action: string) => ({
          code: 'SESSION_STATE',
          message: `cannot ${action}: this is a read-only guest session (the session store is unavailable)`,
        });
        assert.throws(() => guest.regenerate(), readOnly('regenerate'));
        assert.throws(() => guest.setUser('v'), readOnly('set the user'));
        assert.throws(() => guest.touch(), readOnly('touch'));
        assert.throws(() => writeSystemEntry(guest, CSRF, '"x"'), readOnly('change the session'));
        assert.equal(guest.isChanged, false);
        assert.deepEqual(engine.commit(guest).setCookie, [], 'a guest left alone keeps its cookie');

        const leaving = await engine.load(
          { cookieHeader: cookie, secure: false },
          { onStoreError: 'guest' },
        );
        leaving.destroy();
        assert.equal(leaving.phase, 'destroyed');
        assert.equal(leaving.isChanged, true);
        const plan = engine.commit(leaving);
        assert.equal(plan.setCookie.length, 1);
        assert.match(plan.setCookie[0]!, /^sid=; .*Max-Age=0/);
        await plan.pending; // a failed revocation does not fail the response
        assert.ok(events.some((e) => e.type === 'session.destroyed'));
        assert.ok(events.some((e) => e.type === 'session.revoke_failed'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
