import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  isAllowedKey,
  MAX_DEPTH,
  parseValue,
  RESERVED_KEY_PREFIX,
  SYSTEM_KEYS,
  sanitizeParsed,
  serializeValue,
} from './data-codec.js';

/** `inner` wrapped in `levels` arrays. */
const arrays = (levels: number, inner = ''): string =>
  `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;
/** `inner` wrapped in `levels` objects under key "a". */
const objects = (levels: number, inner = '1'): string =>
  `${'{"a":'.repeat(levels)}${inner}${'}'.repeat(levels)}`;

const invalid = (message: string | RegExp) => ({
  code: 'INVALID_SESSION_DATA',
  name: 'InvalidSessionDataError',
  message,
});

describe('session keys', { timeout: 30_000 }, () => {
  it('refuses prototype-reaching names and the reserved tessera: namespace, nothing else', () => {
    assert.equal(MAX_DEPTH, 32);
    assert.equal(RESERVED_KEY_PREFIX, 'tessera:');
    for (const key of ['__proto__', 'constructor', 'prototype', 'tessera:', 'tessera:auth']) {
      assert.equal(isAllowedKey(key), false, key);
    }
    for (const key of ['cart', '', 'tessera', 'my tessera:x', 'x:tessera:', 'constructors']) {
      assert.equal(isAllowedKey(key), true, key);
    }
    for (const key of ['my constructor', '__proto__x', 'Prototype', 'TESSERA:x']) {
      assert.equal(isAllowedKey(key), true, key);
    }
  });

  it('system keys are the authentication and CSRF bindings, both reserved', () => {
    assert.deepEqual([...SYSTEM_KEYS].sort(), ['tessera:auth', 'tessera:csrf']);
    for (const key of SYSTEM_KEYS) assert.equal(isAllowedKey(key), false);
  });
});

describe('parseValue', { timeout: 30_000 }, () => {
  it('parses what serializeValue wrote', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        if (/"(__proto__|constructor|prototype)":/.test(text)) return;
        assert.deepEqual(parseValue(text), JSON.parse(text));
        assert.equal(serializeValue('k', value), text);
      }),
    );
  });

  it('refuses text that is not JSON', () => {
    for (const text of ['', '{not json', 'undefined', "'x'", '[1,]']) {
      assert.throws(() => parseValue(text), invalid('stored session value is not JSON'), text);
    }
  });

  it('accepts 32 levels of nesting and refuses 33, of arrays and of objects', () => {
    assert.deepEqual(parseValue(arrays(32)), JSON.parse(arrays(32)));
    assert.deepEqual(parseValue(objects(32)), JSON.parse(objects(32)));
    const deeper = invalid('stored session value nests deeper than 32');
    assert.throws(() => parseValue(arrays(33)), deeper);
    assert.throws(() => parseValue(objects(33)), deeper);
    assert.throws(() => parseValue(`{"a":${arrays(16, objects(17))}}`), deeper);
    assert.throws(() => parseValue(arrays(40, '1')), deeper);
  });

  it('counts depth, not brackets: siblings and brackets inside strings do not nest', () => {
    const siblings = `[${arrays(31)},${arrays(31)},${arrays(31)}]`;
    assert.deepEqual(parseValue(siblings), JSON.parse(siblings));
    const objectSiblings = `{"x":${objects(31)},"y":${objects(31)},"z":${objects(31)}}`;
    assert.deepEqual(parseValue(objectSiblings), JSON.parse(objectSiblings));
    const inString = JSON.stringify(['['.repeat(40), '{'.repeat(40)]);
    assert.deepEqual(parseValue(inString), ['['.repeat(40), '{'.repeat(40)]);
    // An escaped quote does not end the string: the brackets after it are still text.
    const escaped = JSON.stringify([`"${'['.repeat(40)}`, `\\"${'{'.repeat(40)}`]);
    assert.deepEqual(parseValue(escaped), JSON.parse(escaped));
    const closers = JSON.stringify([']]]]', '}}}}']);
    assert.throws(() => parseValue(`[${closers},${arrays(32)}]`), {
      code: 'INVALID_SESSION_DATA',
    });
  });

  it('S-33 drops each prototype-reaching key at any depth, keeping the rest', () => {
    for (const bad of ['__proto__', 'constructor', 'prototype']) {
      const value = parseValue(`{"a":[{"${bad}":{"x":1},"ok":1}],"${bad}":2,"b":{"${bad}":3}}`);
      assert.deepEqual(JSON.stringify(value), '{"a":[{"ok":1}],"b":{}}', bad);
      assert.equal(Object.getPrototypeOf(value), Object.prototype);
    }
    assert.deepEqual(parseValue('[[{"constructor":1,"k":[{"prototype":2,"j":3}]}]]'), [
      [{ k: [{ j: 3 }] }],
    ]);
    assert.deepEqual(parseValue('{"constructor":1,"n":null,"l":[null,2]}'), {
      n: null,
      l: [null, 2],
    });
    // The words as values or inside longer keys stay.
    assert.deepEqual(parseValue('{"note":"constructor","prototypes":1}'), {
      note: 'constructor',
      prototypes: 1,
    });
  });

  it('returns primitives as they are', () => {
    assert.equal(parseValue('3'), 3);
    assert.equal(parseValue('"__proto__"'), '__proto__');
    assert.equal(parseValue('null'), null);
    assert.equal(parseValue('false'), false);
    assert.equal(parseValue(`"${'['.repeat(80)}"`), '['.repeat(80));
  });
});

describe('sanitizeParsed', { timeout: 30_000 }, () => {
  it('drops prototype-reaching keys in place, at any depth', () => {
    const value = JSON.parse(
      '{"__proto__":1,"a":[{"constructor":{"x":1},"keep":[{"prototype":0,"y":2}]}],"b":null}',
    );
    sanitizeParsed(value);
    assert.equal(JSON.stringify(value), '{"a":[{"keep":[{"y":2}]}],"b":null}');
    sanitizeParsed(null);
    sanitizeParsed('constructor');
    sanitizeParsed(3);
  });

  it('refuses more than 32 levels', () => {
    sanitizeParsed(JSON.parse(arrays(32)));
    sanitizeParsed(JSON.parse(objects(32)));
    sanitizeParsed(JSON.parse(objects(32, '"deep"')));
    const deeper = invalid('session value nests deeper than 32');
    assert.throws(() => sanitizeParsed(JSON.parse(arrays(33))), deeper);
    assert.throws(() => sanitizeParsed(JSON.parse(objects(33))), deeper);
    assert.throws(() => sanitizeParsed(JSON.parse(objects(31, arrays(2)))), deeper);
  });
});

describe('serializeValue', { timeout: 30_000 }, () => {
  it('gives JSON text, or undefined for what JSON drops', () => {
    assert.equal(serializeValue('k', { a: [1, 'x', null] }), '{"a":[1,"x",null]}');
    assert.equal(serializeValue('k', 'constructor'), '"constructor"');
    assert.equal(serializeValue('k', undefined), undefined);
    assert.equal(
      serializeValue('k', () => 1),
      undefined,
    );
    assert.equal(serializeValue('k', Symbol('s')), undefined);
    assert.equal(serializeValue('k', arrays(80)), JSON.stringify(arrays(80)));
  });

  it('refuses cycles and BigInt, naming the key and the cause', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(
      () => serializeValue('cart', cyclic),
      invalid('session key "cart" cannot be serialized to JSON (TypeError)'),
    );
    assert.throws(
      () => serializeValue('n', { big: 1n }),
      invalid('session key "n" cannot be serialized to JSON (TypeError)'),
    );
  });

  it('accepts 32 levels and refuses 33', () => {
    assert.equal(serializeValue('k', JSON.parse(arrays(32))), arrays(32));
    assert.equal(serializeValue('k', JSON.parse(objects(32))), objects(32));
    const deeper = invalid('session key "deep" nests deeper than 32');
    assert.throws(() => serializeValue('deep', JSON.parse(arrays(33))), deeper);
    assert.throws(() => serializeValue('deep', JSON.parse(objects(33))), deeper);
  });

  it('refuses objects with a prototype-reaching key at any depth', () => {
    const refused = invalid(
      'session key "k" holds an object with a __proto__, constructor or prototype key',
    );
    for (const bad of ['__proto__', 'constructor', 'prototype']) {
      assert.throws(() => serializeValue('k', JSON.parse(`{"${bad}":1}`)), refused, bad);
      assert.throws(() => serializeValue('k', JSON.parse(`{"ok":1,"${bad}":1}`)), refused, bad);
      assert.throws(() => serializeValue('k', JSON.parse(`[1,{"a":{"${bad}":1}}]`)), refused);
      assert.throws(() => serializeValue('k', JSON.parse(`[[{"${bad}":null}]]`)), refused);
    }
    // The words elsewhere are fine, beside any other value.
    assert.equal(
      serializeValue('k', { note: 'constructor', none: null, list: [null, 1] }),
      '{"note":"constructor","none":null,"list":[null,1]}',
    );
    assert.equal(
      serializeValue('k', { note: ['constructor', { prototypes: 'prototype' }] }),
      '{"note":["constructor",{"prototypes":"prototype"}]}',
    );
  });
});
