import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { base64urlLength, decodeCanonicalBase64url } from './base64url.js';

const CANONICAL = /^[A-Za-z0-9_-]*$/;

/** The S-26 definition, written out longhand, as an oracle. */
function isCanonical(text: string): boolean {
  return (
    CANONICAL.test(text) &&
    text.length % 4 !== 1 &&
    Buffer.from(text, 'base64url').toString('base64url') === text
  );
}

test('S-26 decodeCanonicalBase64url round-trips every byte string', { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      const text = Buffer.from(bytes).toString('base64url');
      assert.equal(text.length, base64urlLength(bytes.length));
      assert.deepEqual(decodeCanonicalBase64url(text), Buffer.from(bytes));
    }),
  );
});

test('S-26 decodeCanonicalBase64url accepts exactly the canonical texts', {
  timeout: 60_000,
}, () => {
  const alphabet = 'AQRZaz09-_+/=. !%\u00e9'.split('');
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }), (chars) => {
      const text = chars.join('');
      assert.equal(decodeCanonicalBase64url(text) !== null, isCanonical(text), text);
    }),
    { numRuns: 2000 },
  );
});

test('S-26 lenient decodings of one byte are all refused but the canonical one', {
  timeout: 60_000,
}, () => {
  assert.deepEqual(decodeCanonicalBase64url('QQ'), Buffer.from([0x41]));
  for (const variant of ['QR', 'Q Q', 'Q.Q', 'QQ=', 'QQ==', 'Q!Q', '%QQ', 'QQ\n']) {
    assert.equal(decodeCanonicalBase64url(variant), null, variant);
  }
  assert.deepEqual(decodeCanonicalBase64url('-_8'), Buffer.from([0xfb, 0xff]));
  assert.equal(decodeCanonicalBase64url('+/8'), null);
});
