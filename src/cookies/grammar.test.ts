import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isCookieDomain,
  isCookieName,
  isCookiePath,
  isCookieValue,
  MAX_ATTRIBUTE_VALUE_LENGTH,
} from './grammar.js';

// Reference definitions straight from the RFCs, as regular expressions, so every code unit
// below 0x180 is checked against a second, independent reading of the grammar.
const TOKEN_CHAR = /^[0-9A-Za-z!#$%&'*+\-.^_`|~]$/;
const COOKIE_OCTET = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]$/;
const PATH_CHAR = /^[\x20-\x3a\x3c-\x7e]$/;
const LABEL_CHAR = /^[0-9A-Za-z-]$/;
const codeUnits = Array.from({ length: 0x180 }, (_, c) => String.fromCharCode(c));

describe('cookie grammar', { timeout: 60_000 }, () => {
  it('accepts exactly the token characters in a name, at any position', () => {
    for (const ch of codeUnits) {
      const ok = TOKEN_CHAR.test(ch);
      assert.equal(isCookieName(ch), ok, `name ${JSON.stringify(ch)}`);
      assert.equal(isCookieName(`a${ch}`), ok, `name a${JSON.stringify(ch)}`);
      assert.equal(isCookieName(`${ch}b`), ok, `name ${JSON.stringify(ch)}b`);
    }
    assert.equal(isCookieName(''), false);
    assert.equal(isCookieName('session_id-2'), true);
  });

  it('accepts exactly the cookie-octets in a value, at any position, and the empty value', () => {
    for (const ch of codeUnits) {
      const ok = COOKIE_OCTET.test(ch);
      assert.equal(isCookieValue(ch), ok, `value ${JSON.stringify(ch)}`);
      assert.equal(isCookieValue(`a${ch}b`), ok, `value a${JSON.stringify(ch)}b`);
      assert.equal(isCookieValue(`ab${ch}`), ok, `value ab${JSON.stringify(ch)}`);
    }
    assert.equal(isCookieValue(''), true);
  });

  it('accepts a path of printable ASCII without ";" after a leading "/"', () => {
    for (const ch of codeUnits) {
      const ok = PATH_CHAR.test(ch);
      assert.equal(isCookiePath(`/${ch}`), ok, `path /${JSON.stringify(ch)}`);
      assert.equal(isCookiePath(`/a${ch}b`), ok, `path /a${JSON.stringify(ch)}b`);
      assert.equal(isCookiePath(ch), ch === '/', `path ${JSON.stringify(ch)}`);
    }
    assert.equal(isCookiePath(''), false);
    assert.equal(isCookiePath('/'), true);
    assert.equal(isCookiePath('a/'), false);
  });

  it('accepts paths up to the attribute length limit and refuses one byte more', () => {
    const longest = `/${'a'.repeat(MAX_ATTRIBUTE_VALUE_LENGTH - 1)}`;
    assert.equal(MAX_ATTRIBUTE_VALUE_LENGTH, 1024);
    assert.equal(isCookiePath(longest), true);
    assert.equal(isCookiePath(`${longest}a`), false);
  });

  it('accepts exactly letters, digits and inner hyphens in a domain label', () => {
    for (const ch of codeUnits) {
      if (ch === '.') continue;
      const ok = LABEL_CHAR.test(ch);
      assert.equal(isCookieDomain(`a${ch}b.example`), ok, `domain a${JSON.stringify(ch)}b`);
      assert.equal(isCookieDomain(`x.a${ch}b`), ok, `domain x.a${JSON.stringify(ch)}b`);
      assert.equal(isCookieDomain(ch), ok && ch !== '-', `domain ${JSON.stringify(ch)}`);
    }
  });

  it('refuses hyphens at either end of any label', () => {
    for (const domain of [
      '-a.example',
      'a-.example',
      'a.-example',
      'a.example-',
      '.-a',
      '-',
      'a.-',
    ]) {
      assert.equal(isCookieDomain(domain), false, domain);
    }
    assert.equal(isCookieDomain('a-b.c-d'), true);
    assert.equal(isCookieDomain('a--b.example'), true);
  });

  it('accepts one leading dot but no empty label anywhere else', () => {
    assert.equal(isCookieDomain('.example.com'), true);
    assert.equal(isCookieDomain('example.com'), true);
    assert.equal(isCookieDomain('a'), true);
    assert.equal(isCookieDomain('.a'), true);
    for (const domain of ['', '.', '..', '..a', 'a..b', 'a.', '.a.', 'example.com.']) {
      assert.equal(isCookieDomain(domain), false, JSON.stringify(domain));
    }
  });

  it('accepts labels of 1 to 63 characters and refuses 64, in any position', () => {
    const l63 = 'a'.repeat(63);
    const l64 = 'a'.repeat(64);
    assert.equal(isCookieDomain(l63), true);
    assert.equal(isCookieDomain(l64), false);
    assert.equal(isCookieDomain(`.${l63}`), true);
    assert.equal(isCookieDomain(`.${l64}`), false);
    assert.equal(isCookieDomain(`${l63}.b`), true);
    assert.equal(isCookieDomain(`${l64}.b`), false);
    assert.equal(isCookieDomain(`b.${l63}`), true);
    assert.equal(isCookieDomain(`b.${l64}`), false);
  });

  it('accepts domains up to 254 characters and refuses 255', () => {
    // 4 labels of 63 plus 3 dots = 255; drop one character for 254.
    const label = 'a'.repeat(63);
    const d255 = [label, label, label, label].join('.');
    assert.equal(d255.length, 255);
    assert.equal(isCookieDomain(d255), false);
    assert.equal(isCookieDomain(d255.slice(1)), true);
    assert.equal(isCookieDomain(`.${d255.slice(2)}`), true);
  });
});
