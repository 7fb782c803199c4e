import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CorruptRecordError, InvalidSessionDataError } from '../../errors.js';
import type { SessionRecord } from '../contract.js';
import { decodeRecord } from './decode.js';
import { expiryArgument, recordFields } from './layout.js';

const instantArb = fc.integer({ min: 0, max: 8_640_000_000_000 });
// Well-formed text only: lone surrogates are refused on write (see the test below).
const textArb = fc.string({ unit: 'grapheme', maxLength: 20 });

const recordArb: fc.Arbitrary<SessionRecord> = fc.record({
  data: fc.dictionary(textArb, textArb, { maxKeys: 8 }),
  createdAt: instantArb,
  expiresAt: instantArb,
  absoluteExpiresAt: instantArb,
  userId: fc.option(textArb, { nil: null }),
});

function asHash(fields: string[]): Map<string, string> {
  const hash = new Map<string, string>();
  for (let i = 0; i < fields.length; i += 2) hash.set(fields[i]!, fields[i + 1]!);
  return hash;
}

describe('redis layout', { timeout: 60_000 }, () => {
  it('every record round-trips through the hash layout, in every reply shape', () => {
    fc.assert(
      fc.property(recordArb, (record) => {
        const fields = recordFields(record);
        const hash = asHash(fields);
        const expected = { ...record, data: { ...record.data } };
        for (const reply of [fields, hash, Object.fromEntries(hash)]) {
          const got = decodeRecord(reply);
          assert.ok(got);
          assert.deepStrictEqual({ ...got, data: { ...got.data } }, expected);
        }
      }),
    );
  });

  it('S-33 data keys like __proto__ stay own data and cannot reach metadata', () => {
    const record: SessionRecord = {
      data: Object.fromEntries([
        ['__proto__', '{"isAdmin":true}'],
        ['m:u', '"attacker"'],
      ]),
      createdAt: 1,
      expiresAt: 2,
      absoluteExpiresAt: 3,
      userId: null,
    };
    const got = decodeRecord(recordFields(record));
    assert.ok(got);
    assert.equal(got.userId, null);
    assert.equal(Object.getPrototypeOf(got.data), Object.prototype);
    assert.deepEqual(Object.entries(got.data), [
      ['__proto__', '{"isAdmin":true}'],
      ['m:u', '"attacker"'],
    ]);
  });

  it('an empty reply is a missing record', () => {
    assert.equal(decodeRecord([]), null);
    assert.equal(decodeRecord(null), null);
    assert.equal(decodeRecord(new Map()), null);
  });

  it('anything off the layout is a CorruptRecordError', () => {
    const meta = ['m:c', '1', 'm:e', '2', 'm:a', '3'];
    for (const reply of [
      ['m:c', '1', 'm:e'],
      ['m:c', '1', 'm:e', '2'],
      [...meta.slice(0, 5), 'Infinity'],
      [...meta.slice(0, 5), '0x10'],
      [...meta.slice(0, 5), ' 3'],
      [...meta, 'other', 'x'],
      [...meta, 'd:a', 42],
      'a string',
      42,
    ]) {
      assert.throws(() => decodeRecord(reply), CorruptRecordError, JSON.stringify(reply));
    }
  });

  it('refuses lone surrogates and non-finite instants on write', () => {
    const base: SessionRecord = {
      data: {},
      createdAt: 1,
      expiresAt: 2,
      absoluteExpiresAt: 3,
      userId: null,
    };
    assert.throws(
      () => recordFields({ ...base, data: { '\ud83d': '1' } }),
      InvalidSessionDataError,
    );
    assert.throws(() => recordFields({ ...base, userId: '\udc00' }), InvalidSessionDataError);
    assert.throws(() => recordFields({ ...base, expiresAt: Number.NaN }), InvalidSessionDataError);
    assert.throws(() => expiryArgument(Number.POSITIVE_INFINITY), InvalidSessionDataError);
    assert.equal(expiryArgument(1.2), '2');
  });
});
