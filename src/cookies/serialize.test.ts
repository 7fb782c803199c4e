import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InvalidCookieError, isTesseraError } from '../errors.js';
import type { CookieAttributes } from './attributes.js';
import { parseCookieHeader } from './parse.js';
import { serializeCookie, serializeExpiredCookie } from './serialize.js';

/** Asserts an InvalidCookieError (also a TypeError) whose message leaks none of `secrets`. */
function assertRefused(fn: () => unknown, ...secrets: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InvalidCookieError);
    assert.ok(error instanceof TypeError);
    assert.ok(isTesseraError(error));
    assert.equal(error.code, 'INVALID_COOKIE');
    for (const secret of secrets) assert.equal(error.message.includes(secret), false);
    for (const control of ['\r', '\n', '\u0000']) {
      assert.equal(error.message.includes(control), false);
    }
    return true;
  });
}

const TCHAR = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const OCTET = [...Array(0x7f).keys()]
  .filter((c) => c >= 0x21 && c !== 0x22 && c !== 0x2c && c !== 0x3b && c !== 0x5c)
  .map((c) => String.fromCharCode(c));

describe('serializeCookie', { timeout: 60_000 }, () => {
  test('formats attributes in a fixed order', () => {
    const line = serializeCookie('id', 'v', {
      maxAge: 60,
      domain: 'example.com',
      path: '/app',
      expires: new Date(Date.UTC(2030, 0, 1)),
      httpOnly: true,
      secure: true,
      partitioned: true,
      priority: 'high',
      sameSite: 'none',
    });
    assert.equal(
      line,
      'id=v; Max-Age=60; Domain=example.com; Path=/app; Expires=Tue, 01 Jan 2030 00:00:00 GMT; ' +
        'HttpOnly; Secure; Partitioned; Priority=High; SameSite=None',
    );
  });

  test('S-20 an injected name throws and echoes nothing', () => {
    assertRefused(() => serializeCookie('a=b; Max-Age=9; x', 'v'), 'Max-Age=9');
    assertRefused(() => serializeCookie('sid\r\nX: y', 'v'), 'X: y');
    assertRefused(() => serializeCookie('', 'v'));
    assertRefused(() => serializeCookie('s\u00e9', 'v'));
  });

  test('S-20 injected path and domain throw and echo nothing', () => {
    assertRefused(
      () => serializeCookie('sid', 'v', { path: '/; Domain=evil.example' }),
      'evil.example',
    );
    assertRefused(
      () => serializeCookie('sid', 'v', { domain: 'evil.example; SameSite=None' }),
      'evil.example',
    );
    assertRefused(() => serializeCookie('sid', 'v', { path: '/a\r\nSet-Cookie: x=y' }), 'x=y');
    assertRefused(() => serializeCookie('sid', 'v', { path: 'relative' }));
    assertRefused(() => serializeCookie('sid', 'v', { path: `/${'a'.repeat(1024)}` }));
    assertRefused(() => serializeCookie('sid', 'v', { domain: 'a_b.example' }));
    assertRefused(() => serializeCookie('sid', 'v', { domain: 'example.com.' }));
    assertRefused(() => serializeCookie('sid', 'v', { domain: '' }));
  });

  test('Domain accepts host names only', () => {
    for (const domain of [
      'example.com',
      '.example.com',
      'localhost',
      'a-b.c1.example',
      '127.0.0.1',
    ]) {
      assert.equal(serializeCookie('a', 'b', { domain }), `a=b; Domain=${domain}`);
    }
    const long = 'a'.repeat(64);
    for (const domain of ['-a.example', 'a-.example', 'a..b', '.', `${long}.example`, 'a b']) {
      assertRefused(() => serializeCookie('a', 'b', { domain }));
    }
  });

  test('S-20 values outside cookie-octets throw and are never echoed', () => {
    for (const bad of ['a;b', 'a,b', 'a b', 'a"b', 'a\\b', 'a\u0000', 'secret\r\n', 'caf\u00e9']) {
      assertRefused(() => serializeCookie('sid', bad), bad);
    }
  });

  test('S-20 malformed attributes throw', () => {
    const bad: unknown[] = [
      { maxAge: 1.5 },
      { maxAge: Number.NaN },
      { maxAge: '60' },
      { expires: new Date('nope') },
      { expires: 0 },
      { sameSite: 'Lax' },
      { sameSite: true },
      { priority: 'urgent' },
      { secure: 'yes' },
      { sameSite: 'none' },
      { partitioned: true },
    ];
    for (const attributes of bad) {
      assertRefused(() => serializeCookie('sid', 'v', attributes as CookieAttributes));
    }
    assertRefused(() => serializeCookie('sid', 'v', null as unknown as CookieAttributes));
  });

  test('Max-Age is capped at 400 days', () => {
    assert.equal(serializeCookie('a', 'b', { maxAge: 10 ** 9 }), 'a=b; Max-Age=34560000');
    assert.equal(serializeCookie('a', 'b', { maxAge: 0 }), 'a=b; Max-Age=0');
  });

  test('prefix rules: __Host- needs Secure, Path=/ and no Domain (case-insensitive)', () => {
    const ok = { secure: true, path: '/' } as const;
    assert.equal(serializeCookie('__Host-sid', 'v', ok), '__Host-sid=v; Path=/; Secure');
    for (const name of ['__Host-sid', '__HOST-sid', '__host-sid']) {
      assertRefused(() => serializeCookie(name, 'v', { path: '/' }));
      assertRefused(() => serializeCookie(name, 'v', { secure: true }));
      assertRefused(() => serializeCookie(name, 'v', { secure: true, path: '/a' }));
      assertRefused(() => serializeCookie(name, 'v', { ...ok, domain: 'example.com' }));
    }
  });

  test('prefix rules are also enforced by the types for literal names', () => {
    // @ts-expect-error a literal __Host- name requires secure: true and path: '/'
    assertRefused(() => serializeCookie('__Host-sid', 'v'));
    const withDomain = { secure: true, path: '/', domain: 'a.b' } as const;
    // @ts-expect-error a literal __Host- name forbids a Domain
    assertRefused(() => serializeCookie('__Host-sid', 'v', withDomain));
    // @ts-expect-error a literal __Secure- name requires secure: true
    assertRefused(() => serializeCookie('__Secure-sid', 'v', { secure: false }));
  });

  test('prefix rules: __Secure- needs Secure; __Http- and __Host-Http- need HttpOnly', () => {
    assert.equal(serializeCookie('__Secure-id', 'v', { secure: true }), '__Secure-id=v; Secure');
    assertRefused(() => serializeCookie('__SECURE-id' as string, 'v'));
    assertRefused(() => serializeCookie('__Http-id' as string, 'v', { secure: true }));
    assert.equal(
      serializeCookie('__Http-id', 'v', { secure: true, httpOnly: true }),
      '__Http-id=v; HttpOnly; Secure',
    );
    assertRefused(() =>
      serializeCookie('__Host-Http-id' as string, 'v', { secure: true, path: '/' }),
    );
    assert.equal(
      serializeCookie('__Host-Http-id', 'v', { secure: true, httpOnly: true, path: '/' }),
      '__Host-Http-id=v; Path=/; HttpOnly; Secure',
    );
  });

  test('S-21 the whole line is bounded by 4096 bytes', () => {
    assert.equal(serializeCookie('a', 'x'.repeat(4094)).length, 4096);
    assertRefused(() => serializeCookie('a', 'x'.repeat(4095)));
    assertRefused(() => serializeCookie('a', 'x'.repeat(4080), { path: '/abcdefghijklmnop' }));
  });

  test('serializeExpiredCookie keeps name and attributes, expires now', () => {
    const attributes = { secure: true, path: '/', httpOnly: true, sameSite: 'lax' } as const;
    assert.equal(
      serializeExpiredCookie('__Host-sid', { ...attributes, maxAge: 99 }),
      '__Host-sid=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax',
    );
    assertRefused(() => serializeExpiredCookie('__Host-sid' as string, { path: '/' }));
  });

  test('property: serialize -> parse round-trips valid names and values', () => {
    const name = fc.string({ unit: fc.constantFrom(...TCHAR), minLength: 1, maxLength: 40 });
    const value = fc.string({ unit: fc.constantFrom(...OCTET), maxLength: 200 });
    fc.assert(
      fc.property(name, value, (n, v) => {
        const line = serializeCookie(n, v, { path: '/', httpOnly: true, sameSite: 'strict' });
        // A browser echoes only `name=value` back in the Cookie header.
        const pair = line.slice(0, line.indexOf(';'));
        assert.equal(parseCookieHeader(pair, { decode: false }).values.get(n), v);
      }),
      { numRuns: 300 },
    );
  });
});
