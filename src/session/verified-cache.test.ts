import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerifiedCache } from './verified-cache.js';

describe('VerifiedCache', { timeout: 30_000 }, () => {
  it('finds an entry only under the exact name and value it was stored with', () => {
    const cache = new VerifiedCache<string>(4);
    assert.equal(cache.get('sid', 'v1'), undefined);
    cache.set('sid', 'v1', 'one');
    assert.equal(cache.get('sid', 'v1'), 'one');
    assert.equal(cache.get('__Host-sid', 'v1'), undefined);
    assert.equal(cache.get('sid', 'v2'), undefined);
    assert.equal(cache.size, 1);
  });

  it('keeps the first result for a value and counts it once', () => {
    const cache = new VerifiedCache<string>(4);
    cache.set('sid', 'v', 'first');
    cache.set('sid', 'v', 'second');
    assert.equal(cache.get('sid', 'v'), 'first');
    assert.equal(cache.size, 1);
    cache.set('other', 'v', 'third');
    assert.equal(cache.size, 2);
    assert.equal(cache.get('other', 'v'), 'third');
  });

  it('a cache of size 0 stores nothing', () => {
    const cache = new VerifiedCache<number>(0);
    cache.set('sid', 'v', 1);
    assert.equal(cache.get('sid', 'v'), undefined);
    assert.equal(cache.size, 0);
  });

  it('at its bound drops the oldest entry of the name being written', () => {
    const cache = new VerifiedCache<number>(2);
    cache.set('a', '1', 1);
    cache.set('b', '2', 2);
    cache.set('b', '3', 3);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('a', '1'), 1, 'the other name keeps its entry');
    assert.equal(cache.get('b', '2'), undefined, 'the oldest of b went');
    assert.equal(cache.get('b', '3'), 3);
    cache.set('b', '4', 4);
    assert.equal(cache.get('b', '3'), undefined);
    assert.equal(cache.get('b', '4'), 4);
    assert.equal(cache.get('a', '1'), 1);
    assert.equal(cache.size, 2);
  });

  it('a new name at the bound takes the place of the oldest entry of the first non-empty name', () => {
    const cache = new VerifiedCache<number>(2);
    cache.set('a', '1', 1);
    cache.set('b', '2', 2);
    cache.set('c', '3', 3);
    // a was the first name holding entries: its only entry went.
    assert.equal(cache.get('a', '1'), undefined);
    assert.equal(cache.get('b', '2'), 2);
    assert.equal(cache.get('c', '3'), 3);
    assert.equal(cache.size, 2);
    // a is empty now: the next new name evicts from b, the first name with entries.
    cache.set('d', '4', 4);
    assert.equal(cache.get('b', '2'), undefined);
    assert.equal(cache.get('c', '3'), 3);
    assert.equal(cache.get('d', '4'), 4);
    assert.equal(cache.size, 2);
    // An emptied name can be written again.
    cache.set('a', '5', 5);
    assert.equal(cache.get('a', '5'), 5);
    assert.equal(cache.size, 2);
  });

  it('never holds more than its bound', () => {
    const cache = new VerifiedCache<number>(3);
    for (let i = 0; i < 50; i++) {
      cache.set(`n${i % 4}`, `v${i}`, i);
      assert.ok(cache.size <= 3);
    }
    assert.equal(cache.size, 3);
    assert.equal(cache.get('n1', 'v49'), 49);
  });
});
