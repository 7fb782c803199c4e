import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { FixedHmac } from './hmac.js';

test('FixedHmac equals createHmac for any key up to 64 bytes and any message', {
  timeout: 60_000,
}, () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 64 }),
      fc.uint8Array({ maxLength: 300 }),
      (key, message) => {
        const hmac = new FixedHmac(key, message.length);
        hmac.message.set(message);
        const out = Buffer.alloc(40);
        hmac.digestInto(out, 3);
        const reference = createHmac('sha256', key).update(message).digest();
        assert.deepEqual(out.subarray(3, 35), reference);
      },
    ),
    { numRuns: 300 },
  );
});

test('FixedHmac reuse: rewriting part of the message gives the new HMAC', {
  timeout: 60_000,
}, () => {
  const key = Buffer.alloc(32, 7);
  const hmac = new FixedHmac(key, 8);
  hmac.message.write('prefix01', 'latin1');
  const first = Buffer.alloc(32);
  hmac.digestInto(first, 0);
  hmac.message.write('02', 6, 'latin1');
  const second = Buffer.alloc(32);
  hmac.digestInto(second, 0);
  assert.deepEqual(first, createHmac('sha256', key).update('prefix01').digest());
  assert.deepEqual(second, createHmac('sha256', key).update('prefix02').digest());
});

test('FixedHmac refuses keys longer than one block', { timeout: 60_000 }, () => {
  assert.throws(() => new FixedHmac(Buffer.alloc(65), 1), RangeError);
});
