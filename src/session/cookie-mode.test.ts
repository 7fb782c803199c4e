/**
 * Cookie mode through the engine: which cookies are refused (and expired), what a
 * continuing session re-seals, how chunks are written and cleaned up, and what the
 * registry records and revokes. Only the observable contract: cookies and registry
 * records, never the sealed format.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Keyring } from '../crypto/keyring.js';
import { seal } from '../crypto/seal.js';
import type { TesseraEvent } from '../kernel/events.js';
import { MemoryStore } from '../stores/memory/index.js';
import { SessionEngine } from './engine.js';
import type { SessionOptions } from './options.js';
import type { Session } from './session.js';

type Data = Record<string, unknown>;
const secret = (): string => randomBytes(32).toString('base64url');
const MINUTE = 60_000;

function pairs(lines: readonly string[]): string[] {
  return lines.map((line) => line.split(';')[0]!);
}

function header(lines: readonly string[]): string {
  return pairs(lines.filter((line) => !/Max-Age=0/.test(line))).join('; ');
}

function expired(lines: readonly string[]): string[] {
  return lines.filter((line) => /Max-Age=0/.test(line)).map((line) => line.split('=')[0]!);
}

function setup(extra: Partial<SessionOptions<Data>> = {}) {
  // Real time, so that a registry and an engine on the default clock agree with it.
  let now = Date.now();
  const clock = () => now;
  const key = secret();
  const events: TesseraEvent[] = [];
  const engine = new SessionEngine<Data>({
    secrets: [key],
    clock,
    onEvent: (e) => events.push(e as TesseraEvent),
    idleTimeout: 10 * MINUTE,
    absoluteTimeout: 60 * MINUTE,
    touchAfter: MINUTE,
    ...extra,
  });
  const load = (cookie?: string, device: object = {}): Promise<Session<Data>> =>
    Promise.resolve(engine.load({ cookieHeader: cookie, secure: false, ...device }));
  const commit = async (session: Session<Data>) => {
    const plan = engine.commit(session);
    await plan.pending;
    return plan.setCookie;
  };
  const issue = async (data: Data, userId: string | null = null, device: object = {}) => {
    const session = await load(undefined, device);
    Object.assign(session.data, data);
    if (userId !== null) session.setUser(userId);
    return header(await commit(session));
  };
  const rejections = () =>
    events.flatMap((e) => (e.type === 'session.rejected' ? [e.reason as string] : []));
  return {
    engine,
    key,
    events,
    load,
    commit,
    issue,
    rejections,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

describe('cookie mode: refused cookies', { timeout: 60_000 }, () => {
  it('malformed, forged, altered and unreadable seals are refused and expired', async () => {
    const { key, load, commit, issue, rejections } = setup();
    const value = (await issue({ a: 1 })).slice(4);
    const foreign = (await setup().issue({ a: 1 })).slice(4);
    // A character inside the ciphertext: the last one may carry unused bits, where a
    // change makes the text non-canonical (malformed) rather than a failed tag (tamper).
    const at = 60;
    const altered = `${value.slice(0, at)}${value[at] === 'A' ? 'B' : 'A'}${value.slice(at + 1)}`;
    const keyring = new Keyring([key]);
    const sealed = (purpose: string, text: string) =>
      seal(keyring, { purpose, name: 'sid' }, Buffer.from(text, 'utf8'));
    const cases: [string, string][] = [
      ['sid=garbage', 'malformed'],
      [`sid=${foreign}`, 'tamper'],
      [`sid=${altered}`, 'tamper'],
      [`sid=${sealed('other-purpose', '{}')}`, 'tamper'],
      [`sid=${sealed('session', 'not a payload')}`, 'corrupt'],
    ];
    for (const [cookie, reason] of cases) {
      const session = await load(cookie);
      assert.equal(session.isNew, true, cookie);
      assert.equal(rejections().at(-1), reason, cookie);
      assert.deepEqual(expired(await commit(session)), ['sid'], cookie);
    }
    assert.equal((await load(`sid=${value}`)).data.a, 1);
  });

  it('a broken chunk family is malformed and every member expired; a duplicate is left alone', async () => {
    const { load, commit, issue, rejections } = setup();
    const value = (await issue({ a: 1 })).slice(4);
    const gap = await load(`sid.1=${value}; sid.2=${value}`);
    assert.equal(gap.isNew, true);
    assert.equal(rejections().at(-1), 'malformed');
    assert.deepEqual(expired(await commit(gap)).sort(), ['sid.1', 'sid.2']);
    const duplicate = await load(`sid=${value}; sid=${value}x`);
    assert.equal(duplicate.isNew, true);
    assert.equal(rejections().at(-1), 'duplicate_cookie');
    assert.deepEqual(await commit(duplicate), []);
    const unrelated = await load('other=1');
    assert.deepEqual(rejections().length, 2, 'no cookie of the session: nothing refused');
    assert.deepEqual(await commit(unrelated), []);
  });
});

describe('cookie mode: continuing sessions', { timeout: 60_000 }, () => {
  it('nothing changed and no touch due: no cookie; a due touch re-seals the same session', async () => {
    const { load, commit, issue, advance, now } = setup();
    const created = now();
    const cookie = await issue({ a: 1 }, 'u');
    advance(30_000);
    assert.deepEqual(await commit(await load(cookie)), []);
    advance(60_000);
    const touched = await load(cookie);
    const lines = await commit(touched);
    assert.equal(lines.length, 1);
    const again = await load(header(lines));
    assert.equal(again.expiresAt, now() + 10 * MINUTE);
    assert.equal(again.createdAt, created);
    assert.equal(again.absoluteExpiresAt, created + 60 * MINUTE);
    assert.equal(again.userId, 'u');
    assert.deepEqual({ ...again.data }, { a: 1 });
  });

  it('a cookie sealed under an older secret is re-sealed under the current one', async () => {
    const old = setup();
    const cookie = await old.issue({ a: 1 });
    const current = secret();
    // The same timeouts, so no touch is due: only the older key makes it re-seal.
    const timeouts = { idleTimeout: 10 * MINUTE, absoluteTimeout: 60 * MINUTE, clock: old.now };
    const rotated = new SessionEngine<Data>({ secrets: [current, old.key], ...timeouts });
    const session = (await rotated.load({ cookieHeader: cookie, secure: false })) as Session<Data>;
    assert.equal(session.isNew, false);
    const lines = rotated.commit(session).setCookie;
    assert.equal(lines.length, 1, 're-sealed without any change');
    const onlyCurrent = new SessionEngine<Data>({ secrets: [current], ...timeouts });
    const reloaded = await onlyCurrent.load({ cookieHeader: header(lines), secure: false });
    assert.equal(reloaded.data.a, 1);
    assert.deepEqual(onlyCurrent.commit(reloaded).setCookie, []);
  });

  it('a session growing into chunks expires its single cookie, and shrinking expires the chunks', async () => {
    const { load, commit, issue } = setup();
    const small = await issue({ a: 1 });
    const growing = await load(small);
    growing.data.big = randomBytes(4000).toString('base64url');
    const grown = await commit(growing);
    assert.deepEqual(
      pairs(grown.filter((l) => !/Max-Age=0/.test(l))).map((p) => p.split('=')[0]),
      ['sid.0', 'sid.1'],
    );
    assert.deepEqual(expired(grown), ['sid']);
    const shrinking = await load(header(grown));
    assert.equal(shrinking.data.a, 1);
    delete shrinking.data.big;
    const shrunk = await commit(shrinking);
    assert.deepEqual(expired(shrunk).sort(), ['sid.0', 'sid.1']);
    assert.deepEqual((await load(header(shrunk))).data.a, 1);
  });

  it('persistent: every chunk carries Max-Age and every line stays within 4096 bytes', async () => {
    const { engine } = setup({ cookie: { persistent: true } });
    for (let bytes = 2850; bytes <= 3050; bytes += 3) {
      const session = (await engine.load({
        cookieHeader: undefined,
        secure: false,
      })) as Session<Data>;
      session.data.a = 'x'.repeat(bytes);
      const lines = engine.commit(session).setCookie;
      for (const line of lines) {
        assert.ok(Buffer.byteLength(line) <= 4096, `${bytes}: ${Buffer.byteLength(line)} bytes`);
        assert.match(line, /; Max-Age=3600(;|$)/);
      }
    }
  });
});

describe('cookie mode with a registry', { timeout: 60_000 }, () => {
  it('records each session until its absolute expiry, with its user and device', async () => {
    const registry = new MemoryStore();
    const { issue, now } = setup({ registry, trackDevices: true });
    await issue({ a: 1 }, 'u', { userAgent: 'Agent/2', clientAddress: '198.51.100.4' });
    const entries = await registry.listByUser('u');
    assert.equal(entries.length, 1);
    const { record } = entries[0]!;
    assert.deepEqual(
      { ...record, data: { ...record.data } },
      {
        data: { 'tessera:device': JSON.stringify({ ua: 'Agent/2', ip: '198.51.100.4' }) },
        createdAt: now(),
        expiresAt: now() + 60 * MINUTE,
        absoluteExpiresAt: now() + 60 * MINUTE,
        userId: 'u',
      },
      'the data itself stays in the cookie',
    );
  });

  it('destroy() and regenerate() revoke the old cookie; without a registry it stays valid', async () => {
    for (const registry of [new MemoryStore(), undefined]) {
      const { load, commit, issue, rejections } = setup(registry ? { registry } : {});
      const cookie = await issue({ a: 1 }, 'u');
      const regenerated = await load(cookie);
      regenerated.regenerate();
      const next = header(await commit(regenerated));
      assert.notEqual(next, cookie);
      const replay = await load(cookie);
      assert.equal(replay.isNew, registry !== undefined);
      if (registry) assert.deepEqual(rejections(), ['revoked']);
      const ending = await load(next);
      ending.destroy();
      assert.deepEqual(expired(await commit(ending)), ['sid']);
      assert.equal((await load(next)).isNew, registry !== undefined);
      if (registry) assert.equal(registry.stats.size, 0);
    }
  });
});
