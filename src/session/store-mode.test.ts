/**
 * Store mode against the real memory store: which cookies are refused before any store
 * read, which stored records are refused as corrupt, what a new session's record holds,
 * and what a continuing session writes (patch, touch, re-issue after key rotation).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hashSessionId } from '../crypto/sign.js';
import type { TesseraEvent } from '../kernel/events.js';
import type { SessionRecord } from '../stores/contract.js';
import { MemoryStore } from '../stores/memory/index.js';
import { sqliteStore } from '../stores/sqlite/index.js';
import { SessionEngine } from './engine.js';
import type { SessionOptions } from './options.js';
import type { Session } from './session.js';

type Data = Record<string, unknown>;
const secret = (): string => randomBytes(32).toString('base64url');
const MINUTE = 60_000;

function cookieOf(lines: readonly string[]): string {
  return lines[0]!.split(';')[0]!;
}

function keyOf(cookie: string): string {
  return hashSessionId(decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)).split('.')[0]!);
}

function setup(extra: Partial<SessionOptions<Data>> = {}) {
  let now = Date.UTC(2026, 4, 1);
  const clock = () => now;
  const store = new MemoryStore({ clock });
  const events: TesseraEvent[] = [];
  const engine = new SessionEngine<Data>({
    secrets: [secret()],
    store,
    clock,
    onEvent: (e) => events.push(e as TesseraEvent),
    idleTimeout: 10 * MINUTE,
    absoluteTimeout: 60 * MINUTE,
    touchAfter: MINUTE,
    ...extra,
  });
  const load = (cookie?: string, device: object = {}): Promise<Session<Data>> =>
    Promise.resolve(engine.load({ cookieHeader: cookie, secure: false, ...device }));
  const issue = async (data: Data, userId: string | null = null, device: object = {}) => {
    const session = await load(undefined, device);
    Object.assign(session.data, data);
    if (userId !== null) session.setUser(userId);
    const plan = engine.commit(session);
    await plan.pending;
    return cookieOf(plan.setCookie);
  };
  const rejections = () =>
    events.flatMap((e) => (e.type === 'session.rejected' ? [e.reason as string] : []));
  return {
    engine,
    store,
    events,
    load,
    issue,
    rejections,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

describe('store mode: cookies refused before the store', { timeout: 60_000 }, () => {
  it('malformed and forged values are refused and expired; a duplicated name is left alone', async () => {
    const { engine, load, issue, rejections } = setup();
    const cookie = await issue({ a: 1 });
    const value = cookie.slice(4);
    const other = setup();
    const foreign = (await other.issue({ a: 1 })).slice(4);
    const cases: [string, string][] = [
      ['sid=garbage', 'malformed'],
      [`sid=${value.slice(0, -1)}`, 'malformed'],
      [`sid=${foreign}`, 'tamper'],
      [`sid=${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`, 'tamper'],
    ];
    for (const [header, reason] of cases) {
      const session = await load(header);
      assert.equal(session.isNew, true, header);
      assert.equal(rejections().at(-1), reason, header);
      const plan = engine.commit(session);
      assert.deepEqual(plan.setCookie.length, 1, header);
      assert.match(plan.setCookie[0]!, /^sid=; .*Max-Age=0/, header);
    }
    const duplicated = await load(`sid=${value}; sid=${foreign}`);
    assert.equal(duplicated.isNew, true);
    assert.equal(rejections().at(-1), 'duplicate_cookie');
    assert.deepEqual(engine.commit(duplicated).setCookie, []);
    assert.equal((await load(cookie)).data.a, 1, 'the refusals left the session alone');
  });

  it('a session whose record is gone is unknown, and its cookie expired', async () => {
    const { engine, store, load, issue, rejections } = setup();
    const cookie = await issue({ a: 1 });
    await store.destroy(keyOf(cookie));
    const session = await load(cookie);
    assert.equal(session.isNew, true);
    assert.deepEqual(rejections(), ['unknown']);
    assert.match(engine.commit(session).setCookie[0]!, /Max-Age=0/);
  });
});

describe('store mode: stored records', { timeout: 60_000 }, () => {
  it('a loaded session reports the times and user of its record', async () => {
    const { store, load, issue, now } = setup();
    const cookie = await issue({ a: 1 });
    const record: SessionRecord = {
      data: { a: '"x"', b: '[1,2]' },
      createdAt: now() - 3 * MINUTE,
      expiresAt: now() + 5 * MINUTE,
      absoluteExpiresAt: now() + 50 * MINUTE,
      userId: 'u7',
    };
    await store.set(keyOf(cookie), record);
    const session = await load(cookie);
    assert.equal(session.isNew, false);
    assert.equal(session.createdAt, record.createdAt);
    assert.equal(session.expiresAt, record.expiresAt);
    assert.equal(session.absoluteExpiresAt, record.absoluteExpiresAt);
    assert.equal(session.userId, 'u7');
    assert.deepEqual({ ...session.data }, { a: 'x', b: [1, 2] });
  });

  it('a record of the wrong shape or with unreadable data is refused as corrupt', async () => {
    const { engine, store, load, issue, rejections, now } = setup();
    const cookie = await issue({ a: 1 });
    const good: SessionRecord = {
      data: { a: '1' },
      createdAt: now(),
      expiresAt: now() + 5 * MINUTE,
      absoluteExpiresAt: now() + 50 * MINUTE,
      userId: null,
    };
    const broken: [string, object][] = [
      ['createdAt', { createdAt: Number.NaN }],
      ['expiresAt', { expiresAt: Number.POSITIVE_INFINITY }],
      ['absoluteExpiresAt', { absoluteExpiresAt: Number.NaN }],
      ['value not JSON', { data: { a: '{nope' } }],
    ];
    for (const [label, change] of broken) {
      await store.set(keyOf(cookie), { ...good, ...change } as SessionRecord);
      const session = await load(cookie);
      assert.equal(session.isNew, true, label);
      assert.equal(rejections().at(-1), 'corrupt', label);
      assert.match(engine.commit(session).setCookie[0]!, /Max-Age=0/, label);
    }
    await store.set(keyOf(cookie), { ...good, userId: 'u' });
    assert.equal((await load(cookie)).userId, 'u', 'the same record in shape is accepted');
  });

  it('a record past its absolute expiry is expired, whatever its idle expiry says', async () => {
    const { store, load, issue, rejections, now } = setup();
    const cookie = await issue({ a: 1 });
    const record = (absoluteExpiresAt: number): SessionRecord => ({
      data: { a: '1' },
      createdAt: now() - 50 * MINUTE,
      expiresAt: now() + 5 * MINUTE,
      absoluteExpiresAt,
      userId: null,
    });
    await store.set(keyOf(cookie), record(now() + 1));
    assert.equal((await load(cookie)).isNew, false);
    await store.set(keyOf(cookie), record(now()));
    assert.equal((await load(cookie)).isNew, true);
    assert.deepEqual(rejections(), ['expired']);
  });

  it('a record of exactly maxDataBytes is read; one byte more is corrupt', async () => {
    const { store, load, issue, rejections, now } = setup({ maxDataBytes: 20 });
    const cookie = await issue({ a: 1 });
    const record = (text: string): SessionRecord => ({
      data: { a: text },
      createdAt: now(),
      expiresAt: now() + 5 * MINUTE,
      absoluteExpiresAt: now() + 50 * MINUTE,
      userId: null,
    });
    await store.set(keyOf(cookie), record(JSON.stringify('x'.repeat(17))));
    assert.equal((await load(cookie)).data.a, 'x'.repeat(17), '1 + 19 bytes');
    await store.set(keyOf(cookie), record(JSON.stringify('x'.repeat(18))));
    assert.equal((await load(cookie)).isNew, true);
    assert.deepEqual(rejections(), ['corrupt']);
  });
});

describe('store mode: writes', { timeout: 60_000 }, () => {
  it("a new session's record holds its data, times, user and device", async () => {
    const { store, issue, now } = setup({ trackDevices: true });
    const cookie = await issue({ a: 'x', b: [1] }, 'u', {
      userAgent: 'Agent/1',
      clientAddress: '192.0.2.1',
    });
    const record = await store.get(keyOf(cookie));
    assert.deepEqual(
      { ...record, data: { ...record?.data } },
      {
        data: {
          a: '"x"',
          b: '[1]',
          'tessera:device': JSON.stringify({ ua: 'Agent/1', ip: '192.0.2.1' }),
        },
        createdAt: now(),
        expiresAt: now() + 10 * MINUTE,
        absoluteExpiresAt: now() + 60 * MINUTE,
        userId: 'u',
      },
    );
    const plain = setup();
    const untracked = await plain.store.get(keyOf(await plain.issue({ a: 1 })));
    assert.deepEqual({ ...untracked?.data }, { a: '1' }, 'no device without trackDevices');
  });

  it('a persistent cookie carries Max-Age; a plain one does not', async () => {
    const persistent = setup({ cookie: { persistent: true } });
    const cookie = await persistent.load();
    cookie.data.a = 1;
    assert.match(persistent.engine.commit(cookie).setCookie[0]!, /; Max-Age=3600(;|$)/);
    const plain = setup();
    const session = await plain.load();
    session.data.a = 1;
    assert.doesNotMatch(plain.engine.commit(session).setCookie[0]!, /Max-Age/);
  });

  it('a data change patches the record, moves its idle expiry and sends no cookie', async () => {
    const { engine, store, load, issue, advance, now } = setup();
    const cookie = await issue({ a: 1, b: 2 });
    advance(30_000); // before touchAfter: only the change makes it write
    const session = await load(cookie);
    session.data.a = 3;
    delete session.data.b;
    session.data.c = 'new';
    const plan = engine.commit(session);
    assert.deepEqual(plan.setCookie, []);
    await plan.pending;
    const record = await store.get(keyOf(cookie));
    assert.deepEqual({ ...record?.data }, { a: '3', c: '"new"' });
    assert.equal(record?.expiresAt, now() + 10 * MINUTE);
    assert.equal(session.expiresAt, now() + 10 * MINUTE, 'the session reports the moved expiry');
  });

  it('a patch that would take the record over maxDataBytes is refused, not stored', async () => {
    const { engine, store, load, issue } = setup({ maxDataBytes: 40 });
    const cookie = await issue({ a: 1 });
    // Two requests, each within the bound alone; together over it.
    const one = await load(cookie);
    const two = await load(cookie);
    one.data.b = 'x'.repeat(20);
    two.data.c = 'y'.repeat(20);
    await engine.commit(one).pending;
    await assert.rejects(engine.commit(two).pending!, { code: 'INVALID_SESSION_DATA' });
    assert.deepEqual(Object.keys((await store.get(keyOf(cookie)))!.data).sort(), ['a', 'b']);
  });

  it('a due lazy touch moves the expiry only, without a cookie unless persistent', async () => {
    const { engine, store, load, issue, advance, now } = setup();
    const cookie = await issue({ a: 1 });
    advance(2 * MINUTE);
    const plan = engine.commit(await load(cookie));
    assert.deepEqual(plan.setCookie, []);
    assert.notEqual(plan.pending, null);
    await plan.pending;
    const record = await store.get(keyOf(cookie));
    assert.equal(record?.expiresAt, now() + 10 * MINUTE);
    assert.deepEqual({ ...record?.data }, { a: '1' });
  });

  it('a cookie signed with an older secret is re-issued for the same id under the current one', async () => {
    const old = secret();
    const store = new MemoryStore();
    const before = new SessionEngine<Data>({ secrets: [old], store });
    const first = await before.load({ cookieHeader: undefined, secure: false });
    first.data.a = 1;
    const plan = before.commit(first);
    await plan.pending;
    const cookie = cookieOf(plan.setCookie);
    const current = secret();
    const after = new SessionEngine<Data>({ secrets: [current, old], store });
    for (const change of [false, true]) {
      const session = await after.load({ cookieHeader: cookie, secure: false });
      assert.equal(session.isNew, false);
      if (change) session.data.b = 2;
      const reissued = after.commit(session);
      await reissued.pending;
      assert.equal(reissued.setCookie.length, 1, 're-signed');
      const next = cookieOf(reissued.setCookie);
      assert.notEqual(next, cookie);
      assert.equal(keyOf(next), keyOf(cookie), 'the same id');
      const reloaded = await after.load({ cookieHeader: next, secure: false });
      assert.equal(reloaded.data.a, 1);
      assert.deepEqual(after.commit(reloaded).setCookie, [], 'current key: nothing to re-issue');
      const onlyNew = new SessionEngine<Data>({ secrets: [current], store });
      assert.equal((await onlyNew.load({ cookieHeader: next, secure: false })).isNew, false);
    }
  });
});

describe('store mode: failed writes (a SQLite store closed after load)', {
  timeout: 60_000,
}, () => {
  it('set, patch and touch each fail the commit and are reported; a patch that applies is no vanish', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-store-mode-'));
    try {
      let now = Date.now();
      const store = sqliteStore({ filename: join(dir, 'sessions.db') });
      const events: TesseraEvent[] = [];
      const engine = new SessionEngine<Data>({
        secrets: [secret()],
        store,
        clock: () => now,
        idleTimeout: 10 * MINUTE,
        touchAfter: MINUTE,
        onEvent: (e) => events.push(e as TesseraEvent),
      });
      const first = await engine.load({ cookieHeader: undefined, secure: false });
      first.data.a = 1;
      const plan = engine.commit(first);
      await plan.pending;
      const cookie = cookieOf(plan.setCookie);
      const changed = await engine.load({ cookieHeader: cookie, secure: false });
      changed.data.a = 2;
      await engine.commit(changed).pending;
      assert.ok(!events.some((e) => e.type === 'session.vanished'), 'the patch applied');

      now += 2 * MINUTE;
      const fresh = await engine.load({ cookieHeader: undefined, secure: false });
      const patched = await engine.load({ cookieHeader: cookie, secure: false });
      const touched = await engine.load({ cookieHeader: cookie, secure: false });
      await store.close();
      fresh.data.a = 1;
      patched.data.a = 3;
      for (const [session, operation] of [
        [fresh, 'set'],
        [patched, 'patch'],
        [touched, 'touch'],
      ] as const) {
        await assert.rejects(engine.commit(session).pending!, { code: 'STORE_UNAVAILABLE' });
        const reported = events.filter((e) => e.type === 'session.store_error').at(-1);
        assert.equal((reported as { operation?: string } | undefined)?.operation, operation);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
