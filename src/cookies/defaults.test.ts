import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InvalidCookieError, InvalidOptionsError } from '../errors.js';
import {
  compileSessionCookie,
  resolveSessionCookie,
  type SessionCookieOptions,
} from './defaults.js';
import { serializeCookie, serializeExpiredCookie } from './serialize.js';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('session cookie defaults', { timeout: 60_000 }, () => {
  test('S-18 a secure request gets __Host-sid with Secure, HttpOnly, Path=/, SameSite=Lax', () => {
    const cookie = resolveSessionCookie({}, true);
    assert.equal(cookie.name, '__Host-sid');
    assert.deepEqual(cookie.attributes, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
    });
    const line = cookie.serialize('abc');
    assert.equal(line, '__Host-sid=abc; Path=/; HttpOnly; Secure; SameSite=Lax');
    assert.equal(/Domain|Max-Age|Expires/.test(line), false);
  });

  test("S-19 'auto' on a plain-HTTP request gives a bare name without Secure", () => {
    const cookie = resolveSessionCookie({}, false);
    assert.equal(cookie.name, 'sid');
    assert.equal(cookie.attributes.secure, undefined);
    assert.equal(cookie.serialize('abc'), 'sid=abc; Path=/; HttpOnly; SameSite=Lax');
  });

  test('S-19 secure: true stays Secure and prefixed on plain-HTTP requests', () => {
    const compiled = compileSessionCookie({ secure: true });
    assert.equal(compiled.forRequest(false), compiled.forRequest(true));
    assert.equal(compiled.forRequest(false).name, '__Host-sid');
  });

  test('secure: false never sets Secure nor a prefix', () => {
    const compiled = compileSessionCookie({ secure: false, name: 'app' });
    assert.equal(compiled.forRequest(true).name, 'app');
    assert.equal(compiled.forRequest(true).attributes.secure, undefined);
  });

  test('a Domain or a narrower Path gets __Secure- instead of __Host-', () => {
    const withDomain = resolveSessionCookie({ domain: 'example.com' }, true);
    assert.equal(withDomain.name, '__Secure-sid');
    assert.equal(withDomain.attributes.domain, 'example.com');
    assert.equal(resolveSessionCookie({ path: '/app' }, true).name, '__Secure-sid');
  });

  test("prefix: 'none' keeps the name as given", () => {
    assert.equal(resolveSessionCookie({ prefix: 'none', name: 'token' }, true).name, 'token');
  });

  test('a name that already has a prefix is kept, its rules enforced, Secure forced', () => {
    const compiled = compileSessionCookie({ name: '__Host-app' });
    assert.equal(compiled.forRequest(true).name, '__Host-app');
    assert.equal(compiled.forRequest(false).name, '__Host-app');
    assert.equal(compiled.forRequest(false).attributes.secure, true);
    assert.throws(() => compileSessionCookie({ name: '__Host-app', domain: 'a.example' }), {
      name: 'InvalidCookieError',
    });
    assert.throws(() => compileSessionCookie({ name: '__HOST-app', path: '/x' }), TypeError);
    assert.throws(() => compileSessionCookie({ name: '__Secure-app', secure: false }), TypeError);
    assert.throws(() => compileSessionCookie({ name: '__Http-app', httpOnly: false }), TypeError);
  });

  test("sameSite 'none' and partitioned require Secure", () => {
    assert.equal(resolveSessionCookie({ sameSite: 'none' }, false).attributes.secure, true);
    assert.equal(resolveSessionCookie({ partitioned: true }, false).attributes.secure, true);
    assert.throws(() => compileSessionCookie({ sameSite: 'none', secure: false }), TypeError);
  });

  test('S-20 invalid options are refused once, at compile time', () => {
    const bad: [SessionCookieOptions, new (message: string) => Error][] = [
      [{ name: 'a=b; Max-Age=9; x' }, InvalidCookieError],
      [{ name: 'sid\r\nX: y' }, InvalidCookieError],
      [{ path: '/; Domain=evil.example' }, InvalidCookieError],
      [{ domain: 'evil.example; SameSite=None' }, InvalidCookieError],
      [{ sameSite: 'Lax' as 'lax' }, InvalidCookieError],
      [{ priority: 'urgent' as 'high' }, InvalidCookieError],
      [{ httpOnly: 'yes' as unknown as boolean }, InvalidCookieError],
      [{ secure: 'always' as 'auto' }, InvalidOptionsError],
      [{ prefix: 'host' as 'auto' }, InvalidOptionsError],
    ];
    for (const [options, type] of bad) assert.throws(() => compileSessionCookie(options), type);
  });

  test('precomputed lines are byte-identical to serializeCookie', () => {
    const options = fc.record(
      {
        secure: fc.constantFrom<boolean | 'auto'>(true, false, 'auto'),
        sameSite: fc.constantFrom<'strict' | 'lax'>('strict', 'lax'),
        domain: fc.constantFrom('example.com', '.a-b.example.org'),
        path: fc.constantFrom('/', '/app', '/a b'),
        httpOnly: fc.boolean(),
        partitioned: fc.boolean(),
        priority: fc.constantFrom<'low' | 'medium' | 'high'>('low', 'medium', 'high'),
        prefix: fc.constantFrom<'auto' | 'none'>('auto', 'none'),
      },
      { requiredKeys: [] },
    );
    const value = fc.string({ unit: fc.constantFrom(...BASE64URL), maxLength: 300 });
    const maxAge = fc.option(fc.integer({ min: -10, max: 40_000_000 }), { nil: undefined });
    fc.assert(
      fc.property(options, fc.boolean(), value, maxAge, (opts, isSecure, v, age) => {
        if (opts.secure === false && opts.partitioned === true) return;
        const cookie = resolveSessionCookie(opts, isSecure);
        const chunk = `${cookie.name}.3`;
        const attributes =
          age === undefined ? cookie.attributes : { ...cookie.attributes, maxAge: age };
        const write = age === undefined ? { name: chunk } : { name: chunk, maxAge: age };
        assert.equal(cookie.serialize(v), serializeCookie(cookie.name, v, cookie.attributes));
        assert.equal(cookie.serialize(v, write), serializeCookie(chunk, v, attributes));
        assert.equal(cookie.serializeExpired(), serializeExpiredCookie(cookie.name, attributes));
        assert.equal(cookie.serializeExpired(chunk), serializeExpiredCookie(chunk, attributes));
        assert.equal(`${cookie.name}=${v}${cookie.suffix}`, cookie.serialize(v));
      }),
      { numRuns: 300 },
    );
  });

  test('the fast path still validates values, names and length', () => {
    const cookie = resolveSessionCookie({}, true);
    for (const bad of ['a;b', 'a b', 'caf\u00e9', 'x'.repeat(4096)]) {
      assert.throws(() => cookie.serialize(bad), InvalidCookieError);
    }
    assert.throws(() => cookie.serialize('v', { name: 'sid' }), InvalidCookieError);
    assert.throws(() => cookie.serialize('v', { name: '__Host-sid\r\n' }), InvalidCookieError);
    assert.throws(() => cookie.serialize('v', { maxAge: 1.5 }), InvalidCookieError);
    assert.throws(() => cookie.serializeExpired('other'), InvalidCookieError);
  });
});
