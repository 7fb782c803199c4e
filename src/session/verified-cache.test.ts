import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerifiedCache } from './verified-cache.js';

/** Stores a value the way a server sees it twice: the second verification admits it. */
function setTwice<V>(cache: VerifiedCache<V>, name: string, value: string, verified: V): void {
  cache.set(name, value, verified);
  cache.set(name, value, verified);
}

const value = (i: number): string => `value-${String(i).padStart(16, '0')}`;

describe('VerifiedCache', { timeout: 30_000 }, () => {
  it('admits a value on its second verification, not its first', () => {
    const cache = new VerifiedCache<string>(4);
    cache.set('sid', value(1), 'one');
    assert.equal(cache.get('sid', value(1)), undefined);
    assert.equal(cache.size, 0);
    cache.set('sid', value(1), 'one');
    assert.equal(cache.get('sid', value(1)), 'one');
    assert.equal(cache.size, 1);
  });

  it('finds an entry only under the exact name and value it was stored with', () => {
    const cache = new VerifiedCache<string>(4);
    setTwice(cache, 'sid', value(1), 'one');
    assert.equal(cache.get('sid', value(1)), 'one');
    assert.equal(cache.get('__Host-sid', value(1)), undefined);
    assert.equal(cache.get('sid', value(2)), undefined);
    // The fingerprint (the last 16 characters) only decides admission: a value with the
    // same ending is admitted on its first verification, but found only under its own text.
    const long = `${'A'.repeat(20)}${'S'.repeat(16)}`;
    const twin = `${'B'.repeat(20)}${'S'.repeat(16)}`;
    setTwice(cache, 'sid', long, 'long');
    cache.set('sid', twin, 'twin');
    assert.equal(cache.get('sid', twin), 'twin');
    assert.equal(cache.get('sid', long), 'long');
    assert.equal(cache.get('sid', value(1)), 'one');
  });

  it('keeps the first result for a value and counts it once', () => {
    const cache = new VerifiedCache<string>(4);
    setTwice(cache, 'sid', value(1), 'first');
    cache.set('sid', value(1), 'second');
    assert.equal(cache.get('sid', value(1)), 'first');
    assert.equal(cache.size, 1);
    cache.set('other', value(1), 'third'); // same fingerprint: admitted at once
    assert.equal(cache.size, 2);
    assert.equal(cache.get('other', value(1)), 'third');
  });

  it('a cache of size 0 stores nothing', () => {
    const cache = new VerifiedCache<number>(0);
    setTwice(cache, 'sid', value(1), 1);
    assert.equal(cache.get('sid', value(1)), undefined);
    assert.equal(cache.size, 0);
    assert.deepEqual(cache.stats(), {
      entries: 0,
      capacity: 0,
      hits: 0,
      misses: 1,
      valueBytes: 0,
    });
  });

  it('at its bound drops the oldest entry, whatever its name', () => {
    const cache = new VerifiedCache<number>(2);
    setTwice(cache, 'a', value(1), 1);
    setTwice(cache, 'b', value(2), 2);
    setTwice(cache, 'b', value(3), 3);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('a', value(1)), undefined, 'the oldest (of a) went');
    assert.equal(cache.get('b', value(2)), 2);
    assert.equal(cache.get('b', value(3)), 3);
    setTwice(cache, 'a', value(4), 4);
    assert.equal(cache.get('b', value(2)), undefined);
    assert.equal(cache.get('b', value(3)), 3);
    assert.equal(cache.get('a', value(4)), 4);
    assert.equal(cache.size, 2);
  });

  it('never holds more than its bound', () => {
    const cache = new VerifiedCache<number>(3);
    for (let i = 0; i < 50; i++) {
      setTwice(cache, `n${i % 4}`, value(i), i);
      assert.ok(cache.size <= 3);
    }
    assert.equal(cache.size, 3);
    assert.equal(cache.get('n1', value(49)), 49);
    assert.equal(cache.get('n0', value(48)), 48);
    assert.equal(cache.get('n3', value(47)), 47);
    assert.equal(cache.get('n2', value(46)), undefined);
  });

  it('remembers the last 2 x capacity values it did not admit, and forgets older ones', () => {
    const cache = new VerifiedCache<number>(2);
    cache.set('sid', value(0), 0);
    for (let i = 1; i < 4; i++) cache.set('sid', value(i), i); // 4 remembered: 0..3
    cache.set('sid', value(0), 0);
    assert.equal(cache.get('sid', value(0)), 0, 'still remembered: admitted');
    const fresh = new VerifiedCache<number>(2);
    for (let i = 0; i < 5; i++) fresh.set('sid', value(i), i); // 0 pushed out by 4
    fresh.set('sid', value(0), 0);
    assert.equal(fresh.get('sid', value(0)), undefined, 'forgotten: remembered again only');
    fresh.set('sid', value(0), 0);
    assert.equal(fresh.get('sid', value(0)), 0);
  });

  it('short values are their own fingerprint', () => {
    const cache = new VerifiedCache<number>(2);
    cache.set('sid', 'abc', 1);
    cache.set('sid', 'xabc', 2);
    assert.equal(cache.get('sid', 'xabc'), undefined, 'a different short value is not admitted');
    cache.set('sid', 'abc', 1);
    assert.equal(cache.get('sid', 'abc'), 1);
  });

  it('counts hits and misses and the bytes of the values held', () => {
    const cache = new VerifiedCache<number>(2);
    cache.get('sid', value(1));
    setTwice(cache, 'sid', value(1), 1);
    cache.get('sid', value(1));
    cache.get('sid', value(1));
    setTwice(cache, 'sid', value(2), 2);
    setTwice(cache, 'sid', value(3), 3);
    assert.deepEqual(cache.stats(), {
      entries: 2,
      capacity: 2,
      hits: 2,
      misses: 1,
      valueBytes: value(2).length + value(3).length,
    });
  });
});
