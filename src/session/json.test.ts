import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { assertJsonValue } from './json.js';

/** The message assertJsonValue throws for key `k` holding `what` at `path`. */
function refusal(what: string, at = ''): { code: string; message: string } {
  return {
    code: 'INVALID_SESSION_DATA',
    message:
      `session key "k" holds ${what}${at === '' ? '' : ` at k${at}`}, which JSON cannot store ` +
      'unchanged; store strings, finite numbers, booleans, null, arrays and plain objects',
  };
}

/** `inner` wrapped in `levels` arrays. */
function nested(levels: number, inner: unknown): unknown {
  let value = inner;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

class Cart {}

describe('assertJsonValue', { timeout: 30_000 }, () => {
  it('accepts every value JSON carries unchanged', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assertJsonValue('k', value);
      }),
    );
    assertJsonValue('k', { a: null, b: [null, true, ''], c: Object.create(null) });
    assertJsonValue('k', Object.assign(Object.create(null), { x: 1 }));
  });

  it('drops undefined object properties, as JSON does', () => {
    assertJsonValue('k', { a: undefined, b: 1 });
    assertJsonValue('k', { nested: { gone: undefined } });
  });

  it('names what is wrong with a top-level value', () => {
    assert.throws(() => assertJsonValue('k', Number.NaN), refusal('NaN'));
    assert.throws(() => assertJsonValue('k', Number.POSITIVE_INFINITY), refusal('Infinity'));
    assert.throws(() => assertJsonValue('k', Number.NEGATIVE_INFINITY), refusal('-Infinity'));
    assert.throws(() => assertJsonValue('k', undefined), refusal('undefined'));
    assert.throws(() => assertJsonValue('k', () => 1), refusal('a function'));
    assert.throws(() => assertJsonValue('k', Symbol('s')), refusal('a symbol'));
    assert.throws(() => assertJsonValue('k', 1n), refusal('a bigint'));
    assert.throws(() => assertJsonValue('k', new Date(0)), refusal('a Date'));
    assert.throws(() => assertJsonValue('k', new Map()), refusal('a Map'));
    assert.throws(() => assertJsonValue('k', new Set([1])), refusal('a Set'));
    assert.throws(() => assertJsonValue('k', new Cart()), refusal('a Cart'));
  });

  it('names an object without a plain prototype by its constructor, if it has a name', () => {
    const orphan = Object.create(Object.create(null));
    assert.throws(() => assertJsonValue('k', orphan), refusal('a non-plain object'));
    const unnamed = Object.create({ constructor: { name: '' } });
    assert.throws(() => assertJsonValue('k', unnamed), refusal('a non-plain object'));
  });

  it('names the path to a nested problem', () => {
    assert.throws(
      () => assertJsonValue('k', { a: { b: [1, { c: Number.NaN }] } }),
      refusal('NaN', '.a.b[1].c'),
    );
    assert.throws(() => assertJsonValue('k', [1, undefined]), refusal('undefined', '[1]'));
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested.
    assert.throws(() => assertJsonValue('k', [1, , 3]), refusal('an array hole', '[1]'));
    assert.throws(() => assertJsonValue('k', [[new Date(0)]]), refusal('a Date', '[0][0]'));
    assert.throws(
      () => assertJsonValue('k', { list: [null, () => 1] }),
      refusal('a function', '.list[1]'),
    );
    assert.throws(() => assertJsonValue('k', { ok: 1, bad: 1n }), refusal('a bigint', '.bad'));
  });

  it('writes identifier keys with a dot and any other key as a JSON string in brackets', () => {
    for (const name of ['x', 'cart2', '_id', '$ref', 'a_b$9', 'Zed']) {
      assert.throws(() => assertJsonValue('k', { [name]: Number.NaN }), refusal('NaN', `.${name}`));
    }
    for (const name of ['my key', '2fa', 'a-b', '-a', 'a-', 'é', '', 'a.b', 'x"y']) {
      assert.throws(
        () => assertJsonValue('k', { [name]: Number.NaN }),
        refusal('NaN', `[${JSON.stringify(name)}]`),
        name,
      );
    }
  });

  it('walks 64 levels deep and leaves deeper values to the serializer', () => {
    // The innermost array is at depth 64 and is still searched.
    assert.throws(() => assertJsonValue('k', nested(65, Number.NaN)), {
      code: 'INVALID_SESSION_DATA',
    });
    assertJsonValue('k', nested(66, Number.NaN));
    assertJsonValue('k', nested(200, Number.NaN));
    // The same bound for objects: the innermost object is at depth 64, then 65.
    let object: unknown = { x: Number.NaN };
    for (let i = 0; i < 64; i++) object = { a: object };
    assert.throws(() => assertJsonValue('k', object), { message: /holds NaN at k(\.a){64}\.x,/ });
    assertJsonValue('k', { a: object });
  });
});
