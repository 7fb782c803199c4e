import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { timingSafeEqualBytes, timingSafeEqualStrings } from './compare.js';

test('S-30 timingSafeEqualBytes: 1-byte vs 1000-byte inputs return false without throwing', {
  timeout: 60_000,
}, () => {
  assert.equal(timingSafeEqualBytes(Buffer.alloc(1), Buffer.alloc(1000)), false);
  assert.equal(timingSafeEqualBytes(Buffer.alloc(1000), Buffer.alloc(1)), false);
  assert.equal(timingSafeEqualBytes(new Uint8Array(0), new Uint8Array(0)), true);
});

test('S-30 timingSafeEqualStrings: 1-char vs 1000-char inputs return false without throwing', {
  timeout: 60_000,
}, () => {
  assert.equal(timingSafeEqualStrings('a', 'a'.repeat(1000)), false);
  assert.equal(timingSafeEqualStrings('a'.repeat(1000), 'a'), false);
  assert.equal(timingSafeEqualStrings('', ''), true);
});

test('S-30 comparators never throw on non-string / non-byte input', { timeout: 60_000 }, () => {
  const junk: unknown[] = [undefined, null, 1, {}, [], 'x', Buffer.alloc(1)];
  for (const a of junk) {
    for (const b of junk) {
      // Equal only for two equal byte views (here: Buffers), or two equal strings.
      const sameBytes = Buffer.isBuffer(a) && Buffer.isBuffer(b) && Buffer.compare(a, b) === 0;
      const sameString = typeof a === 'string' && a === b;
      assert.equal(timingSafeEqualBytes(a as Uint8Array, b as Uint8Array), sameBytes);
      assert.equal(timingSafeEqualStrings(a as string, b as string), sameString);
    }
  }
  assert.equal(timingSafeEqualStrings(undefined as unknown as string, 'x'), false);
  assert.equal(timingSafeEqualBytes('x' as unknown as Uint8Array, Buffer.from('x')), false);
});

test('S-30 comparators agree with plain equality', { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
      assert.equal(timingSafeEqualBytes(a, b), Buffer.from(a).equals(Buffer.from(b)));
      assert.equal(timingSafeEqualBytes(a, a.slice()), true);
    }),
  );
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
      assert.equal(timingSafeEqualStrings(a, b), a === b);
      assert.equal(timingSafeEqualStrings(a, `${a}`), true);
    }),
  );
});

test('S-30 timingSafeEqualStrings distinguishes lone surrogates that UTF-8 would merge', {
  timeout: 60_000,
}, () => {
  assert.equal(timingSafeEqualStrings('\ud800', '\udfff'), false);
  assert.equal(timingSafeEqualStrings('\ud800', '\ud800'), true);
});
