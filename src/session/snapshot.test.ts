import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

/** Values without prototype-reaching keys (those are refused on write, dropped on read). */
const safeJson = (v: unknown): boolean =>
  !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(v) ?? '');

import {
  diffData,
  EMPTY_SNAPSHOT,
  materialize,
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
