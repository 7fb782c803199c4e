/**
 * Ending sessions before they expire, in both modes: the `validate` hook, the cookie-mode
 * registry, and the user-level operations (list, revoke one, revoke all, all but current).
 * In process against the real memory store.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { TesseraEvent } from '../kernel/events.js';
import { MemoryStore } from '../stores/memory/index.js';
import { SessionEngine } from './engine.js';
import type { SessionOptions } from './options.js';
import type { Session } from './session.js';

type Data = Record<string, unknown>;
const secret = (): string => randomBytes(32).toString('base64url');

/** Loads with `cookie`, lets `act` change the session, commits; returns the new cookie header. */
async function step(
  engine: SessionEngine<Data>,
  cookie: string | undefined,
  act: (session: Session<Data>) => void = () => {},
  device: { userAgent?: string; clientAddress?: string } = {},
): Promise<{ session: Session<Data>; cookie: string | undefined; setCookie: readonly string[] }> {
  const session = await engine.load({ cookieHeader: cookie, secure: false, ...device });
  act(session);
  const plan = engine.commit(session);
  await plan.pending;
  const fresh = plan.setCookie.find((line) => !/Max-Age=0/.test(line));
  const ended = plan.setCookie.some((line) => /Max-Age=0/.test(line));
  return {
    session,
    cookie: fresh !== undefined ? fresh.split(';')[0] : ended ? undefined : cookie,
    setCookie: plan.setCookie,
  };
}

const CONFIGS = [
  { label: 'store mode', make: (store: MemoryStore) => ({ store }) },
  { label: 'cookie mode with a registry', make: (store: MemoryStore) => ({ registry: store }) },
] as const;

for (const { label, make } of CONFIGS) {
  describe(`${label}: revocation`, { timeout: 60_000 }, () => {
    const engineWith = (extra: Partial<SessionOptions<Data>> = {}) => {
      const store = new MemoryStore();
      const events: TesseraEvent[] = [];
      const engine = new SessionEngine<Data>({
        secrets: [secret()],
        ...make(store),
        trackDevices: true,
        onEvent: (e) => events.push(e as TesseraEvent),
        ...extra,
      });
      return { engine, store, events };
    };

    it("lists a user's sessions with device, marks the current one, revokes one by handle", async () => {
      const { engine } = engineWith();
      const phone = await step(engine, undefined, (s) => s.setUser('u1'), {
        userAgent: 'Phone/1.0',
        clientAddress: '192.0.2.7',
      });
      const laptop = await step(engine, undefined, (s) => s.setUser('u1'), {
        userAgent: 'Laptop/2.0',
      });
      await step(engine, undefined, (s) => s.setUser('u2'));
      const current = await step(engine, laptop.cookie);
      const listed = await engine.listSessions('u1', { current: current.session });
      assert.equal(listed.length, 2);
      assert.deepEqual(listed.map((s) => s.userAgent).sort(), ['Laptop/2.0', 'Phone/1.0']);
      assert.deepEqual(
        listed.filter((s) => s.current).map((s) => s.userAgent),
        ['Laptop/2.0'],
      );
      assert.equal(listed.find((s) => s.userAgent === 'Phone/1.0')?.address, '192.0.2.7');
      for (const s of listed) assert.match(s.handle, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(
        Object.keys((await step(engine, phone.cookie)).session.data).length,
        0,
        'device facts never show in session data',
      );

      const phoneHandle = listed.find((s) => s.userAgent === 'Phone/1.0')!.handle;
      assert.equal(await engine.revokeSession('u2', phoneHandle), false, "not u2's session");
      assert.equal((await step(engine, phone.cookie)).session.isNew, false);
      assert.equal(await engine.revokeSession('u1', phoneHandle), true);
      const refused = await step(engine, phone.cookie);
      assert.equal(refused.session.isNew, true, 'the revoked device is signed out');
      assert.match(refused.setCookie[0] ?? '', /Max-Age=0/);
      assert.equal(await engine.revokeSession('u1', 'not-a-handle'), false);
    });

    it('revokeUserSessions: all but the current one, then all', async () => {
      const { engine } = engineWith();
      const a = await step(engine, undefined, (s) => s.setUser('u'));
      const b = await step(engine, undefined, (s) => s.setUser('u'));
      const c = await step(engine, undefined, (s) => s.setUser('u'));
      const other = await step(engine, undefined, (s) => s.setUser('someone-else'));
      const current = await step(engine, b.cookie);
      assert.equal(await engine.revokeUserSessions('u', { except: current.session }), 2);
      assert.equal((await step(engine, a.cookie)).session.isNew, true);
      assert.equal((await step(engine, c.cookie)).session.isNew, true);
      assert.equal((await step(engine, b.cookie)).session.userId, 'u', 'the current one stays');
      assert.equal(await engine.revokeUserSessions('u'), 1);
      assert.equal((await step(engine, b.cookie)).session.isNew, true);
      assert.equal((await step(engine, other.cookie)).session.userId, 'someone-else');
    });

    it('validate() refuses a session: guest, cookie expired, session revoked on the server', async () => {
      let generation = 1;
      const { engine, events } = engineWith({
        validate: async (session) => session.data.generation === generation,
      });
      const signedIn = await step(engine, undefined, (s) => {
        s.setUser('u');
        s.data.generation = 1;
      });
      assert.equal((await step(engine, signedIn.cookie)).session.userId, 'u');
      generation = 2; // e.g. the password changed
      const refused = await step(engine, signedIn.cookie);
      assert.equal(refused.session.isNew, true);
      assert.match(refused.setCookie[0] ?? '', /Max-Age=0/);
      assert.ok(events.some((e) => e.type === 'session.rejected' && e.reason === 'invalid'));
      generation = 1;
      const after = await step(engine, signedIn.cookie);
      assert.equal(after.session.isNew, true, 'the refused session was revoked, not just skipped');
    });

    it('a throwing validate() fails the load instead of letting the session through', async () => {
      const { engine } = engineWith({
        validate: () => {
          throw new Error('user database down');
        },
      });
      const signedIn = await step(engine, undefined, (s) => s.setUser('u'));
      await assert.rejects(
        async () => engine.load({ cookieHeader: signedIn.cookie, secure: false }),
        { message: 'user database down' },
      );
    });
  });
}

describe('cookie mode without a registry', { timeout: 60_000 }, () => {
  it('validate() revokes sealed sessions (the remedy without server state)', () => {
    const revokedBefore = { at: 0 };
    const engine = new SessionEngine<Data>({
      secrets: [secret()],
      validate: (session) => session.createdAt >= revokedBefore.at,
    });
    const session = engine.load({ cookieHeader: undefined, secure: false }) as Session<Data>;
    session.setUser('u');
    const cookie = engine.commit(session).setCookie[0]!.split(';')[0];
    assert.equal(
      (engine.load({ cookieHeader: cookie, secure: false }) as Session<Data>).userId,
      'u',
    );
    revokedBefore.at = Date.now() + 1;
    const refused = engine.load({ cookieHeader: cookie, secure: false }) as Session<Data>;
    assert.equal(refused.isNew, true);
  });

  it('user-level operations say clearly that they need a registry', async () => {
    const engine = new SessionEngine<Data>({ secrets: [secret()] });
    await assert.rejects(engine.listSessions('u'), { code: 'NOT_SUPPORTED', message: /registry/ });
    await assert.rejects(engine.revokeUserSessions('u'), { code: 'NOT_SUPPORTED' });
    await assert.rejects(engine.revokeSession('u', 'x'.repeat(43)), { code: 'NOT_SUPPORTED' });
  });

  it('trackDevices without a store or registry is refused at construction', () => {
    assert.throws(() => new SessionEngine({ secrets: [secret()], trackDevices: true }), {
      code: 'INVALID_OPTIONS',
    });
  });

  it('store and registry together are refused', () => {
    const store = new MemoryStore();
    assert.throws(() => new SessionEngine({ secrets: [secret()], store, registry: store }), {
      code: 'INVALID_OPTIONS',
    });
  });
});
