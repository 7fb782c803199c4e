/**
 * Conformance: data values are JSON texts and keys are arbitrary strings; both must come
 * back byte-exact. Stores that re-encode values (e.g. as native JSON columns that reorder
 * object keys or normalise numbers) or build query paths from keys fail here.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { SuiteContext } from './fixtures.js';
import { dataOf, liveRecord, plain, randomStoreKey } from './fixtures.js';
import { TEST_OPTIONS } from './options.js';

/** ~64 KiB of text mixing ASCII, BMP and astral characters, escapes and quotes. */
function largeText(): string {
  const unit = 'lorem ipsum "quoted" \\ back/slash \n tab\t é ü 漢字 😀 \u2028 ';
  let text = '';
  while (text.length < 64 * 1024) text += unit;
  return text;
}

/** JSON texts as the engine produces them, plus shapes a native-JSON column would rewrite. */
function jsonValues(): Array<readonly [string, string]> {
  return [
    ['nested', JSON.stringify({ z: 1, a: { y: [1, 2, { x: null }], b: true } })],
    ['keyOrder', JSON.stringify({ b: 1, a: 2, '10': 3, '2': 4 })],
    ['numbers', JSON.stringify([0, -0.5, 1e21, 1.5e-7, 9007199254740991])],
    ['nonCanonicalNumber', '1.0'],
    ['pretty', JSON.stringify({ list: [1, 2], text: 'a' }, null, 2)],
    ['unicode', JSON.stringify('grüße, 漢字, emoji 😀, combining é, rtl שלום')],
    ['escapes', JSON.stringify('quote " backslash \\ nul \u0000 bell \u0007 ls \u2028')],
    ['loneSurrogate', JSON.stringify('\ud800 alone')],
    ['emptyString', '""'],
    ['emptyObject', '{}'],
    ['emptyArray', '[]'],
    ['null', 'null'],
    ['false', 'false'],
    ['large', JSON.stringify(largeText())],
  ];
}

async function roundTrip(ctx: SuiteContext, data: Record<string, string>): Promise<void> {
  const key = randomStoreKey();
  const record = liveRecord(data);
  await ctx.store().set(key, record);
  const got = await ctx.store().get(key);
  assert.ok(got, 'record should be found');
  assert.deepStrictEqual(plain(got), plain(record));
  for (const [name, value] of Object.entries(data)) {
    assert.equal(typeof got.data[name], 'string', `value of ${JSON.stringify(name)} is a string`);
    assert.equal(got.data[name], value, `value of ${JSON.stringify(name)} is byte-exact`);
  }
}

export function dataTests(ctx: SuiteContext): void {
  it('JSON values round-trip byte-exact through set/get', TEST_OPTIONS, async () => {
    await roundTrip(ctx, dataOf(jsonValues()));
  });

  it('JSON values round-trip byte-exact through patch', TEST_OPTIONS, async () => {
    const key = randomStoreKey();
    const record = liveRecord({});
    await ctx.store().set(key, record);
    const set = dataOf(jsonValues());
    assert.equal(
      await ctx.store().patch(key, { set, remove: [], expiresAt: record.expiresAt }),
      true,
    );
    const got = await ctx.store().get(key);
    assert.ok(got, 'record should be found');
    assert.deepStrictEqual({ ...got.data }, set);
  });

  it(
    'keys with dots, colons, spaces, quotes, path and glob syntax, and unicode round-trip',
    TEST_OPTIONS,
    async () => {
      const keys = [
        'a.b.c',
        'ns:user:id',
        'with space',
        ' leading and trailing ',
        'double"quote',
        "single'quote",
        'back\\slash',
        '$.path[0]',
        '{}',
        '*?[glob]',
        '%like_',
        '0',
        '42',
        'ключ',
        '鍵',
        '😀',
        'new\nline',
        'a'.repeat(200),
      ];
      const data = dataOf(keys.map((k, i) => [k, JSON.stringify(i)] as const));
      await roundTrip(ctx, data);

      // Patching and removing such keys must address exactly that key.
      const key = randomStoreKey();
      const record = liveRecord(data);
      await ctx.store().set(key, record);
      const ok = await ctx.store().patch(key, {
        set: dataOf([
          ['a.b.c', '"patched"'],
          ['$.path[0]', '"patched"'],
        ]),
        remove: ['double"quote', '*?[glob]', 'back\\slash'],
        expiresAt: record.expiresAt,
      });
      assert.equal(ok, true);
      const got = await ctx.store().get(key);
      assert.ok(got, 'record should be found');
      const expected: Record<string, string> = {
        ...data,
        'a.b.c': '"patched"',
        '$.path[0]': '"patched"',
      };
      delete expected['double"quote'];
      delete expected['*?[glob]'];
      delete expected['back\\slash'];
      assert.deepStrictEqual({ ...got.data }, expected);
    },
  );

  it('the empty string is a valid data key', TEST_OPTIONS, async () => {
    await roundTrip(
      ctx,
      dataOf([
        ['', '"empty key"'],
        ['other', '1'],
      ]),
    );
  });
}
