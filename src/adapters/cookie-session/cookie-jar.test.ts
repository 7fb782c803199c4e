import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCookie, serializeCookie } from './cookie-jar.js';

describe('cookie-session cookie jar', { timeout: 30_000 }, () => {
  it('finds the first pair by exact name, as the cookies package does', () => {
    assert.equal(readCookie('a=1; session=x; session=y', 'session'), 'x');
    assert.equal(readCookie('xsession=1;session=2', 'session'), '2');
    assert.equal(readCookie('  session=3', 'session'), '3');
    assert.equal(readCookie('session.sig=s; session=v', 'session'), 'v');
    assert.equal(readCookie('session="q"', 'session'), 'q');
    assert.equal(readCookie('other=1', 'session'), undefined);
    assert.equal(readCookie(undefined, 'session'), undefined);
  });

  it('writes attributes in the cookies package order', () => {
    const line = serializeCookie(
      'session',
      'v',
      {
        maxAge: 1000,
        domain: 'example.com',
        priority: 'High' as 'high',
        sameSite: true,
        partitioned: true,
      },
      true,
      Date.UTC(2026, 0, 1),
    );
    assert.equal(
      line,
      'session=v; path=/; expires=Thu, 01 Jan 2026 00:00:01 GMT; domain=example.com; priority=high; samesite=strict; secure; httponly; partitioned',
    );
  });

  it('refuses what the cookies package refuses', () => {
    assert.throws(() => serializeCookie('a;b', 'v', {}, false, 0), TypeError);
    assert.throws(() => serializeCookie('a', 'v;w', {}, false, 0), TypeError);
    assert.throws(() => serializeCookie('a', 'v', { maxAge: Number.NaN }, false, 0), TypeError);
    assert.throws(() => serializeCookie('a', 'v', { path: '/\n' }, false, 0), TypeError);
  });
});
