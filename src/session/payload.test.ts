import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

/** Values without prototype-reaching keys (those are refused on write, dropped on read). */
const safeJson = (v: unknown): boolean =>
  !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(v) ?? '');

import { decodePayload, encodePayload, PAYLOAD_VERSION } from './payload.js';

const meta = fc.record({
  nonce: fc.string({ unit: 'grapheme' }),
  createdAt: fc.nat(),
  expiresAt: fc.nat(),
  absoluteExpiresAt: fc.nat(),
  userId: fc.option(fc.string({ unit: 'grapheme' }), { nil: null }),
});
const key = fc
  .string({ minLength: 1, unit: 'grapheme' })
  .filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
const data = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }).filter(safeJson), { maxKeys: 6 });

const EXAMPLE_META = {
  nonce: 'n0nce',
  createdAt: 1767225600000,
  expiresAt: 1767830400000,
  absoluteExpiresAt: 1769817600000,
  userId: null,
} as const;

function invalid(bytes: Buffer, label: string): void {
  assert.throws(() => decodePayload(bytes), { code: 'INVALID_SESSION_DATA' }, label);
}

describe('cookie-mode payload', { timeout: 60_000 }, () => {
  it('round-trips metadata and data (version 2)', () => {
    fc.assert(
      fc.property(meta, data, (m, d) => {
        const keys = Object.keys(d);
        const texts = keys.map((k) => JSON.stringify(d[k]));
        const encoded = encodePayload(m, keys, texts);
        assert.equal(encoded[0], PAYLOAD_VERSION);
        const decoded = decodePayload(encoded);
        assert.deepEqual({ ...decoded.meta }, { ...m });
        assert.deepEqual(decoded.snapshot.keys, keys);
        assert.deepEqual(decoded.snapshot.texts, texts);
      }),
    );
  });

  it('round-trips the largest instant and long strings (multi-byte lengths)', () => {
    const max = 2 ** 48 - 1;
    const long = 'é'.repeat(70_000); // 140,000 UTF-8 bytes: a three-byte varint
    const m = { nonce: 'n', createdAt: max, expiresAt: 0, absoluteExpiresAt: max, userId: long };
    const decoded = decodePayload(encodePayload(m, ['k'], [JSON.stringify(long)]));
    assert.deepEqual({ ...decoded.meta }, m);
    assert.deepEqual(decoded.snapshot.texts, [JSON.stringify(long)]);
  });

  it('refuses instants that do not fit in whole 48-bit milliseconds', () => {
    for (const bad of [-1, 1.5, 2 ** 48, Number.NaN]) {
      for (const field of ['createdAt', 'expiresAt', 'absoluteExpiresAt'] as const) {
        assert.throws(
          () => encodePayload({ ...EXAMPLE_META, [field]: bad }, [], []),
          { code: 'INVALID_SESSION_DATA' },
          `${field} = ${bad}`,
        );
      }
    }
  });

  it('every truncation is refused or reads a shorter payload, never another error', () => {
    fc.assert(
      fc.property(meta, data, fc.nat(), (m, d, cut) => {
        const keys = Object.keys(d);
        const encoded = encodePayload(
          m,
          keys,
          keys.map((k) => JSON.stringify(d[k])),
        );
        const prefix = encoded.subarray(0, cut % encoded.length);
        try {
          const decoded = decodePayload(prefix);
          assert.ok(decoded.snapshot.keys.length < keys.length || keys.length === 0);
        } catch (error) {
          assert.equal((error as { code?: string }).code, 'INVALID_SESSION_DATA');
        }
      }),
    );
  });

  it('refuses unknown versions, truncation, overlong lengths and repeated keys', () => {
    const good = encodePayload(EXAMPLE_META, ['views'], ['3']);
    invalid(Buffer.alloc(0), 'empty');
    invalid(Buffer.from([0x03, ...good.subarray(1)]), 'version 3');
    invalid(Buffer.from([0x01, ...good.subarray(1)]), 'version byte 1 (version 1 is JSON)');
    invalid(good.subarray(0, good.length - 1), 'value cut short');
    invalid(good.subarray(0, 10), 'instant cut short');
    invalid(Buffer.from([0x02, 0x80, 0x80, 0x80, 0x80, 0x01]), 'five-byte varint');
    invalid(Buffer.from([0x02, 0x85]), 'varint without its last byte');
    invalid(encodePayload(EXAMPLE_META, ['a', 'a'], ['1', '2']), 'repeated key');
    invalid(encodePayload(EXAMPLE_META, ['a'], ['{']), 'value not JSON');
  });

  it('still reads version 1 (JSON) payloads, and refuses their bad shapes', () => {
    const v1 = decodePayload(
      Buffer.from(
        '{"v":1,"n":"n0nce","c":1767225600000,"e":1767830400000,"a":1769817600000,"u":"u1","d":{"views":3,"cart":["a"]}}',
      ),
    );
    assert.deepEqual({ ...v1.meta }, { ...EXAMPLE_META, userId: 'u1' });
    assert.deepEqual(v1.snapshot.keys, ['views', 'cart']);
    assert.deepEqual(v1.snapshot.texts, ['3', '["a"]']);
    for (const bad of [
      '{not json',
      '{"v":2,"n":"x","c":1,"e":1,"a":1,"u":null,"d":{}}',
      '{"v":1,"n":1,"c":1,"e":1,"a":1,"u":null,"d":{}}',
      '{"v":1,"n":"x","c":-1,"e":1,"a":1,"u":null,"d":{}}',
      '{"v":1,"n":"x","c":1,"e":1.5,"a":1,"u":null,"d":{}}',
      '{"v":1,"n":"x","c":1,"e":1,"a":1,"u":3,"d":{}}',
      '{"v":1,"n":"x","c":1,"e":1,"a":1,"u":null,"d":[]}',
      '{"v":1,"n":"x","c":1,"e":1,"a":1,"u":null}',
    ]) {
      invalid(Buffer.from(bad), bad);
    }
    // Not objects: they do not start with '{', so they are unknown versions.
    for (const bad of ['[]', 'null', 'not json']) invalid(Buffer.from(bad), bad);
  });

  it('matches the documented examples byte for byte', () => {
    assert.equal(
      encodePayload(EXAMPLE_META, ['views'], ['3']).toString('hex'),
      '02056e306e6365019b76daa800019b9ae72c00019c11597000000576696577730133',
    );
    assert.equal(
      encodePayload({ ...EXAMPLE_META, userId: 'u1' }, ['views', 'cart'], ['3', '["a"]']).toString(
        'hex',
      ),
      '02056e306e6365019b76daa800019b9ae72c00019c1159700003753105766965777301330463617274055b2261225d',
    );
  });
});
