import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_RETURN_TO_LENGTH, safeReturnTo, signInRedirect } from './return-to.js';

const ORIGIN = 'https://app.example';

/** Values that must come back as given: ordinary same-origin paths. */
const ACCEPTED: readonly (readonly [input: string, expected: string])[] = [
  ['/', '/'],
  ['/account', '/account'],
  ['/account/', '/account/'],
  ['/account?tab=keys', '/account?tab=keys'],
  ['/a?b=c#d', '/a?b=c#d'],
  ['/search?q=a%20b', '/search?q=a%20b'],
  ['/files/a%2Fb', '/files/a%2Fb'],
  ['/a?next=//evil.example', '/a?next=//evil.example'],
  ['/a?x=%252F', '/a?x=%252F'],
  ['/a/../b', '/b'],
  ['/a/./b', '/a/b'],
  ['/café', '/caf%C3%A9'],
  ['/a"b<c>', '/a%22b%3Cc%3E'],
  ['/%7Euser', '/%7Euser'],
  ['/evil.example', '/evil.example'],
  ['/@evil.example', '/@evil.example'],
  ['/https://evil.example', '/https://evil.example'],
];

/** Hostile values: each must give the fallback. */
const REFUSED: readonly string[] = [
  // Not a path at all.
  '',
  'account',
  'evil.example',
  'https://evil.example',
  'http://evil.example/',
  'https:evil.example',
  'https:/evil.example',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox',
  ' /account',
  './/evil.example',
  // Protocol-relative and backslashes.
  '//evil.example',
  '///evil.example',
  '////evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  '/a\\b',
  '/account\\..\\..\\evil',
  // Dot segments that resolve to `//host`.
  '/..//evil.example',
  '/.//evil.example',
  '/a/..//evil.example',
  '/%2e%2e//evil.example',
  '/%2E/%2Fevil.example',
  '/x/..%2F%2Fevil.example',
  // Percent-encoded slashes and backslashes at the start.
  '/%2F%2Fevil.example',
  '/%2f%2fevil.example',
  '/%2Fevil.example',
  '/%5Cevil.example',
  '/%5cevil.example',
  '/a%5Cb',
  // Double and triple encoding.
  '/%252F%252Fevil.example',
  '/%255Cevil.example',
  '/%25252F%25252Fevil.example',
  '/%2525252525252F',
  // Control characters and whitespace, raw and encoded.
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/account\n',
  '/a b',
  '/a\u00A0b',
  '/a\u2028b',
  '/a\uFEFFb',
  '/a\u0000',
  '/a\u007F',
  '/a\u0085',
  '/%09/evil.example',
  '/%0A/evil.example',
  '/%0d%0aSet-Cookie:x=1',
  '/a%00',
  '/a%7F',
  '/a%1F',
  '/%2509/evil.example',
  '/%250A',
];

describe('S-42 safeReturnTo', { timeout: 60_000 }, () => {
  for (const [input, expected] of ACCEPTED) {
    it(`keeps ${JSON.stringify(input)}`, () => {
      assert.equal(safeReturnTo(input), expected);
      assert.equal(new URL(safeReturnTo(input), ORIGIN).origin, ORIGIN);
    });
  }

  for (const input of REFUSED) {
    it(`refuses ${JSON.stringify(input)}`, () => {
      assert.equal(safeReturnTo(input), '/');
      assert.equal(safeReturnTo(input, '/home'), '/home');
    });
  }

  it('refuses what is not a string (absent, repeated query parameter, object)', () => {
    for (const input of [undefined, null, 42, ['/a', '/b'], { toString: () => '/a' }, true]) {
      assert.equal(safeReturnTo(input, '/home'), '/home');
    }
  });

  it(`refuses values over ${MAX_RETURN_TO_LENGTH} characters, and what grows past it when encoded`, () => {
    const longest = `/${'a'.repeat(MAX_RETURN_TO_LENGTH - 1)}`;
    assert.equal(safeReturnTo(longest), longest);
    assert.equal(safeReturnTo(`${longest}a`), '/');
    // Each `é` becomes six characters (`%C3%A9`) once serialized.
    assert.equal(safeReturnTo(`/${'é'.repeat(400)}`), '/');
  });

  it('is idempotent: an accepted value is accepted again unchanged', () => {
    for (const [input] of ACCEPTED) {
      const once = safeReturnTo(input);
      assert.equal(safeReturnTo(once), once);
    }
  });
});

/** What a browser does to a URL string before parsing it (the WHATWG URL standard). */
function browserResolve(text: string): URL {
  // Leading and trailing C0 controls and spaces are trimmed, tab and newlines removed.
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return new URL(text.slice(start, end).replace(/[\t\n\r]/g, ''), ORIGIN);
}

/** Pieces hostile return URLs are made of, so random strings hit the interesting cases. */
const PIECES = [
  '/',
  '\\',
  '.',
  '..',
  '%2F',
  '%2f',
  '%5C',
  '%2e',
  '%2E',
  '%25',
  '%252F',
  '%09',
  '%0A',
  '%00',
  '%',
  '\t',
  '\n',
  '\r',
  ' ',
  '\u00A0',
  '@',
  ':',
  '?',
  '#',
  'https:',
  'javascript:',
  'evil.example',
  'a',
];

const hostile = fc
  .array(fc.constantFrom(...PIECES), { maxLength: 12 })
  .map((pieces) => pieces.join(''));

function assertStaysOnSite(input: string): void {
  const result = safeReturnTo(input, 'FALLBACK');
  if (result === 'FALLBACK') return;
  assert.equal(new URL(result, ORIGIN).origin, ORIGIN, `${JSON.stringify(input)} -> ${result}`);
  assert.equal(browserResolve(result).origin, ORIGIN, `${JSON.stringify(input)} -> ${result}`);
  // A server or proxy that decodes the value once more still stays on the site.
  const decodedOnce = result.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  assert.equal(browserResolve(decodedOnce).origin, ORIGIN, `${JSON.stringify(input)} -> ${result}`);
  assert.ok(!new URL(result, ORIGIN).pathname.startsWith('//'));
  assert.equal(safeReturnTo(result, 'FALLBACK'), result, 'not idempotent');
}

describe('S-42 property: any string gives the fallback or a path on the site', {
  timeout: 60_000,
}, () => {
  it('arbitrary Unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 64 }), assertStaysOnSite), {
      numRuns: 3000,
    });
  });

  it('strings built from hostile pieces, with and without a leading slash', () => {
    fc.assert(
      fc.property(hostile, fc.boolean(), (text, slash) =>
        assertStaysOnSite(slash ? `/${text}` : text),
      ),
      { numRuns: 5000 },
    );
  });
});

describe('S-43 signInRedirect', { timeout: 60_000 }, () => {
  it('carries a safe return path, encoded', () => {
    assert.equal(signInRedirect('/login', '/account'), '/login?returnTo=%2Faccount');
    assert.equal(signInRedirect('/login', '/a?b=1&c=2'), '/login?returnTo=%2Fa%3Fb%3D1%26c%3D2');
    assert.equal(signInRedirect('/login?lang=en', '/x'), '/login?lang=en&returnTo=%2Fx');
  });

  it('leaves out an unsafe or absent return path', () => {
    assert.equal(signInRedirect('/login', '//evil.example'), '/login');
    assert.equal(signInRedirect('/login', undefined), '/login');
    assert.equal(signInRedirect('/login', ['/a', '/b']), '/login');
  });

  it('the returnTo it builds reads back to the same path', () => {
    const built = new URL(signInRedirect('/login', '/a?b=1#top'), ORIGIN);
    assert.equal(safeReturnTo(built.searchParams.get('returnTo')), '/a?b=1#top');
  });

  it('refuses a sign-in path that is not on the site', () => {
    for (const page of ['https://evil.example/login', '//evil.example', 'login']) {
      assert.throws(() => signInRedirect(page, '/a'), TypeError);
    }
  });
});
