import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { hashSessionId } from '../crypto/sign.js';
import type { TesseraEvent } from '../kernel/events.js';
import { MemoryStore } from '../stores/memory/index.js';
import { SessionEngine } from './engine.js';

const secret = (): string => randomBytes(32).toString('base64url');
type Data = Record<string, unknown>;

async function roundTrip(
  engine: SessionEngine<Data>,
  cookie: string | undefined,
  change: (d: Data) => void,
) {
  const session = await engine.load({ cookieHeader: cookie, secure: false });
  change(session.data);
  const result = engine.commit(session);
  await result.pending;
  return { session, result, cookie: result.setCookie[0]?.split(';')[0] ?? cookie };
}

describe('SessionEngine', { timeout: 60_000 }, () => {
  it('commits once; a second commit and later changes throw SessionStateError', async () => {
    const engine = new SessionEngine<Data>({ secrets: [secret()] });
    const session = await engine.load({ cookieHeader: undefined, secure: false });
    session.data.a = 1;
    engine.commit(session);
    assert.throws(() => engine.commit(session), { code: 'SESSION_STATE' });
    assert.throws(() => session.regenerate(), { code: 'SESSION_STATE' });
    assert.throws(() => session.setUser('u'), { code: 'SESSION_STATE' });
    assert.equal(session.isCommitted, true);
  });

  for (const mode of ['cookie', 'store'] as const) {
    it(`${mode} mode: regenerate keeps createdAt and the absolute expiry; an emptied session ends`, async () => {
      let now = 1_000_000;
      const store = mode === 'store' ? new MemoryStore({ clock: () => now }) : undefined;
      const engine = new SessionEngine<Data>({
        secrets: [secret()],
        ...(store ? { store } : {}),
        clock: () => now,
      });
      const first = await roundTrip(engine, undefined, (d) => {
        d.a = 1;
      });
      now += 60_000;
      const loaded = await engine.load({ cookieHeader: first.cookie, secure: false });
      assert.equal(loaded.createdAt, 1_000_000);
      loaded.regenerate();
      const regenerated = engine.commit(loaded);
      await regenerated.pending;
      const cookie = regenerated.setCookie[0]!.split(';')[0]!;
      assert.notEqual(cookie, first.cookie);
      const again = await engine.load({ cookieHeader: cookie, secure: false });
      assert.equal(again.createdAt, 1_000_000);
      assert.equal(again.absoluteExpiresAt, first.session.absoluteExpiresAt);
      assert.equal(again.isChanged, false);
      delete again.data.a;
      assert.equal(again.isChanged, true);
      const ended = engine.commit(again);
      await ended.pending;
      assert.match(ended.setCookie[0]!, /Max-Age=0/);
      if (store) assert.equal(store.stats.size, 0);
      await store?.close();
    });
  }

  it('store mode: a patch on a session destroyed meanwhile does not resurrect it (vanished event)', async () => {
    const store = new MemoryStore();
    const events: TesseraEvent[] = [];
    const engine = new SessionEngine<Data>({
      secrets: [secret()],
      store,
      onEvent: (e) => events.push(e), // the engine emits only session events
    });
    const { cookie } = await roundTrip(engine, undefined, (d) => {
      d.a = 1;
    });
    const session = await engine.load({ cookieHeader: cookie, secure: false });
    // Another request (or "sign out everywhere") destroys the record meanwhile.
    await store.destroy(hashSessionId(session.id!));
    session.data.b = 2;
    await engine.commit(session).pending;
    assert.equal(store.stats.size, 0);
    assert.ok(events.some((e) => e.type === 'session.vanished'));
    await store.close();
  });

  it('events from a throwing onEvent handler never break a request', async () => {
    const engine = new SessionEngine<Data>({
      secrets: [secret()],
      onEvent: () => {
        throw new Error('logger down');
      },
    });
    const { result } = await roundTrip(engine, 'sid=garbage', (d) => {
      d.a = 1;
    });
    assert.equal(result.setCookie.length, 1);
  });
});
