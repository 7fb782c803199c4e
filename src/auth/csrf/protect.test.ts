import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SessionEngine } from '../../session/engine.js';
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
});
