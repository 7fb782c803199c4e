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

  it('lengths at every varint boundary, and an empty user id, survive the round trip', () => {
    for (const bytes of [0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152]) {
      const text = JSON.stringify('x'.repeat(Math.max(0, bytes - 2)));
      const userId = 'u'.repeat(Math.min(bytes, 20_000));
      const m = { ...EXAMPLE_META, nonce: 'n'.repeat(Math.min(bytes, 20_000)), userId };
      const decoded = decodePayload(encodePayload(m, ['k'], [text]));
      assert.deepEqual({ ...decoded.meta }, m, `${bytes} bytes`);
      assert.deepEqual(decoded.snapshot.texts, [text], `${bytes} bytes`);
    }
    const empty = decodePayload(encodePayload({ ...EXAMPLE_META, userId: '' }, [], []));
    assert.equal(empty.meta.userId, '', 'an empty user id is not "no user"');
  });

  it('says why a payload is refused', () => {
    const good = encodePayload(EXAMPLE_META, ['views'], ['3']);
    const message = (bytes: Buffer): string => {
      try {
        decodePayload(bytes);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    assert.match(message(good.subarray(0, good.length - 1)), /truncated/);
    assert.match(message(Buffer.from([0x02, 0x85])), /truncated/);
    assert.match(message(Buffer.from([0x02, 0x80, 0x80, 0x80, 0x80, 0x01])), /overlong/);
    assert.match(message(good.subarray(0, 3)), /truncated/);
    assert.match(message(Buffer.from([0x09])), /unknown session payload version/);
    assert.match(message(Buffer.from('{"v":1')), /not JSON/);
    assert.match(message(Buffer.from('{"v":1}')), /wrong shape/);
    assert.match(message(Buffer.from('{"v":2}')), /unknown session payload version/);
    assert.match(message(encodePayload(EXAMPLE_META, ['a', 'a'], ['1', '2'])), /repeats a key/);
    assert.throws(
      () => encodePayload({ ...EXAMPLE_META, expiresAt: -1 }, [], []),
      /session expiry must be whole milliseconds/,
    );
    assert.throws(
      () => encodePayload({ ...EXAMPLE_META, createdAt: -1 }, [], []),
      /session creation time must be whole milliseconds/,
    );
    assert.throws(
      () => encodePayload({ ...EXAMPLE_META, absoluteExpiresAt: -1 }, [], []),
      /session absolute expiry must be whole milliseconds/,
    );
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
      '{"v":1,"n":"x","c":1,"e":1,"a":1,"u":null,"d":null}',
      '{"v":1,"n":"x","c":1,"e":1,"a":1,"d":{}}',
      '{"v":1,"n":"x","c":"1","e":1,"a":1,"u":null,"d":{}}',
      '{"v":1,"n":"x","c":1,"e":1,"a":-1,"u":null,"d":{}}',
      '{"v":1,"c":1,"e":1,"a":1,"u":null,"d":{}}',
    ]) {
      invalid(Buffer.from(bad), bad);
    }
    const zero = decodePayload(Buffer.from('{"v":1,"n":"","c":0,"e":0,"a":0,"u":null,"d":{}}'));
    assert.deepEqual(
      { ...zero.meta },
      { nonce: '', createdAt: 0, expiresAt: 0, absoluteExpiresAt: 0, userId: null },
    );
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

describe('version 1 (JSON) payload refusals', { timeout: 60_000 }, () => {
  const shape = (fields: string): Buffer =>
    Buffer.from(`{"v":1,"n":"x","c":1,"e":1,"a":1,"u":null,${fields}}`);
  const decodeText = (text: string) => decodePayload(Buffer.from(text));

  it('says what is wrong: not JSON, not an object, another version, the wrong shape', () => {
    for (const [text, message] of [
      ['', 'unknown session payload version'],
      ['{"v":1', 'session payload is not JSON'],
      // Only a text starting with '{' is read as version 1; anything else is no version.
      ['3', 'unknown session payload version'],
      ['"text"', 'unknown session payload version'],
      ['null', 'unknown session payload version'],
      ['[1]', 'unknown session payload version'],
      ['{}', 'unknown session payload version'],
      ['{"v":"1"}', 'unknown session payload version'],
      [shape('"d":null').toString(), 'session payload has the wrong shape'],
      [shape('"d":"x"').toString(), 'session payload has the wrong shape'],
      [shape('"d":[]').toString(), 'session payload has the wrong shape'],
    ] as const) {
      assert.throws(
        () => decodeText(text),
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
        assert.throws(() => decodeText(text), {
          message: 'session payload has the wrong shape',
        });
      }
    }
    const zero = decodeText('{"v":1,"n":"","c":0,"e":0,"a":9007199254740991,"u":"7","d":{}}');
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
