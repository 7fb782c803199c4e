import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { Cookie } from './cookie.js';

// express-session's own Cookie class, to compare with field by field.
const OriginalCookie = createRequire(import.meta.url)('express-session/session/cookie.js') as new (
  options?: object,
) => Cookie;

const EXPIRES = new Date(Date.UTC(2099, 0, 1));

describe('Cookie (as express-session)', { timeout: 60_000 }, () => {
  it('the same JSON and Set-Cookie line as express-session for each option', () => {
    const cases: object[] = [
      {},
      { maxAge: 60_000 },
      { expires: EXPIRES },
      { maxAge: null },
      { path: '/a', domain: 'example.test', httpOnly: false, secure: true },
      { sameSite: true },
      { sameSite: 'lax' },
      { sameSite: 'none', secure: true },
      { priority: 'medium', partitioned: true },
      { expires: EXPIRES, originalMaxAge: 5 },
    ];
    for (const options of cases) {
      const ours = new Cookie(options as never);
      const theirs = new OriginalCookie(options);
      // maxAge counts down from Date.now(): compare what does not move.
      ours.expires = theirs.expires =
        ours.expires === undefined || ours.expires === null ? ours.expires : EXPIRES;
      ours.originalMaxAge = theirs.originalMaxAge =
        (theirs.originalMaxAge as number | null) && 60_000;
      assert.deepStrictEqual(
        JSON.parse(JSON.stringify(ours)),
        JSON.parse(JSON.stringify(theirs)),
        JSON.stringify(options),
      );
      assert.equal(
        ours.serialize('sid', 's:a.b'),
        theirs.serialize('sid', 's:a.b'),
        JSON.stringify(options),
      );
    }
  });

  it('maxAge and expires move together; originalMaxAge is what touch() restores', () => {
    const cookie = new Cookie({ maxAge: 60_000 });
    assert.equal(typeof cookie.maxAge, 'number');
    assert.ok(cookie.expires instanceof Date);
    cookie.maxAge = null;
    assert.equal(cookie.expires, null);
    assert.throws(() => {
      cookie.maxAge = 'soon' as never;
    }, TypeError);
  });
});
