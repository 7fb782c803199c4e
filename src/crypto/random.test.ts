import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomBase64url, randomInto } from './random.js';

test('S-01 pooled draws never repeat, across many pool refills', { timeout: 60_000 }, () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const target = Buffer.alloc(32);
    randomInto(target, 0, 32);
    seen.add(target.toString('hex'));
    seen.add(Buffer.from(randomBase64url(32), 'base64url').toString('hex'));
  }
  assert.equal(seen.size, 4000);
});

test('randomInto fills exactly the requested range, also beyond the pool size', {
  timeout: 60_000,
}, () => {
  for (const n of [1, 32, 4096, 5000]) {
    const target = Buffer.alloc(n + 4, 0xee);
    randomInto(target, 2, n);
    assert.equal(target[0], 0xee);
    assert.equal(target[1], 0xee);
    assert.equal(target[n + 2], 0xee);
    assert.equal(target[n + 3], 0xee);
    if (n >= 32) assert.ok(new Set(target.subarray(2, n + 2)).size > 16);
  }
  assert.equal(Buffer.from(randomBase64url(5000), 'base64url').length, 5000);
});
