import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prefixRules, prefixViolation } from './prefix.js';

const ok = { secure: true, httpOnly: true, path: '/' } as const;

describe('cookie name prefixes', { timeout: 60_000 }, () => {
  it('gives each prefix its exact rules, matching case-insensitively', () => {
    const cases = [
      ['__Host-Http-a', { prefix: '__Host-Http-', secure: true, httpOnly: true, hostOnly: true }],
      ['__HOST-HTTP-a', { prefix: '__Host-Http-', secure: true, httpOnly: true, hostOnly: true }],
      ['__host-http-', { prefix: '__Host-Http-', secure: true, httpOnly: true, hostOnly: true }],
      ['__Host-a', { prefix: '__Host-', secure: true, httpOnly: false, hostOnly: true }],
      ['__hOsT-', { prefix: '__Host-', secure: true, httpOnly: false, hostOnly: true }],
      ['__Host-Httpa', { prefix: '__Host-', secure: true, httpOnly: false, hostOnly: true }],
      ['__Http-a', { prefix: '__Http-', secure: true, httpOnly: true, hostOnly: false }],
      ['__HTTP-', { prefix: '__Http-', secure: true, httpOnly: true, hostOnly: false }],
      ['__Secure-a', { prefix: '__Secure-', secure: true, httpOnly: false, hostOnly: false }],
      ['__SECURE-', { prefix: '__Secure-', secure: true, httpOnly: false, hostOnly: false }],
    ] as const;
    for (const [name, rules] of cases) assert.deepEqual(prefixRules(name), rules, name);
  });

  it('gives no rules to names that only resemble a prefix', () => {
    const none = { prefix: null, secure: false, httpOnly: false, hostOnly: false };
    for (const name of [
      '',
      '_',
      '__',
      'sid',
      '_Host-a',
      '_-Host-a',
      'x__Host-a',
      '__Host',
      '__Hos-',
      '__Secure',
      '__Http',
      '__Hostx-a',
      '__Securex',
      '__Host_a',
      // Look-alikes outside ASCII do not match: U+2212 MINUS SIGN, U+00D3 (Ó).
      '__Secure\u2212',
      '__H\u00d3st-a',
      // '@' + 0x20 is '`', '[' + 0x20 is '{': characters next to the letter range do not fold.
      '__@ost-a',
      '__[ost-a',
      ' __Host-a',
    ]) {
      assert.deepEqual(prefixRules(name), none, JSON.stringify(name));
      assert.equal(prefixViolation(name, {}), null, JSON.stringify(name));
    }
  });

  it('names the prefix and the missing attribute, in order', () => {
    assert.equal(prefixViolation('__Host-Http-a', {}), 'a __Host-Http- cookie requires Secure');
    assert.equal(
      prefixViolation('__host-http-a', { secure: true }),
      'a __Host-Http- cookie requires HttpOnly',
    );
    assert.equal(
      prefixViolation('__Host-Http-a', { secure: true, httpOnly: true }),
      'a __Host-Http- cookie requires Path=/',
    );
    assert.equal(
      prefixViolation('__Host-Http-a', { ...ok, domain: 'example.com' }),
      'a __Host-Http- cookie must not have a Domain',
    );
    assert.equal(prefixViolation('__Host-Http-a', ok), null);

    assert.equal(
      prefixViolation('__Host-a', { secure: false }),
      'a __Host- cookie requires Secure',
    );
    assert.equal(prefixViolation('__Host-a', { secure: true, path: '/' }), null);
    assert.equal(
      prefixViolation('__Host-a', { secure: true, path: '/a' }),
      'a __Host- cookie requires Path=/',
    );
    assert.equal(
      prefixViolation('__Host-a', { secure: true, path: '/', domain: '' }),
      'a __Host- cookie must not have a Domain',
    );

    assert.equal(
      prefixViolation('__Http-a', { httpOnly: true }),
      'a __Http- cookie requires Secure',
    );
    assert.equal(
      prefixViolation('__Http-a', { secure: true, httpOnly: false }),
      'a __Http- cookie requires HttpOnly',
    );
    assert.equal(
      prefixViolation('__Http-a', { secure: true, httpOnly: true, path: '/x', domain: 'a.b' }),
      null,
    );

    assert.equal(prefixViolation('__Secure-a', {}), 'a __Secure- cookie requires Secure');
    assert.equal(prefixViolation('__Secure-a', { secure: true, path: '/x', domain: 'a.b' }), null);
  });
});
