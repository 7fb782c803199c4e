import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseCookieHeader } from './parse.js';

const entries = (header: string | undefined): [string, string][] => [
  ...parseCookieHeader(header).values,
];

describe('parseCookieHeader', { timeout: 60_000 }, () => {
  test('parses pairs, trims SP/HTAB around names and values', () => {
    assert.deepEqual(entries('a=1; b=2;c=3 ;\t d \t=\t4\t'), [
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '4'],
    ]);
  });

  test('keeps "=" inside values and allows empty values', () => {
    assert.deepEqual(entries('a=b=c; e='), [
      ['a', 'b=c'],
      ['e', ''],
    ]);
  });

  test('removes one pair of surrounding double quotes', () => {
    assert.deepEqual(entries('a="x"; b=""; c="; d="y'), [
      ['a', 'x'],
      ['b', ''],
      ['c', '"'],
      ['d', '"y'],
    ]);
  });

  test('skips pairs without "=" or with an empty name', () => {
    assert.deepEqual(entries('a; =x; b=1; ; c'), [['b', '1']]);
  });

  test('percent-decodes only when "%" is present; bad escapes keep the raw value', () => {
    assert.deepEqual(entries('a=%41b; b=%zz; c=%E0%A4%A; d=100%'), [
      ['a', 'Ab'],
      ['b', '%zz'],
      ['c', '%E0%A4%A'],
      ['d', '100%'],
    ]);
  });

  test('decode: false keeps values exactly as sent', () => {
    const parsed = parseCookieHeader('a=%41', { decode: false });
    assert.equal(parsed.values.get('a'), '%41');
  });

  test('S-26 decode: false keeps surrounding double quotes, so a quoted token is not the token', () => {
    const parsed = parseCookieHeader('sid="abc"; t=""', { decode: false });
    assert.equal(parsed.values.get('sid'), '"abc"');
    assert.equal(parsed.values.get('t'), '""');
  });

  test('S-07 a name sent twice is a duplicate and has no value', () => {
    const parsed = parseCookieHeader('__Host-sid=A; a=1; __Host-sid=B');
    assert.equal(parsed.values.has('__Host-sid'), false);
    assert.deepEqual([...parsed.duplicates], ['__Host-sid']);
    assert.equal(parsed.values.get('a'), '1');
  });

  test('S-07 two Cookie header lines joined by Node are still duplicates', () => {
    const parsed = parseCookieHeader(['a=1; sid=x', 'sid=y'].join('; '));
    assert.deepEqual([...parsed.values], [['a', '1']]);
    assert.deepEqual([...parsed.duplicates], ['sid']);
  });

  test('S-07 a third occurrence does not resurrect the name', () => {
    const parsed = parseCookieHeader('sid=1; sid=2; sid=3; sid=4');
    assert.equal(parsed.values.has('sid'), false);
    assert.deepEqual([...parsed.duplicates], ['sid']);
  });

  test('S-07 names are case-sensitive: __Host-sid and __HOST-sid are different cookies', () => {
    const parsed = parseCookieHeader('__Host-sid=A; __HOST-sid=B');
    assert.equal(parsed.values.get('__Host-sid'), 'A');
    assert.equal(parsed.values.get('__HOST-sid'), 'B');
    assert.equal(parsed.duplicates.size, 0);
  });

  test('hostile headers never throw and parse by the documented rules', () => {
    const cases: Array<
      [header: string | undefined, values: [string, string][], duplicates: string[]]
    > = [
      [undefined, [], []],
      ['', [], []],
      [';;;', [], []],
      ['=', [], []], // empty name: skipped
      ['=x', [], []],
      ['a', [], []], // no `=`: skipped
      ['%zz', [], []],
      ['a=%E0%A4%A', [['a', '%E0%A4%A']], []], // undecodable: kept as sent
      [
        'a=\u0000\u0001\r\n; b=\u007f',
        [
          ['a', '\u0000\u0001\r\n'],
          ['b', '\u007f'],
        ],
        [],
      ],
      [
        'a=\u00ff\u00e9; \u00e9=1',
        [
          ['a', '\u00ff\u00e9'],
          ['\u00e9', '1'],
        ],
        [],
      ],
      ['\uD800=\uDFFF', [['\uD800', '\uDFFF']], []],
      ['x=1;'.repeat(3000), [], ['x']],
      ['a;'.repeat(6000), [], []],
    ];
    for (const [header, values, duplicates] of cases) {
      const parsed = parseCookieHeader(header);
      assert.deepEqual([...parsed.values], values, JSON.stringify(header));
      assert.deepEqual([...parsed.duplicates], duplicates, JSON.stringify(header));
    }
    const percents = '%'.repeat(12_000);
    assert.deepEqual([...parseCookieHeader(`s=${percents}`).values], [['s', percents]]);
  });

  test('the shared empty result refuses mutation', () => {
    const empty = parseCookieHeader(undefined);
    assert.equal(empty.values.size, 0);
    assert.throws(() => (empty.values as Map<string, string>).set('a', 'b'), TypeError);
    assert.throws(() => (empty.duplicates as Set<string>).add('a'), TypeError);
    assert.equal(parseCookieHeader('').values.size, 0);
  });

  test('property: never throws on arbitrary strings (unicode, latin1, delimiters)', () => {
    const codeUnits = (max: number) =>
      fc.string({ unit: fc.integer({ min: 0, max }).map((c) => String.fromCharCode(c)) });
    const delimiters = fc.string({ unit: fc.constantFrom(';', '=', ' ', '\t', '"', '%', 'a') });
    // Any UTF-16 code unit (lone surrogates included), latin1 bytes as Node decodes
    // headers, and dense delimiter soup.
    const anyText = fc.oneof(codeUnits(0xffff), codeUnits(0xff), delimiters);
    fc.assert(
      fc.property(anyText, (header) => {
        const parsed = parseCookieHeader(header);
        for (const name of parsed.duplicates) assert.equal(parsed.values.has(name), false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseCookieHeader edges', { timeout: 60_000 }, () => {
  test('every mutator of the shared empty result throws a read-only TypeError', () => {
    const empty = parseCookieHeader(undefined);
    const values = empty.values as Map<string, string>;
    const duplicates = empty.duplicates as Set<string>;
    const mutators = [
      () => values.set('a', 'b'),
      () => values.delete('a'),
      () => values.clear(),
      () => duplicates.add('a'),
      () => duplicates.delete('a'),
      () => duplicates.clear(),
    ];
    for (const mutate of mutators) {
      assert.throws(mutate, (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, /read-only/);
        return true;
      });
    }
    assert.equal(values.size, 0);
    assert.equal(duplicates.size, 0);
  });

  test('a header without any cookie gets the shared empty result', () => {
    const empty = parseCookieHeader(undefined);
    for (const header of ['a; b', ';;', '=x; =y', ' =1']) {
      assert.equal(parseCookieHeader(header), empty, header);
    }
    const one = parseCookieHeader('a=1');
    assert.notEqual(one, empty);
    assert.equal(one.duplicates, empty.duplicates);
  });

  test('a "%" anywhere in the value is decoded', () => {
    assert.deepEqual(entries('a=x%41; b=xy%42z; c=%43'), [
      ['a', 'xA'],
      ['b', 'xyBz'],
      ['c', 'C'],
    ]);
  });

  test('a value only ending or only starting with a double quote keeps it', () => {
    assert.deepEqual(entries('a=xy"; b="xy; c=x"y"'), [
      ['a', 'xy"'],
      ['b', '"xy'],
      ['c', 'x"y"'],
    ]);
  });

  test('S-07 an odd number of occurrences still leaves the name a duplicate', () => {
    const parsed = parseCookieHeader('sid=1; a=1; sid=2; sid=3');
    assert.deepEqual([...parsed.values], [['a', '1']]);
    assert.deepEqual([...parsed.duplicates], ['sid']);
  });

  test('cookies after a duplicate are still read', () => {
    const parsed = parseCookieHeader('x=1; x=2; b=3; c=4; x=5; d=6');
    assert.deepEqual(
      [...parsed.values],
      [
        ['b', '3'],
        ['c', '4'],
        ['d', '6'],
      ],
    );
    assert.deepEqual([...parsed.duplicates], ['x']);
  });

  test('pairs without "=" are scanned once: the next "=" is searched for once, not per pair', () => {
    const header = `${'a;'.repeat(10_000)}b=1`;
    // Counts the searches for '=' (instrumentation, not a stand-in: the real parser runs).
    const indexOf = String.prototype.indexOf;
    let equalsSearches = 0;
    String.prototype.indexOf = function (this: string, search: string, from?: number) {
      if (search === '=' && this === header) equalsSearches++;
      return indexOf.call(this, search, from);
    };
    let parsed: ReturnType<typeof parseCookieHeader>;
    try {
      parsed = parseCookieHeader(header);
    } finally {
      String.prototype.indexOf = indexOf;
    }
    assert.deepEqual([...parsed.values], [['b', '1']]);
    // A search per pair would read the header once per pair: quadratic in its length.
    assert.equal(equalsSearches, 1);
  });
});
