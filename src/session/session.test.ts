/**
 * `Session` as the application reads it: `id` through the lifecycle, `isNew`,
 * `isChanged` of a session that came without a cookie, `setUser()` argument checks and
 * the data object `destroy()` leaves.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { MemoryStore } from '../stores/memory/index.js';
import { SessionEngine } from './engine.js';
import type { Session } from './session.js';
import { writeSystemEntry } from './system.js';

type Data = Record<string, unknown>;
const secret = (): string => randomBytes(32).toString('base64url');

function cookieOf(lines: readonly string[]): string {
  return lines[0]!.split(';')[0]!;
}

function idOf(cookie: string): string {
  return decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)).split('.')[0]!;
}

async function load(engine: SessionEngine<Data>, cookie?: string): Promise<Session<Data>> {
  return engine.load({ cookieHeader: cookie, secure: false });
}

describe('Session.id', { timeout: 60_000 }, () => {
  it('store mode: the id in the cookie, unknown while a new one is pending, the new one once committed', async () => {
    const engine = new SessionEngine<Data>({ secrets: [secret()], store: new MemoryStore() });
    const fresh = await load(engine);
    assert.equal(fresh.id, undefined, 'no id before the first commit');
    fresh.data.a = 1;
    const plan = engine.commit(fresh);
    await plan.pending;
    const cookie = cookieOf(plan.setCookie);
    assert.equal(fresh.id, idOf(cookie), 'the committed id');
    assert.match(fresh.id!, /^[A-Za-z0-9_-]{43}$/);

    const loaded = await load(engine, cookie);
    assert.equal(loaded.id, idOf(cookie));
    loaded.data.b = 2;
    assert.equal(loaded.id, idOf(cookie), 'a data change keeps the id');
    loaded.regenerate();
    assert.equal(loaded.id, undefined, 'pending regeneration: the old id is on its way out');
    const next = engine.commit(loaded);
    await next.pending;
    const rotated = cookieOf(next.setCookie);
    assert.notEqual(idOf(rotated), idOf(cookie));
    assert.equal(loaded.id, idOf(rotated));

    const kept = await load(engine, rotated);
    engine.commit(kept);
    assert.equal(kept.id, idOf(rotated), 'a committed READ keeps reporting its id');

    const ending = await load(engine, rotated);
    ending.destroy();
    assert.equal(ending.id, undefined);
    engine.commit(ending);
    assert.equal(ending.id, undefined, 'destroyed and nothing new: no id');
  });

  it('cookie mode: never an id (the nonce stays inside the seal)', async () => {
    const engine = new SessionEngine<Data>({ secrets: [secret()] });
    const fresh = await load(engine);
    fresh.data.a = 1;
    const plan = engine.commit(fresh);
    assert.equal(fresh.id, undefined);
    const loaded = await load(engine, cookieOf(plan.setCookie));
    assert.equal(loaded.isNew, false);
    assert.equal(loaded.id, undefined);
  });
});

describe('Session of a request without a cookie', { timeout: 60_000 }, () => {
  for (const mode of ['cookie', 'store'] as const) {
    const make = () =>
      new SessionEngine<Data>({
        secrets: [secret()],
        ...(mode === 'store' ? { store: new MemoryStore() } : {}),
      });

    it(`${mode} mode: isChanged once it holds data, a user or a system entry`, async () => {
      const engine = make();
      const withData = await load(engine);
      assert.equal(withData.isNew, true);
      assert.equal(withData.isChanged, false);
      withData.data.a = 1;
      assert.equal(withData.isChanged, true);

      const withUser = await load(engine);
      withUser.setUser('u');
      assert.equal(withUser.isChanged, true);
      assert.equal(withUser.userId, 'u');

      const withEntry = await load(engine);
      writeSystemEntry(withEntry, 'tessera:csrf', '"t"');
      assert.equal(withEntry.isChanged, true);
      assert.equal(withEntry.isCommitted, false);
      engine.commit(withEntry);
      assert.equal(withEntry.isCommitted, true);
      assert.equal(withEntry.isChanged, false);
    });
  }
});

describe('Session methods', { timeout: 60_000 }, () => {
  it('setUser() takes a non-empty string or null only', async () => {
    const engine = new SessionEngine<Data>({ secrets: [secret()] });
    const session = await load(engine);
    for (const bad of ['', 42, undefined, {}]) {
      assert.throws(() => session.setUser(bad as never), {
        name: 'TypeError',
        message: 'userId must be a non-empty string or null',
      });
    }
    assert.equal(session.userId, null);
    session.setUser('u');
    assert.equal(session.userId, 'u');
    session.setUser(null);
    assert.equal(session.userId, null);
  });

  it('destroy() leaves an empty null-prototype data object that starts a new session', async () => {
    const engine = new SessionEngine<Data>({ secrets: [secret()] });
    const first = await load(engine);
    first.data.a = 1;
    const cookie = cookieOf(engine.commit(first).setCookie);
    const session = await load(engine, cookie);
    const before = session.data;
    session.destroy();
    assert.notEqual(session.data, before, 'a new object: references to the old data see no change');
    assert.equal(before.a, 1);
    assert.equal(Object.getPrototypeOf(session.data), null);
    assert.deepEqual(Object.keys(session.data), []);
    assert.equal(Object.isFrozen(session.data), false);
    session.data.b = 2;
    const plan = engine.commit(session);
    const again = await load(engine, cookieOf(plan.setCookie));
    assert.deepEqual({ ...again.data }, { b: 2 });
    assert.equal(again.isReadOnly, false);
  });
});
