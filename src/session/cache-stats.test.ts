import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { MemoryStore } from '../stores/memory/index.js';
import { SessionEngine } from './engine.js';

type Data = Record<string, unknown>;
const CAPACITY = 1024;

/** Issues `count` distinct sessions and returns their `Cookie` header values. */
async function issue(engine: SessionEngine<Data>, count: number): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) {
    const session = await engine.load({ cookieHeader: undefined, secure: false });
    session.data.n = i;
    const plan = engine.commit(session);
    await plan.pending;
    cookies.push(plan.setCookie[0]!.split(';')[0]!);
  }
  return cookies;
}

const valueBytes = (cookie: string): number => cookie.length - cookie.indexOf('=') - 1;

describe('the verified-cookie cache', { timeout: 60_000 }, () => {
  for (const mode of ['cookie', 'store'] as const) {
    it(`${mode} mode: keeps a cookie from its second request on, and counts what it did`, async () => {
      const engine = new SessionEngine<Data>({
        secrets: [randomBytes(32).toString('base64url')],
        ...(mode === 'store' ? { store: new MemoryStore() } : {}),
      });
      const [a, b] = await issue(engine, 2);
      assert.deepEqual(engine.verifiedCacheStats(), {
        entries: 0,
        capacity: CAPACITY,
        hits: 0,
        misses: 0,
        valueBytes: 0,
      });
      // a: verified and remembered; a: verified again and kept; b: remembered; a: a hit.
      for (const cookie of [a!, a!, b!, a!]) {
        const session = await engine.load({ cookieHeader: cookie, secure: false });
        assert.equal(session.isNew, false);
      }
      assert.deepEqual(engine.verifiedCacheStats(), {
        entries: 1,
        capacity: CAPACITY,
        hits: 1,
        misses: 3,
        valueBytes: valueBytes(a!),
      });
    });
  }

  it('stays bounded: the oldest entry leaves first, and a refused cookie is never kept', async () => {
    const engine = new SessionEngine<Data>({ secrets: [randomBytes(32).toString('base64url')] });
    const cookies = await issue(engine, CAPACITY + 1);
    const loadAll = async () => {
      for (const cookie of cookies) await engine.load({ cookieHeader: cookie, secure: false });
    };
    await loadAll(); // every cookie remembered, none kept
    assert.equal(engine.verifiedCacheStats().entries, 0);
    await loadAll(); // every cookie kept; the first one left when the last came in
    const full = engine.verifiedCacheStats();
    assert.equal(full.entries, CAPACITY);
    assert.equal(full.misses, 2 * (CAPACITY + 1));
    assert.equal(
      full.valueBytes,
      cookies.slice(1).reduce((sum, c) => sum + valueBytes(c), 0),
    );
    await engine.load({ cookieHeader: cookies[0], secure: false });
    await engine.load({ cookieHeader: cookies[CAPACITY], secure: false });
    const after = engine.verifiedCacheStats();
    assert.equal(after.misses, full.misses + 1, 'the first cookie was evicted');
    assert.equal(after.hits, full.hits + 1, 'the last one is still held');
    assert.equal(after.entries, CAPACITY);
    // A forged cookie misses every time and takes no entry.
    const forged = `${cookies[1]!.slice(0, -2)}${cookies[1]!.endsWith('AA') ? 'BA' : 'AA'}`;
    for (let i = 0; i < 3; i++) {
      const session = await engine.load({ cookieHeader: forged, secure: false });
      assert.equal(session.isNew, true);
    }
    const forgedStats = engine.verifiedCacheStats();
    assert.equal(forgedStats.misses, after.misses + 3);
    assert.equal(forgedStats.entries, CAPACITY);
  });

  it('with more sessions in rotation than it remembers, it keeps none of them', async () => {
    const engine = new SessionEngine<Data>({ secrets: [randomBytes(32).toString('base64url')] });
    const cookies = await issue(engine, 2 * CAPACITY + 1);
    for (let pass = 0; pass < 3; pass++) {
      for (const cookie of cookies) await engine.load({ cookieHeader: cookie, secure: false });
    }
    const stats = engine.verifiedCacheStats();
    assert.equal(stats.entries, 0);
    assert.equal(stats.hits, 0);
    assert.equal(stats.misses, 3 * cookies.length);
  });
});
