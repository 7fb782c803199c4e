import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidCookieError } from '../errors.js';
import type { CookieAttributes } from './attributes.js';
import { precomputeCookie } from './precomputed.js';

const HOST_ATTRIBUTES: CookieAttributes = {
  path: '/',
  httpOnly: true,
  secure: true,
  sameSite: 'lax',
};

/** Asserts an InvalidCookieError whose message matches `pattern`. */
function assertRefused(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InvalidCookieError);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('precomputeCookie', { timeout: 60_000 }, () => {
  test('preformats the suffix and the expiring suffix', () => {
    const cookie = precomputeCookie('__Host-sid', HOST_ATTRIBUTES);
    assert.equal(cookie.name, '__Host-sid');
    assert.equal(cookie.suffix, '; Path=/; HttpOnly; Secure; SameSite=Lax');
    assert.equal(
      cookie.expiredSuffix,
      '; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax',
    );
    assert.equal(cookie.serialize('abc'), `__Host-sid=abc${cookie.suffix}`);
    assert.equal(cookie.serializeExpired(), `__Host-sid=${cookie.expiredSuffix}`);
    assert.equal(cookie.serializeExpired('__Host-sid.2'), `__Host-sid.2=${cookie.expiredSuffix}`);
  });

  test('the attributes are a frozen copy of the ones given', () => {
    const given: { -readonly [K in keyof CookieAttributes]: CookieAttributes[K] } = {
      path: '/',
      httpOnly: true,
    };
    const cookie = precomputeCookie('sid', given);
    given.path = '/other';
    given.httpOnly = false;
    assert.deepEqual(cookie.attributes, { path: '/', httpOnly: true });
    assert.ok(Object.isFrozen(cookie.attributes));
    assert.ok(Object.isFrozen(cookie));
    assert.equal(cookie.serialize('v'), 'sid=v; Path=/; HttpOnly');
  });

  test('refuses maxAge or expires among the fixed attributes', () => {
    assertRefused(() => precomputeCookie('sid', { maxAge: 60 }), /maxAge or expires/);
    assertRefused(() => precomputeCookie('sid', { maxAge: 0 }), /maxAge or expires/);
    assertRefused(() => precomputeCookie('sid', { expires: new Date(0) }), /maxAge or expires/);
    assert.equal(precomputeCookie('sid', {}).serialize('v'), 'sid=v');
  });

  test('a chunk name must be a token with the same prefix', () => {
    const cookie = precomputeCookie('__Host-sid', HOST_ATTRIBUTES);
    const sameRules = ['__Host-sid.1', '__HOST-other', '__host-sid.0'];
    for (const name of sameRules) {
      assert.equal(cookie.serialize('v', { name }), `${name}=v${cookie.suffix}`, name);
      assert.equal(cookie.serializeExpired(name), `${name}=${cookie.expiredSuffix}`, name);
    }
    const refused = ['sid.1', '__Secure-sid', '__Host-Http-sid', '__Host-s d', '__Host-s;d', ''];
    for (const name of refused) {
      assertRefused(() => cookie.serialize('v', { name }), /valid token with the same prefix/);
      assertRefused(() => cookie.serializeExpired(name), /valid token with the same prefix/);
    }
    const plain = precomputeCookie('sid', { path: '/' });
    assert.equal(plain.serialize('v', { name: 'sid.7' }), 'sid.7=v; Path=/');
    assertRefused(() => plain.serialize('v', { name: 'sid 7' }), /same prefix/);
    assertRefused(() => plain.serialize('v', { name: '__Secure-sid' }), /same prefix/);
  });

  test('values must be strings of cookie-octets', () => {
    const cookie = precomputeCookie('sid', {});
    for (const bad of ['a;b', 'a b', '"', 'a,b', 'a\\b', 'caf\u00e9', 123, undefined, null]) {
      assertRefused(() => cookie.serialize(bad as string), /cookie-octets/);
    }
    assert.equal(cookie.serialize(''), 'sid=');
  });

  test('maxAge is written before the suffix, must be an integer and is capped at 400 days', () => {
    const cookie = precomputeCookie('sid', { path: '/', httpOnly: true });
    assert.equal(cookie.serialize('v', { maxAge: 60 }), 'sid=v; Max-Age=60; Path=/; HttpOnly');
    assert.equal(cookie.serialize('v', { maxAge: 0 }), 'sid=v; Max-Age=0; Path=/; HttpOnly');
    assert.equal(
      cookie.serialize('v', { maxAge: 34_560_000 }),
      'sid=v; Max-Age=34560000; Path=/; HttpOnly',
    );
    assert.equal(
      cookie.serialize('v', { maxAge: 10 ** 12 }),
      'sid=v; Max-Age=34560000; Path=/; HttpOnly',
    );
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, '60', null]) {
      assertRefused(
        () => cookie.serialize('v', { maxAge: bad as number }),
        /maxAge must be an integer/,
      );
    }
  });

  test('a line of exactly 4096 bytes is written; one byte more is refused', () => {
    const cookie = precomputeCookie('sid', { path: '/' });
    const room = 4096 - 'sid='.length - '; Path=/'.length;
    const line = cookie.serialize('x'.repeat(room));
    assert.equal(line.length, 4096);
    assertRefused(() => cookie.serialize('x'.repeat(room + 1)), /exceed 4096 bytes/);
    // Max-Age counts towards the bound.
    assertRefused(() => cookie.serialize('x'.repeat(room), { maxAge: 1 }), /exceed 4096 bytes/);
  });

  test('invalid fixed names and attributes are refused once, when precomputing', () => {
    assert.throws(() => precomputeCookie('s d', {}), InvalidCookieError);
    assert.throws(() => precomputeCookie('__Host-sid', { path: '/' }), InvalidCookieError);
    assert.throws(() => precomputeCookie('sid', { path: '/; x' }), InvalidCookieError);
  });
});
