/**
 * System entries (the authentication and CSRF bindings): saved with the session in both
 * modes, invisible in `session.data`, refused from application code, written only when
 * they change, rotated or cleared on the transitions that must not carry them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { hashSessionId } from '../crypto/sign.js';
import { MemoryStore } from '../stores/memory/index.js';
import { SessionEngine } from './engine.js';
import { readSystemEntry, writeSystemEntry } from './system.js';

type Data = Record<string, unknown>;
const secret = (): string => randomBytes(32).toString('base64url');
const AUTH = 'tessera:auth';
const CSRF = 'tessera:csrf';

function cookieOf(lines: readonly string[]): string {
  return lines[0]!.split(';')[0]!;
}

for (const mode of ['cookie', 'store'] as const) {
  describe(`${mode} mode system entries`, { timeout: 60_000 }, () => {
    const make = () => {
      const store = new MemoryStore();
      const engine = new SessionEngine<Data>({
        secrets: [secret()],
        ...(mode === 'store' ? { store } : {}),
      });
      return { engine, store };
    };

    it('round-trip beside the data and never appear in session.data', async () => {
      const { engine } = make();
      const session = await engine.load({ cookieHeader: undefined, secure: false });
      writeSystemEntry(session, AUTH, '{"g":3}');
      session.data.a = 1;
      assert.equal(session.isChanged, true);
      const plan = engine.commit(session);
      await plan.pending;
      const again = await engine.load({ cookieHeader: cookieOf(plan.setCookie), secure: false });
      assert.equal(readSystemEntry(again, AUTH), '{"g":3}');
      assert.deepEqual(Object.keys(again.data), ['a']);
      assert.equal(again.isChanged, false);
    });

    it('alone keep a session (a guest with only a binding gets a cookie)', async () => {
      const { engine } = make();
      const session = await engine.load({ cookieHeader: undefined, secure: false });
      writeSystemEntry(session, CSRF, '"abc"');
      assert.equal(session.isChanged, true);
      const plan = engine.commit(session);
      await plan.pending;
      assert.equal(plan.setCookie.length, 1);
      const again = await engine.load({ cookieHeader: cookieOf(plan.setCookie), secure: false });
      assert.equal(readSystemEntry(again, CSRF), '"abc"');
    });

    it('a changed entry is written; an unchanged one makes no write and no cookie', async () => {
      const { engine, store } = make();
      const first = await engine.load({ cookieHeader: undefined, secure: false });
      writeSystemEntry(first, AUTH, '{"g":1}');
      first.data.a = 1;
      const plan = engine.commit(first);
      await plan.pending;
      const cookie = cookieOf(plan.setCookie);

      const read = await engine.load({ cookieHeader: cookie, secure: false });
      writeSystemEntry(read, AUTH, '{"g":1}');
      assert.equal(read.isChanged, false, 'writing the same text is no change');
      assert.deepEqual(engine.commit(read).setCookie, []);

      const changed = await engine.load({ cookieHeader: cookie, secure: false });
      writeSystemEntry(changed, AUTH, '{"g":2}');
      assert.equal(changed.isChanged, true);
      const changedPlan = engine.commit(changed);
      await changedPlan.pending;
      const next = changedPlan.setCookie.length > 0 ? cookieOf(changedPlan.setCookie) : cookie;
      if (mode === 'store') {
        assert.deepEqual(changedPlan.setCookie, [], 'store mode patches the record only');
        const id = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)).split('.')[0]!;
        const record = await store.get(hashSessionId(id));
        assert.equal(record?.data[AUTH], '{"g":2}');
        assert.equal(record?.data.a, '1', 'the data key is untouched');
      } else {
        assert.equal(changedPlan.setCookie.length, 1, 'cookie mode re-seals');
      }
      const after = await engine.load({ cookieHeader: next, secure: false });
      assert.equal(readSystemEntry(after, AUTH), '{"g":2}');

      const removed = await engine.load({ cookieHeader: next, secure: false });
      writeSystemEntry(removed, AUTH, undefined);
      const removedPlan = engine.commit(removed);
      await removedPlan.pending;
      const last = removedPlan.setCookie.length > 0 ? cookieOf(removedPlan.setCookie) : next;
      const gone = await engine.load({ cookieHeader: last, secure: false });
      assert.equal(readSystemEntry(gone, AUTH), undefined);
      assert.equal(gone.data.a, 1);
    });

    it('regenerate() and a new user drop the CSRF binding and keep the auth binding', async () => {
      const { engine } = make();
      const first = await engine.load({ cookieHeader: undefined, secure: false });
      writeSystemEntry(first, AUTH, '{"g":1}');
      writeSystemEntry(first, CSRF, '"k"');
      first.data.a = 1;
      const plan = engine.commit(first);
      await plan.pending;
      const cookie = cookieOf(plan.setCookie);

      const regenerated = await engine.load({ cookieHeader: cookie, secure: false });
      regenerated.regenerate();
      assert.equal(readSystemEntry(regenerated, CSRF), undefined);
      assert.equal(readSystemEntry(regenerated, AUTH), '{"g":1}');
      const next = engine.commit(regenerated);
      await next.pending;
      const loaded = await engine.load({ cookieHeader: cookieOf(next.setCookie), secure: false });
      assert.equal(readSystemEntry(loaded, CSRF), undefined);
      assert.equal(readSystemEntry(loaded, AUTH), '{"g":1}');

      const bound = await engine.load({ cookieHeader: cookieOf(next.setCookie), secure: false });
      assert.equal(bound.isNew, false);
      writeSystemEntry(bound, CSRF, '"k2"');
      bound.setUser('u1');
      assert.equal(readSystemEntry(bound, CSRF), undefined);
    });

    it('destroy() clears every entry', async () => {
      const { engine } = make();
      const first = await engine.load({ cookieHeader: undefined, secure: false });
      writeSystemEntry(first, AUTH, '{"g":1}');
      first.data.a = 1;
      const plan = engine.commit(first);
      await plan.pending;
      const session = await engine.load({ cookieHeader: cookieOf(plan.setCookie), secure: false });
      session.destroy();
      assert.equal(readSystemEntry(session, AUTH), undefined);
      session.data.b = 2;
      const fresh = engine.commit(session);
      await fresh.pending;
      const loaded = await engine.load({ cookieHeader: cookieOf(fresh.setCookie), secure: false });
      assert.equal(readSystemEntry(loaded, AUTH), undefined);
      assert.deepEqual({ ...loaded.data }, { b: 2 });
    });

    it('an entry survives a commit that changes only data, and a regeneration', async () => {
      const { engine } = make();
      const first = await engine.load({ cookieHeader: undefined, secure: false });
      writeSystemEntry(first, AUTH, '{"g":5}');
      first.data.a = 1;
      const plan = engine.commit(first);
      await plan.pending;
      let cookie = cookieOf(plan.setCookie);
      const changed = await engine.load({ cookieHeader: cookie, secure: false });
      changed.data.a = 2;
      const changedPlan = engine.commit(changed);
      await changedPlan.pending;
      if (changedPlan.setCookie.length > 0) cookie = cookieOf(changedPlan.setCookie);
      const loaded = await engine.load({ cookieHeader: cookie, secure: false });
      assert.equal(loaded.data.a, 2);
      assert.equal(readSystemEntry(loaded, AUTH), '{"g":5}');
      loaded.regenerate();
      const rotated = engine.commit(loaded);
      await rotated.pending;
      const after = await engine.load({ cookieHeader: cookieOf(rotated.setCookie), secure: false });
      assert.equal(after.isNew, false);
      assert.equal(readSystemEntry(after, AUTH), '{"g":5}');
    });

    it('an entry and a data key removed in one commit are both gone', async () => {
      const { engine, store } = make();
      const first = await engine.load({ cookieHeader: undefined, secure: false });
      writeSystemEntry(first, AUTH, '{"g":1}');
      writeSystemEntry(first, CSRF, '"t"');
      first.data.a = 1;
      first.data.b = 2;
      const plan = engine.commit(first);
      await plan.pending;
      let cookie = cookieOf(plan.setCookie);
      const session = await engine.load({ cookieHeader: cookie, secure: false });
      writeSystemEntry(session, AUTH, undefined);
      writeSystemEntry(session, CSRF, '"u"');
      delete session.data.b;
      session.data.a = 3;
      const next = engine.commit(session);
      await next.pending;
      if (next.setCookie.length > 0) cookie = cookieOf(next.setCookie);
      const loaded = await engine.load({ cookieHeader: cookie, secure: false });
      assert.deepEqual({ ...loaded.data }, { a: 3 });
      assert.equal(readSystemEntry(loaded, AUTH), undefined);
      assert.equal(readSystemEntry(loaded, CSRF), '"u"');
      if (mode === 'store') {
        const id = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)).split('.')[0]!;
        const record = await store.get(hashSessionId(id));
        assert.deepEqual(Object.keys(record!.data).sort(), ['a', CSRF]);
      }
    });

    it('application code cannot write a system key, and unknown keys are refused', async () => {
      const { engine } = make();
      const session = await engine.load({ cookieHeader: undefined, secure: false });
      session.data[AUTH] = { g: 99 };
      assert.throws(() => engine.commit(session), { code: 'INVALID_SESSION_DATA' });
      const other = await engine.load({ cookieHeader: undefined, secure: false });
      assert.throws(() => writeSystemEntry(other, 'tessera:other', '1'), {
        code: 'INVALID_OPTIONS',
        message: '"tessera:other" is not a system entry',
      });
      assert.throws(() => readSystemEntry(other, 'a'), {
        code: 'INVALID_OPTIONS',
        message: '"a" is not a system entry',
      });
      assert.throws(() => writeSystemEntry(other, AUTH, 'not json'), SyntaxError);
    });
  });
}
