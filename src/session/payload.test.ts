import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

/** Values without prototype-reaching keys (those are refused on write, dropped on read). */
const safeJson = (v: unknown): boolean =>
  !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(v) ?? '');

import { decodePayload, encodePayload } from './payload.js';

const meta = fc.record({
  nonce: fc.string(),
  createdAt: fc.nat(),
  expiresAt: fc.nat(),
  absoluteExpiresAt: fc.nat(),
  userId: fc.option(fc.string(), { nil: null }),
});
const key = fc
  .string({ minLength: 1 })
  .filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));

describe('cookie-mode payload', { timeout: 60_000 }, () => {
  it('round-trips metadata and data', () => {
    fc.assert(
      fc.property(
        meta,
        fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }).filter(safeJson), { maxKeys: 6 }),
        (m, data) => {
          const keys = Object.keys(data);
          const texts = keys.map((k) => JSON.stringify(data[k]));
          const decoded = decodePayload(encodePayload(m, keys, texts));
          assert.deepEqual({ ...decoded.meta }, { ...m });
          assert.deepEqual(decoded.snapshot.keys, keys);
          assert.deepEqual(decoded.snapshot.texts, texts);
        },
      ),
    );
  });

  it('refuses other versions and shapes with a typed error', () => {
    for (const bad of [
      'not json',
      '[]',
      'null',
      '{"v":2,"n":"x","c":1,"e":1,"a":1,"u":null,"d":{}}',
      '{"v":1,"n":1,"c":1,"e":1,"a":1,"u":null,"d":{}}',
      '{"v":1,"n":"x","c":-1,"e":1,"a":1,"u":null,"d":{}}',
      '{"v":1,"n":"x","c":1,"e":1.5,"a":1,"u":null,"d":{}}',
      '{"v":1,"n":"x","c":1,"e":1,"a":1,"u":3,"d":{}}',
      '{"v":1,"n":"x","c":1,"e":1,"a":1,"u":null,"d":[]}',
      '{"v":1,"n":"x","c":1,"e":1,"a":1,"u":null}',
    ]) {
      assert.throws(() => decodePayload(bad), { code: 'INVALID_SESSION_DATA' }, bad);
    }
  });

  it('matches the documented example byte for byte', () => {
    const text = encodePayload(
      {
        nonce: 'n0nce',
        createdAt: 1767225600000,
        expiresAt: 1767830400000,
        absoluteExpiresAt: 1769817600000,
        userId: null,
      },
      ['views'],
      ['3'],
    );
    assert.equal(
      text,
      '{"v":1,"n":"n0nce","c":1767225600000,"e":1767830400000,"a":1769817600000,"u":null,"d":{"views":3}}',
    );
  });
});

describe('cookie-mode payload refusals', { timeout: 60_000 }, () => {
  const shape = (fields: string): string => `{"v":1,"n":"x","c":1,"e":1,"a":1,"u":null,${fields}}`;

  it('says what is wrong: not JSON, not an object, another version, the wrong shape', () => {
    for (const [text, message] of [
      ['', 'session payload is not JSON'],
      ['{"v":1', 'session payload is not JSON'],
      ['3', 'session payload is not an object'],
      ['"text"', 'session payload is not an object'],
      ['null', 'session payload is not an object'],
      ['[1]', 'session payload is not an object'],
      ['{}', 'unknown session payload version'],
      ['{"v":"1"}', 'unknown session payload version'],
      [shape('"d":null'), 'session payload has the wrong shape'],
      [shape('"d":"x"'), 'session payload has the wrong shape'],
      [shape('"d":[]'), 'session payload has the wrong shape'],
    ] as const) {
      assert.throws(
        () => decodePayload(text),
        { code: 'INVALID_SESSION_DATA', name: 'InvalidSessionDataError', message },
        text,
      );
    }
  });

  it('instants are safe non-negative integers', () => {
    for (const bad of ['"1"', '-1', '1.5', '9007199254740992', 'null', 'true']) {
      for (const field of ['c', 'e', 'a']) {
        const fields = { c: '1', e: '1', a: '1', [field]: bad };
        const text = `{"v":1,"n":"x","c":${fields.c},"e":${fields.e},"a":${fields.a},"u":null,"d":{}}`;
        assert.throws(() => decodePayload(text), {
          message: 'session payload has the wrong shape',
        });
      }
    }
    const zero = decodePayload('{"v":1,"n":"","c":0,"e":0,"a":9007199254740991,"u":"7","d":{}}');
    assert.deepEqual(
      { ...zero.meta },
      {
        nonce: '',
        createdAt: 0,
        expiresAt: 0,
        absoluteExpiresAt: 9007199254740991,
        userId: '7',
      },
    );
  });

  it('data goes through the hardened parser: reserved and prototype keys are not data', () => {
    const { snapshot } = decodePayload(
      shape('"d":{"a":{"__proto__":1,"k":2},"tessera:auth":{"u":"x"},"tessera:zz":1,"b":null}'),
    );
    assert.deepEqual(snapshot.keys, ['a', 'b']);
    assert.deepEqual(snapshot.texts, ['{"k":2}', 'null']);
    assert.deepEqual({ ...snapshot.system }, { 'tessera:auth': '{"u":"x"}' });
  });
});
