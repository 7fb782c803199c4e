import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isKeygripLike, keygripSign, keygripSigner } from './keygrip.js';

const require = createRequire(import.meta.url);
type Keygrip = { sign(d: string): string; index(d: string, s: string): number };
const Keygrip = require('keygrip') as (keys: string[]) => Keygrip;

describe('keygrip-compatible signatures', { timeout: 30_000 }, () => {
  it('equal the keygrip package byte for byte (sign and index)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 4 }),
        fc.string(),
        (keys, data) => {
          const theirs = Keygrip(keys);
          const ours = keygripSigner(keys);
          assert.equal(ours.sign(data), theirs.sign(data));
          for (const k of keys) {
            const signature = keygripSign(data, k);
            assert.equal(ours.index(data, signature), theirs.index(data, signature));
          }
          assert.equal(ours.index(data, 'nope'), -1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a known vector: 27 url-safe characters, no padding', () => {
    assert.equal(keygripSign('session=eyJ4IjoxfQ==', 'a'), 'S4qDbcMiQW1qwa5RYggBjYxeNYo');
  });

  it('index names the first key that matches', () => {
    const signer = keygripSigner(['new', 'old', 'old']);
    assert.equal(signer.index('x', keygripSign('x', 'old')), 1);
    assert.equal(signer.index('x', keygripSign('x', 'new')), 0);
  });

  it('recognises a Keygrip instance', () => {
    assert.equal(isKeygripLike(Keygrip(['a'])), true);
    assert.equal(isKeygripLike(['a']), false);
    assert.equal(isKeygripLike(null), false);
  });
});
