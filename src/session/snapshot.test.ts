import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

/** Values without prototype-reaching keys (those are refused on write, dropped on read). */
const safeJson = (v: unknown): boolean =>
  !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(v) ?? '');

import {
  diffData,
  EMPTY_SNAPSHOT,
  LINEAR_SEARCH_MAX,
  materialize,
  positionOf,
  snapshotFromEntries,
  snapshotFromObject,
  snapshotFromTexts,
} from './snapshot.js';

const json = fc.jsonValue({ maxDepth: 4 }).filter(safeJson);
const key = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
const dataArb = fc.dictionary(key, json, { maxKeys: 8 });

function texts(data: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, JSON.stringify(v)]));
}

/**
 * Loads `before`, turns the live data into `after`, and checks that the diff sets exactly
 * the changed keys (with their new texts), removes exactly the dropped ones and lists
 * every key of `after`; or is null when nothing changed.
 */
function checkDiff(before: Record<string, unknown>, after: Record<string, unknown>): void {
  const snapshot = snapshotFromTexts(texts(before));
  const live = materialize(snapshot);
  for (const k of Object.keys(live)) if (!Object.hasOwn(after, k)) delete live[k];
  for (const [k, v] of Object.entries(after)) live[k] = v;
  const diff = diffData(snapshot, live);
  const expectSet = Object.keys(after).filter(
    (k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]),
  );
  const expectRemove = Object.keys(before).filter((k) => !Object.hasOwn(after, k));
  if (expectSet.length === 0 && expectRemove.length === 0) {
    assert.equal(diff, null);
    return;
  }
  assert.ok(diff);
  assert.deepEqual(Object.keys(diff.set).sort(), expectSet.sort());
  assert.deepEqual(diff.remove.slice().sort(), expectRemove.sort());
  for (const k of expectSet) assert.equal(diff.set[k], JSON.stringify(after[k]));
  assert.deepEqual(diff.keys.slice().sort(), Object.keys(after).sort());
}

describe('snapshot and diff', { timeout: 60_000 }, () => {
  it('materialize(snapshot) equals the stored data, as fresh objects each time', () => {
    fc.assert(
      fc.property(dataArb, (data) => {
        const snapshot = snapshotFromTexts(texts(data));
        const a = materialize(snapshot);
        const b = materialize(snapshot);
        assert.deepEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(data)));
        for (const k of Object.keys(a)) {
          if (typeof a[k] === 'object' && a[k] !== null) assert.notEqual(a[k], b[k]);
        }
        assert.equal(Object.getPrototypeOf(a), null);
      }),
    );
  });

  it('an untouched session has no diff (the READ path)', () => {
    fc.assert(
      fc.property(dataArb, (data) => {
        const snapshot = snapshotFromTexts(texts(data));
        assert.equal(diffData(snapshot, materialize(snapshot)), null);
      }),
    );
  });

  it('diff(before, after) sets exactly the changed keys and removes exactly the dropped ones', () => {
    fc.assert(
      fc.property(dataArb, dataArb, (before, after) => {
        checkDiff(before, after);
      }),
    );
  });

  it('catches nested mutation', () => {
    const snapshot = snapshotFromTexts({ cart: '{"items":[1,2]}' });
    const live = materialize(snapshot) as { cart: { items: number[] } };
    live.cart.items.push(3);
    assert.deepEqual(
      diffData(snapshot, live)?.set,
      Object.assign(Object.create(null), { cart: '{"items":[1,2,3]}' }),
    );
  });

  it('undefined removes a key; functions, cycles and BigInt are refused with a typed error', () => {
    const snapshot = snapshotFromTexts({ a: '1', b: '2' });
    const live = materialize(snapshot);
    live.a = undefined;
    assert.deepEqual(diffData(snapshot, live)?.remove, ['a']);
    live.b = () => 1;
    assert.throws(() => diffData(snapshot, live), {
      code: 'INVALID_SESSION_DATA',
      message: /"b" holds a function/,
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => diffData(EMPTY_SNAPSHOT, { cyclic }), { code: 'INVALID_SESSION_DATA' });
    assert.throws(() => diffData(EMPTY_SNAPSHOT, { big: 1n }), { code: 'INVALID_SESSION_DATA' });
  });

  it('refuses prototype-reaching top-level keys set by the app', () => {
    const live = Object.create(null) as Record<string, unknown>;
    Object.defineProperty(live, '__proto__', { value: { isAdmin: true }, enumerable: true });
    assert.throws(() => diffData(EMPTY_SNAPSHOT, live), { code: 'INVALID_SESSION_DATA' });
  });

  it('S-33 drops prototype-reaching keys at any depth when loading', () => {
    const parsed = JSON.parse(
      '{"a":{"__proto__":{"x":1},"constructor":{"prototype":{"p":1}},"ok":1},"__proto__":{"y":1}}',
    );
    const snapshot = snapshotFromObject(parsed);
    assert.deepEqual(snapshot.keys, ['a']);
    assert.equal(snapshot.texts[0], '{"ok":1}');
    const stored = snapshotFromTexts({ a: '[{"__proto__":{"polluted":1}}]' });
    const [item] = materialize(stored).a as [Record<string, unknown>];
    assert.deepEqual(Object.keys(item), [], 'the __proto__ key was dropped');
    assert.equal(
      Object.getPrototypeOf(item),
      Object.prototype,
      'and did not replace the prototype',
    );
    assert.equal(item.polluted, undefined);
  });

  it('S-33 refuses values nested deeper than 32 levels', () => {
    const deep = `${'['.repeat(33)}${']'.repeat(33)}`;
    assert.throws(() => snapshotFromTexts({ a: deep }), { code: 'INVALID_SESSION_DATA' });
    const ok = `${'['.repeat(32)}${']'.repeat(32)}`;
    assert.deepEqual(materialize(snapshotFromTexts({ a: ok })).a, JSON.parse(ok));
    assert.throws(() => snapshotFromObject({ a: JSON.parse(deep) }), {
      code: 'INVALID_SESSION_DATA',
    });
    assert.throws(() => snapshotFromTexts({ a: '{not json' }), { code: 'INVALID_SESSION_DATA' });
  });
});

describe('writing prototype-reaching keys', { timeout: 60_000 }, () => {
  it('is refused at commit, at any depth, so data never vanishes silently', () => {
    assert.throws(() => diffData(EMPTY_SNAPSHOT, { car: { constructor: 'Ford' } }), {
      code: 'INVALID_SESSION_DATA',
    });
    assert.throws(() => diffData(EMPTY_SNAPSHOT, { a: [JSON.parse('{"__proto__":1}')] }), {
      code: 'INVALID_SESSION_DATA',
    });
    // The words inside string values are fine.
    assert.ok(diffData(EMPTY_SNAPSHOT, { note: 'constructor prototype __proto__' }));
  });
});

describe('loading system entries and refusing foreign ones', { timeout: 60_000 }, () => {
  it('store mode keeps the system keys apart from data and drops other reserved keys', () => {
    const snapshot = snapshotFromTexts({
      views: '3',
      'tessera:auth': '{"u":"alice"}',
      'tessera:csrf': '"token"',
      'tessera:device': '{"ua":"x"}',
      'tessera:other': '1',
    });
    assert.deepEqual(snapshot.keys, ['views']);
    assert.deepEqual(snapshot.texts, ['3']);
    assert.deepEqual(
      { ...snapshot.system },
      { 'tessera:auth': '{"u":"alice"}', 'tessera:csrf': '"token"' },
    );
    assert.deepEqual({ ...materialize(snapshot) }, { views: 3 });
  });

  it('store mode: system entries alone still make a snapshot that keeps them', () => {
    const snapshot = snapshotFromTexts({ 'tessera:auth': '{"u":"alice"}' });
    assert.deepEqual(snapshot.keys, []);
    assert.deepEqual({ ...snapshot.system }, { 'tessera:auth': '{"u":"alice"}' });
    assert.deepEqual({ ...snapshotFromTexts({}).system }, {});
    assert.deepEqual({ ...snapshotFromTexts({ 'tessera:device': '{}' }).system }, {});
    assert.deepEqual({ ...snapshotFromTexts({ views: '1' }).system }, {});
  });

  it('store mode refuses a data value that is not text, and a system value that is not JSON', () => {
    const foreign = { a: 5 } as unknown as Record<string, string>;
    assert.throws(() => snapshotFromTexts(foreign), {
      code: 'INVALID_SESSION_DATA',
      message: 'stored value is not text',
    });
    // A system entry that is not text is ignored, not taken for data.
    const odd = { 'tessera:auth': 5, views: '1' } as unknown as Record<string, string>;
    const snapshot = snapshotFromTexts(odd);
    assert.deepEqual({ ...snapshot.system }, {});
    assert.deepEqual(snapshot.keys, ['views']);
    assert.throws(() => snapshotFromTexts({ 'tessera:csrf': '{not json' }), {
      code: 'INVALID_SESSION_DATA',
    });
  });

  it('cookie mode keeps the system keys apart, drops other reserved keys and undefined values', () => {
    const snapshot = snapshotFromObject({
      a: 1,
      gone: undefined,
      'tessera:auth': { u: 'alice' },
      'tessera:device': { ua: 'x' },
      'tessera:csrf': undefined,
      b: [true],
    });
    assert.deepEqual(snapshot.keys, ['a', 'b']);
    assert.deepEqual(snapshot.texts, ['1', '[true]']);
    assert.deepEqual({ ...snapshot.system }, { 'tessera:auth': '{"u":"alice"}' });
    const only = snapshotFromObject({ 'tessera:csrf': 'token', 'tessera:x': 1 });
    assert.deepEqual(only.keys, []);
    assert.deepEqual({ ...only.system }, { 'tessera:csrf': '"token"' });
    assert.deepEqual({ ...snapshotFromObject({ 'tessera:device': 'x' }).system }, {});
  });
});

describe('diffData, key by key', { timeout: 60_000 }, () => {
  it('sets only the keys whose value changed, and lists every key for a full rewrite', () => {
    const snapshot = snapshotFromTexts({ a: '1', b: '"x"', c: '{"n":1}', d: 'null' });
    const live = materialize(snapshot);
    live.b = 'y';
    const diff = diffData(snapshot, live);
    assert.ok(diff);
    assert.deepEqual({ ...diff.set }, { b: '"y"' });
    assert.deepEqual(diff.remove, []);
    assert.deepEqual(diff.keys, ['a', 'b', 'c', 'd']);
    assert.deepEqual(diff.texts, ['1', '"y"', '{"n":1}', 'null']);

    const added = materialize(snapshot);
    added.e = false;
    (added.c as { n: number }).n = 2;
    const next = diffData(snapshot, added);
    assert.deepEqual({ ...next?.set }, { c: '{"n":2}', e: 'false' });
    assert.deepEqual(next?.keys, ['a', 'b', 'c', 'd', 'e']);
  });

  it('a primitive changed in place is set', () => {
    const snapshot = snapshotFromTexts({ n: '1' });
    assert.deepEqual({ ...diffData(snapshot, { n: 2 })?.set }, { n: '2' });
    assert.deepEqual({ ...diffData(snapshot, { n: '1' })?.set }, { n: '"1"' });
    assert.deepEqual({ ...diffData(snapshot, { n: null })?.set }, { n: 'null' });
  });

  it('removes exactly the keys deleted or set to undefined', () => {
    const snapshot = snapshotFromTexts({ a: '1', b: '2', c: '3' });
    const live = materialize(snapshot);
    delete live.c;
    const diff = diffData(snapshot, live);
    assert.deepEqual(diff?.remove, ['c']);
    assert.deepEqual({ ...diff?.set }, {});
    assert.deepEqual(diff?.keys, ['a', 'b']);
    live.a = undefined;
    assert.deepEqual(diffData(snapshot, live)?.remove.sort(), ['a', 'c']);
    // Deleting one key and adding another left undefined is still a removal.
    assert.deepEqual(diffData(snapshotFromTexts({ a: '1' }), { b: undefined })?.remove, ['a']);
  });

  it('a new key left undefined changes nothing', () => {
    const snapshot = snapshotFromTexts({ a: '1' });
    const live = materialize(snapshot);
    live.later = undefined;
    assert.equal(diffData(snapshot, live), null);
    assert.equal(diffData(EMPTY_SNAPSHOT, { later: undefined }), null);
    assert.equal(diffData(EMPTY_SNAPSHOT, {}), null);
  });

  it('untouched values keep the text they were stored as, even when it is not canonical', () => {
    const snapshot = snapshotFromTexts({ n: '1e2', s: '"\\u0061"', z: ' null', t: 'true ' });
    const live = materialize(snapshot);
    assert.deepEqual({ ...live }, { n: 100, s: 'a', z: null, t: true });
    assert.equal(diffData(snapshot, live), null, 'a READ writes nothing');
    live.added = 1;
    const diff = diffData(snapshot, live);
    assert.deepEqual({ ...diff?.set }, { added: '1' });
    assert.deepEqual(diff?.texts, ['1e2', '"\\u0061"', ' null', 'true ', '1']);
  });

  it('refuses a new reserved or prototype-reaching key, naming it', () => {
    assert.throws(() => diffData(EMPTY_SNAPSHOT, { 'tessera:auth': 'x' }), {
      code: 'INVALID_SESSION_DATA',
      message: '"tessera:auth" cannot be used as a session key',
    });
    assert.throws(() => diffData(snapshotFromTexts({ a: '1' }), { a: 1, constructor: 1 }), {
      message: '"constructor" cannot be used as a session key',
    });
  });

  it('refuses values JSON would change, on new and on existing keys', () => {
    const snapshot = snapshotFromTexts({ a: '1' });
    assert.throws(() => diffData(snapshot, { a: Number.NaN }), { message: /"a" holds NaN/ });
    assert.throws(() => diffData(snapshot, { a: 1, d: new Date(0) }), {
      message: /"d" holds a Date/,
    });
    assert.throws(() => diffData(snapshot, { a: Symbol('s') }), { message: /"a" holds a symbol/ });
    assert.throws(() => diffData(snapshot, { b: () => 1 }), { message: /"b" holds a function/ });
  });
});

describe('cookie-mode snapshots', { timeout: 60_000 }, () => {
  it('materialize gives the values back; diff against them is null', () => {
    fc.assert(
      fc.property(dataArb, (data) => {
        const snapshot = snapshotFromObject(structuredClone(data));
        const live = materialize(snapshot);
        assert.deepEqual(JSON.stringify(live), JSON.stringify(data));
        assert.equal(diffData(snapshot, live), null);
      }),
    );
  });
});

describe('snapshots of more keys than are searched in order', { timeout: 60_000 }, () => {
  // Drawn from a small pool, so that before and after share most of their keys.
  const pooled = fc.constantFrom(...Array.from({ length: 30 }, (_, i) => `key${i}`));
  const wide = fc.dictionary(pooled, json, { minKeys: LINEAR_SEARCH_MAX + 1, maxKeys: 24 });

  it('an untouched wide session has no diff, and a changed one sets exactly its changes', () => {
    fc.assert(
      fc.property(wide, wide, (before, after) => {
        const snapshot = snapshotFromTexts(texts(before));
        assert.equal(diffData(snapshot, materialize(snapshot)), null);
        checkDiff(before, after);
      }),
    );
  });

  it('cookie-mode entries: a wide snapshot materializes its values; a repeated key is refused', () => {
    fc.assert(
      fc.property(wide, (data) => {
        const keys = Object.keys(data);
        const snapshot = snapshotFromEntries(
          keys,
          keys.map((k) => JSON.stringify(data[k])),
        );
        assert.deepEqual(
          JSON.parse(JSON.stringify(materialize(snapshot))),
          JSON.parse(JSON.stringify(data)),
        );
        assert.equal(diffData(snapshot, materialize(snapshot)), null);
        const repeated = [...keys, keys[keys.length - 1]!];
        assert.throws(
          () =>
            snapshotFromEntries(
              repeated,
              repeated.map(() => '1'),
            ),
          { code: 'INVALID_SESSION_DATA', message: 'session payload repeats a key' },
        );
      }),
    );
  });

  it('each key is found at its own place, the last one included', () => {
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    const snapshot = snapshotFromEntries(
      keys,
      keys.map((_, i) => String(i)),
    );
    keys.forEach((k, i) => {
      assert.equal(positionOf(snapshot, k), i);
    });
    assert.equal(positionOf(snapshot, 'absent'), -1);
    const small = snapshotFromEntries(['a', 'b', 'c'], ['1', '2', '3']);
    assert.equal(positionOf(small, 'c'), 2);
    assert.equal(positionOf(small, 'a'), 0);
    assert.equal(positionOf(small, 'absent'), -1);
  });

  it('setting a later key to undefined removes it, in small and wide snapshots', () => {
    for (const count of [3, 12]) {
      const keys = Array.from({ length: count }, (_, i) => `k${i}`);
      const snapshot = snapshotFromEntries(
        keys,
        keys.map((_, i) => String(i)),
      );
      const live = materialize(snapshot);
      live[`k${count - 1}`] = undefined;
      const diff = diffData(snapshot, live);
      assert.deepEqual(diff?.remove, [`k${count - 1}`], `${count} keys`);
      assert.deepEqual(Object.keys(diff?.set ?? {}), [], `${count} keys`);
    }
  });
});

describe('an untouched object value first in line', { timeout: 60_000 }, () => {
  it('is not set again when another key changes', () => {
    const snapshot = snapshotFromTexts({ first: '{"x":1}', second: '2' });
    const live = materialize(snapshot);
    live.second = 3;
    const diff = diffData(snapshot, live);
    assert.deepEqual({ ...diff?.set }, { second: '3' });
    assert.deepEqual(diff?.remove, []);
  });
});
