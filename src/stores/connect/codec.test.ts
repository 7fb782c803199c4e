import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CorruptRecordError } from '../../errors.js';
import type { SessionRecord } from '../contract.js';
import { fromConnectSession, toConnectSession } from './codec.js';

const instantArb = fc.integer({ min: 0, max: 8_640_000_000_000 });
const recordArb: fc.Arbitrary<SessionRecord> = fc.record({
  data: fc.dictionary(fc.string(), fc.string(), { maxKeys: 8 }),
  createdAt: instantArb,
  expiresAt: instantArb,
  absoluteExpiresAt: instantArb,
  userId: fc.option(fc.string(), { nil: null }),
});

describe('connect codec', { timeout: 60_000 }, () => {
  it('every record round-trips through JSON, as a serializing connect store keeps it', () => {
    fc.assert(
      fc.property(recordArb, instantArb, (record, now) => {
        const stored = JSON.parse(JSON.stringify(toConnectSession(record, now)));
        const got = fromConnectSession(stored, now);
        assert.deepStrictEqual(
          { ...got, data: { ...got.data } },
          { ...record, data: { ...record.data } },
        );
        assert.equal(stored.cookie.expires, new Date(record.expiresAt).toISOString());
        assert.equal(stored.cookie.maxAge, record.expiresAt - now);
      }),
    );
  });

  it('S-33 a __proto__ data key survives JSON as own data without pollution', () => {
    const record: SessionRecord = {
      data: Object.fromEntries([['__proto__', '{"isAdmin":true}']]),
      createdAt: 1,
      expiresAt: 2,
      absoluteExpiresAt: 3,
      userId: null,
    };
    const got = fromConnectSession(JSON.parse(JSON.stringify(toConnectSession(record, 0))), 0);
    const proto = Object.getPrototypeOf(got.data);
    assert.ok(proto === null || proto === Object.prototype, 'a plain data map');
    assert.deepEqual(Object.entries(got.data), [['__proto__', '{"isAdmin":true}']]);
  });

  it('a session that is not a Tessera record is a CorruptRecordError', () => {
    const good = JSON.parse(
      JSON.stringify(
        toConnectSession(
          {
            data: {},
            createdAt: 1,
            expiresAt: 2,
            absoluteExpiresAt: 3,
            userId: null,
          },
          0,
        ),
      ),
    );
    const broken: unknown[] = [
      'text',
      [],
      {},
      { cookie: 'x' },
      { cookie: { expires: 'not a date' } },
      { cookie: { expires: 12 } },
      { tessera: null, cookie: {} },
      { ...good, tessera: { ...good.tessera, v: 2 } },
      { ...good, tessera: { ...good.tessera, expiresAt: '2' } },
      { ...good, tessera: { ...good.tessera, createdAt: null } },
      { ...good, tessera: { ...good.tessera, userId: 7 } },
      { ...good, tessera: { ...good.tessera, data: [] } },
      { ...good, tessera: { ...good.tessera, data: { a: 1 } } },
    ];
    for (const session of broken) {
      assert.throws(
        () => fromConnectSession(session, 0),
        CorruptRecordError,
        JSON.stringify(session),
      );
    }
  });

  it('reads a session written by express-session: properties become data keys', () => {
    const expires = '2030-01-01T00:01:00.000Z';
    const stored = JSON.parse(
      JSON.stringify({
        cookie: { originalMaxAge: 60_000, expires, httpOnly: true, path: '/' },
        views: 3,
        user: { name: 'ada', roles: ['admin'] },
        id: 'added by connect-redis all()',
      }),
    );
    Object.defineProperty(stored, '__proto__', { value: { polluted: true }, enumerable: true });
    const got = fromConnectSession(stored, 5);
    assert.deepStrictEqual(
      { ...got, data: { ...got.data } },
      {
        data: { views: '3', user: '{"name":"ada","roles":["admin"]}' },
        createdAt: Date.parse(expires) - 60_000,
        expiresAt: Date.parse(expires),
        absoluteExpiresAt: 8_640_000_000_000_000,
        userId: null,
      },
    );
  });

  it('an express-session session without expiry lasts as long as the store keeps it', () => {
    const got = fromConnectSession({ cookie: { originalMaxAge: null, expires: null }, a: 1 }, 7);
    assert.equal(got.expiresAt, 8_640_000_000_000_000);
    assert.equal(got.createdAt, 7);
    assert.deepStrictEqual({ ...got.data }, { a: '1' });
  });
});
