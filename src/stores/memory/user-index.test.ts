import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserIndex } from './user-index.js';

describe('UserIndex', { timeout: 60_000 }, () => {
  it('adds, moves and removes keys, dropping users with no keys left', () => {
    const index = new UserIndex();
    index.add('alice', 'k1');
    index.add('alice', 'k1');
    index.add('alice', 'k2');
    index.add(null, 'anonymous');
    assert.deepStrictEqual([index.users, index.keys], [1, 2]);
    index.move('alice', 'bob', 'k1');
    assert.deepStrictEqual(index.keysOf('alice'), ['k2']);
    assert.deepStrictEqual(index.keysOf('bob'), ['k1']);
    index.move('bob', null, 'k1');
    index.remove('alice', 'k2');
    index.remove('alice', 'k2');
    index.remove('nobody', 'k9');
    assert.deepStrictEqual([index.users, index.keys], [0, 0]);
  });

  it('S-33 treats __proto__ and constructor as ordinary user ids', () => {
    const index = new UserIndex();
    index.add('__proto__', 'k1');
    index.add('constructor', 'k2');
    assert.deepStrictEqual(index.keysOf('__proto__'), ['k1']);
    assert.deepStrictEqual(index.keysOf('constructor'), ['k2']);
    assert.deepStrictEqual(index.keysOf('toString'), []);
    assert.equal(({} as Record<string, unknown>).k1, undefined);
  });

  it('keysOf returns a snapshot that later changes do not affect', () => {
    const index = new UserIndex();
    index.add('alice', 'k1');
    const snapshot = index.keysOf('alice');
    index.remove('alice', 'k1');
    assert.deepStrictEqual(snapshot, ['k1']);
  });
});
