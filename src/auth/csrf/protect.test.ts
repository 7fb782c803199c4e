import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { TesseraEvent } from '../../kernel/events.js';
import { SessionEngine } from '../../session/engine.js';
import { MemoryStore } from '../../stores/memory/index.js';
import { csrfCheck, needsToken } from './protect.js';
import { createCsrf } from './token.js';

describe('S-39 needsToken: the form types, however spelled, and anything unclear', {
  timeout: 60_000,
}, () => {
  for (const type of [
    undefined,
    '',
    'application/x-www-form-urlencoded',
    'Application/x-www-form-urlencoded',
    'APPLICATION/X-WWW-FORM-URLENCODED; charset=utf-8',
    ' multipart/form-data; boundary=x',
    'text/plain',
    'TEXT/PLAIN',
    'text/plain;charset=UTF-8',
    'not a type',
    'text/plain, application/json',
    '/json',
  ]) {
    it(`${JSON.stringify(type)} needs a token`, () => assert.equal(needsToken(type), true));
  }
  for (const type of ['application/json', 'Application/JSON; charset=utf-8', 'application/cbor']) {
    it(`${JSON.stringify(type)} relies on the origin guard`, () =>
      assert.equal(needsToken(type), false));
  }
});

describe('csrfCheck', { timeout: 60_000 }, () => {
  it('checks the origin before the token, and prefers the header token', async () => {
    const engine = new SessionEngine({ secrets: [randomBytes(32).toString('base64url')] });
    const csrf = createCsrf({ engine });
    const check = csrfCheck({ csrf });
    const session = await engine.load({ cookieHeader: undefined, secure: true });
    const token = csrf.token(session);
    const base = {
      method: 'POST',
      origin: 'https://app.example',
      secFetchSite: undefined,
      host: 'app.example',
      secure: true,
      contentType: 'application/x-www-form-urlencoded',
    };
    assert.doesNotThrow(() =>
      check({ ...base, headerToken: undefined, bodyToken: token }, session),
    );
    assert.doesNotThrow(() => check({ ...base, headerToken: token, bodyToken: 'x' }, session));
    assert.throws(() => check({ ...base, headerToken: 'x', bodyToken: token }, session), {
      reason: 'invalid-token',
    });
    assert.throws(
      () =>
        check(
          { ...base, origin: 'https://evil.example', headerToken: token, bodyToken: token },
          session,
        ),
      { code: 'CSRF', reason: 'origin-mismatch' },
    );
    assert.throws(() => check({ ...base, headerToken: undefined, bodyToken: undefined }, session), {
      reason: 'missing-token',
    });
    assert.throws(() => check.origin({ ...base, secFetchSite: 'cross-site' }), {
      reason: 'cross-site',
    });
    assert.throws(() => csrfCheck({} as never), { code: 'INVALID_OPTIONS' });
  });

  it('S-58 every refusal emits exactly one csrf.rejected (reason, method, user, sessionRef); a pass emits none', async () => {
    const events: TesseraEvent[] = [];
    const engine = new SessionEngine({
      secrets: [randomBytes(32).toString('base64url')],
      store: new MemoryStore(),
      onEvent: (event) => events.push(event),
    });
    const csrf = createCsrf({ engine });
    const check = csrfCheck({ csrf });
    const first = await engine.load({ cookieHeader: undefined, secure: true });
    first.setUser('alice');
    const plan = engine.commit(first);
    await plan.pending;
    const cookie = plan.setCookie.map((line) => line.split(';')[0]).join('; ');
    const session = await engine.load({ cookieHeader: cookie, secure: true });
    const token = csrf.token(session);
    const base = {
      method: 'post',
      origin: 'https://app.example',
      secFetchSite: undefined,
      host: 'app.example',
      secure: true,
      contentType: 'application/x-www-form-urlencoded',
      headerToken: undefined,
    };
    const rejected = () => events.filter((e) => e.type === 'csrf.rejected');
    check({ ...base, bodyToken: token }, session);
    assert.equal(rejected().length, 0);
    const cases = [
      [{ ...base, bodyToken: undefined }, 'missing-token'],
      [{ ...base, bodyToken: `${token.slice(0, -2)}AA` }, 'invalid-token'],
      [{ ...base, origin: 'https://evil.example', bodyToken: token }, 'origin-mismatch'],
      [{ ...base, secFetchSite: 'cross-site', bodyToken: token }, 'cross-site'],
    ] as const;
    for (const [facts, reason] of cases) {
      const before = rejected().length;
      assert.throws(() => check(facts, session), { reason });
      const added = rejected().slice(before);
      assert.equal(added.length, 1, reason);
      assert.deepEqual(added[0], {
        type: 'csrf.rejected',
        reason,
        method: 'POST',
        userId: 'alice',
        sessionRef: engine.kernel.sessionRef(session.id!),
      });
      assert.equal(JSON.stringify(added[0]).includes(token), false, 'no token in the event');
    }
    // The origin part alone (adapters that read the body afterwards): one event too.
    const before = rejected().length;
    assert.throws(() => check.origin({ ...base, secFetchSite: 'same-site' }), {
      reason: 'same-site',
    });
    assert.equal(rejected().length, before + 1);
    assert.equal(rejected().at(-1)?.userId, null, 'no session given: no user named');
  });
});
