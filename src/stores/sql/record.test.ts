import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CorruptRecordError } from '../../errors.js';
import { decodeRecord, encodeData, encodeInstant } from './record.js';

const row = (data: unknown, instants: unknown[] = ['1', '2', '3'], userId: unknown = null) => ({
  data,
  created_at: instants[0],
  expires_at: instants[1],
  absolute_expires_at: instants[2],
  user_id: userId,
});

describe('postgres record codec', { timeout: 60_000 }, () => {
  it('round-trips any map of JSON texts byte-exact, __proto__ keys included', () => {
    const map = fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor')),
      fc.jsonValue().map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(map, (data) => {
        const decoded = decodeRecord(row(encodeData(data)));
        assert.deepStrictEqual({ ...decoded.data }, { ...data });
        for (const key of Object.keys(data)) {
          assert.equal(Object.getOwnPropertyDescriptor(decoded.data, key)?.value, data[key]);
        }
      }),
    );
  });

  it('reads instants as text (pg int8), number or bigint', () => {
    const record = decodeRecord(row('{}', ['1700000000000', 1700000000001, 1700000000002n], 'u'));
    assert.deepStrictEqual(
      [record.createdAt, record.expiresAt, record.absoluteExpiresAt, record.userId],
      [1700000000000, 1700000000001, 1700000000002, 'u'],
    );
  });

  it('refuses rows it did not write with CorruptRecordError', () => {
    const corrupt = [
      row(null),
      row({}),
      row('{oops'),
      row('[]'),
      row('"text"'),
      row('{"a":1}'),
      row('{"a":"not json"}'),
      row('{}', ['x', '2', '3']),
      row('{}', ['1', '1.5', '3']),
      row('{}', ['1', '2', 2n ** 60n]),
      row('{}', ['1', '2', Number.NaN]),
      row('{}', ['1', '2', '3'], 7),
    ];
    for (const bad of corrupt) assert.throws(() => decodeRecord(bad), CorruptRecordError);
  });

  it('stores instants as whole milliseconds', () => {
    assert.equal(encodeInstant(1700000000000.9), 1700000000000);
  });
});
