import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { entriesBytes, recordBytes } from './size.js';

describe('entriesBytes', { timeout: 30_000 }, () => {
  it('counts bytes of UTF-8 of every key and text, not UTF-16 units', () => {
    assert.equal(entriesBytes([], []), 0);
    assert.equal(entriesBytes(['a'], ['1']), 2);
    // 'é' is 2 bytes, '€' 3 and '😀' 4 (one code point, two UTF-16 units).
    assert.equal(entriesBytes(['é', 'k'], ['"€"', '"😀"']), 2 + 5 + 1 + 6);
  });

  it('equals recordBytes of the same entries as a data map', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string(), { maxKeys: 8 }), (data) => {
        const keys = Object.keys(data);
        const texts = keys.map((k) => data[k]!);
        const expected = keys.reduce(
          (sum, k) => sum + Buffer.from(k).length + Buffer.from(data[k]!).length,
          0,
        );
        assert.equal(entriesBytes(keys, texts), expected);
        assert.equal(recordBytes(data), expected);
      }),
    );
  });
});
