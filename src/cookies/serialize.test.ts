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

describe('serializeCookie checks and attributes', { timeout: 60_000 }, () => {
  /** Asserts an InvalidCookieError whose message matches `pattern`. */
  const refusedWith = (fn: () => unknown, pattern: RegExp): void => {
    assert.throws(fn, (error: unknown) => {
      assert.ok(error instanceof InvalidCookieError);
      assert.match(error.message, pattern);
      return true;
    });
  };

  test('each refusal says what is wrong, without the input', () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [() => serializeCookie('a b', 'v'), /^cookie name is not a valid token$/],
      [() => serializeCookie(42 as unknown as string, 'v'), /^cookie name is not a valid token$/],
      [() => serializeCookie('sid', 'a;b'), /^cookie value must consist of cookie-octets only$/],
      [
        () => serializeCookie('sid', 42 as unknown as string),
        /^cookie value must consist of cookie-octets only$/,
      ],
      [
        () => serializeCookie('sid', 'v', 'path=/' as unknown as CookieAttributes),
        /^cookie attributes must be an object$/,
      ],
      [
        () => serializeCookie('sid', 'v', 7 as unknown as CookieAttributes),
        /^cookie attributes must be an object$/,
      ],
      [
        () => serializeCookie('sid', 'v', { maxAge: 1.5 }),
        /^cookie maxAge must be an integer number of seconds$/,
      ],
      [
        () => serializeCookie('sid', 'v', { maxAge: '60' as unknown as number }),
        /^cookie maxAge must be an integer number of seconds$/,
      ],
      [
        () => serializeCookie('sid', 'v', { expires: new Date(Number.NaN) }),
        /^cookie expires must be a valid Date$/,
      ],
      [
        () => serializeCookie('sid', 'v', { expires: Date.now() as unknown as Date }),
        /^cookie expires must be a valid Date$/,
      ],
      [() => serializeCookie('sid', 'v', { domain: 'a b' }), /^cookie domain is invalid$/],
      [
        () => serializeCookie('sid', 'v', { domain: 5 as unknown as string }),
        /^cookie domain is invalid$/,
      ],
      [() => serializeCookie('sid', 'v', { path: 'x' }), /^cookie path is invalid$/],
      [
        () => serializeCookie('sid', 'v', { path: 5 as unknown as string }),
        /^cookie path is invalid$/,
      ],
      [
        () => serializeCookie('sid', 'v', { secure: 'yes' as unknown as boolean }),
        /^cookie secure must be a boolean$/,
      ],
      [
        () => serializeCookie('sid', 'v', { httpOnly: 1 as unknown as boolean }),
        /^cookie httpOnly must be a boolean$/,
      ],
      [
        () => serializeCookie('sid', 'v', { secure: true, partitioned: 'y' as unknown as true }),
        /^cookie partitioned must be a boolean$/,
      ],
      [
        () => serializeCookie('sid', 'v', { partitioned: true }),
        /^a Partitioned cookie requires Secure$/,
      ],
      [
        () => serializeCookie('sid', 'v', { partitioned: true, secure: false }),
        /^a Partitioned cookie requires Secure$/,
      ],
      [
        () => serializeCookie('sid', 'v', { priority: 'High' as 'high' }),
        /^cookie priority must be 'low', 'medium' or 'high'$/,
      ],
      [
        () => serializeCookie('sid', 'v', { sameSite: 'Strict' as 'strict' }),
        /^cookie sameSite must be 'strict', 'lax' or 'none'$/,
      ],
      [() => serializeCookie('sid', 'v', { sameSite: 'none' }), /^SameSite=None requires Secure$/],
      [
        () => serializeCookie('sid', 'v', { sameSite: 'none', secure: false }),
        /^SameSite=None requires Secure$/,
      ],
      [() => serializeCookie('a', 'x'.repeat(4095)), /^cookie line would exceed 4096 bytes$/],
      [() => serializeCookie('__Secure-a' as string, 'v'), /Secure/],
    ];
    for (const [fn, pattern] of cases) refusedWith(fn, pattern);
  });

  test('every Priority and SameSite value is written', () => {
    for (const [priority, written] of [
      ['low', 'Low'],
      ['medium', 'Medium'],
      ['high', 'High'],
    ] as const) {
      assert.equal(serializeCookie('a', 'b', { priority }), `a=b; Priority=${written}`);
    }
    for (const [sameSite, written] of [
      ['strict', 'Strict'],
      ['lax', 'Lax'],
      ['none', 'None'],
    ] as const) {
      assert.equal(
        serializeCookie('a', 'b', { sameSite, secure: true }),
        `a=b; Secure; SameSite=${written}`,
      );
    }
  });

  test('false flags write nothing, true flags write the attribute', () => {
    const none = { httpOnly: false, secure: false, partitioned: false } as const;
    assert.equal(serializeCookie('a', 'b', none), 'a=b');
    assert.equal(serializeCookie('a', 'b', {}), 'a=b');
    assert.equal(serializeCookie('a', 'b'), 'a=b');
    assert.equal(serializeCookie('a', 'b', { httpOnly: true }), 'a=b; HttpOnly');
    assert.equal(serializeCookie('a', 'b', { secure: true }), 'a=b; Secure');
    assert.equal(
      serializeCookie('a', 'b', { secure: true, partitioned: true }),
      'a=b; Secure; Partitioned',
    );
  });

  test('values are written as given, never percent-encoded', () => {
    assert.equal(serializeCookie('a', '%41+/=~!'), 'a=%41+/=~!');
  });

  test('Expires is written in IMF-fixdate; Max-Age keeps negative integers', () => {
    const expires = new Date(Date.UTC(2031, 5, 15, 12, 30, 45));
    assert.equal(
      serializeCookie('a', 'b', { expires }),
      'a=b; Expires=Sun, 15 Jun 2031 12:30:45 GMT',
    );
    assert.equal(serializeCookie('a', 'b', { maxAge: -1 }), 'a=b; Max-Age=-1');
    assert.equal(serializeCookie('a', 'b', { maxAge: 34_560_000 }), 'a=b; Max-Age=34560000');
  });

  test('serializeExpiredCookie overrides any maxAge and expires given', () => {
    const later = new Date(Date.UTC(2040, 0, 1));
    assert.equal(
      serializeExpiredCookie('a', { path: '/x', maxAge: 500, expires: later }),
      'a=; Max-Age=0; Path=/x; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    );
    assert.equal(
      serializeExpiredCookie('a'),
      'a=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    );
  });
});
