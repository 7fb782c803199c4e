import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InvalidOptionsError } from '../../errors.js';
import { runStoreConformance } from '../../testing/index.js';
import type { SessionRecord } from '../contract.js';
import { MemoryStore, memoryStore } from './index.js';
import { MEMORY_RECORD_OVERHEAD } from './options.js';

runStoreConformance({
  name: 'memory',
  create: async () => memoryStore(),
  capabilities: { byUser: true, prune: true },
});

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000): {
  now: () => number;
  advance: (ms: number) => void;
} {
  let current = start;
  return { now: () => current, advance: (ms) => (current += ms) };
}

function record(now: number, ttl: number, userId: string | null = null): SessionRecord {
  return {
    data: { a: '1' },
    createdAt: now,
    expiresAt: now + ttl,
    absoluteExpiresAt: now + 10 * ttl,
    userId,
  };
}

describe('MemoryStore', { timeout: 60_000 }, () => {
  it('evicts the least recently used record beyond maxSessions, silently and counted', async () => {
    const store = new MemoryStore({ maxSessions: 3, sweepInterval: 0 });
    const now = Date.now();
    for (const key of ['a', 'b', 'c']) await store.set(key, record(now, 60_000));
    await store.get('a'); // a becomes most recently used: b is now the oldest
    await store.set('d', record(now, 60_000));
    assert.equal(await store.get('b'), null);
    for (const key of ['a', 'c', 'd']) assert.ok(await store.get(key), `${key} kept`);
    assert.deepStrictEqual(store.stats, {
      size: 3,
      bytes: 609,
      users: 0,
      userSessions: 0,
      evictions: 1,
      expirations: 0,
    });
  });

  it('patch and touch count as use for LRU; replacing a key never evicts', async () => {
    const store = new MemoryStore({ maxSessions: 2, sweepInterval: 0 });
    const now = Date.now();
    await store.set('a', record(now, 60_000));
    await store.set('b', record(now, 60_000));
    await store.patch('a', { set: { x: '1' }, remove: [], expiresAt: now + 60_000 });
    await store.set('b', record(now, 60_000)); // replace: no eviction, b most recent
    assert.equal(store.stats.evictions, 0);
    await store.touch('a', now + 90_000); // a most recent, b oldest
    await store.set('c', record(now, 60_000));
    assert.equal(await store.get('b'), null);
    assert.ok(await store.get('a'));
    assert.equal(store.stats.evictions, 1);
  });

  it('eviction keeps the user index in step', async () => {
    const store = new MemoryStore({ maxSessions: 1, sweepInterval: 0 });
    const now = Date.now();
    await store.set('a', record(now, 60_000, 'alice'));
    await store.set('b', record(now, 60_000, 'bob'));
    assert.deepStrictEqual(await store.listByUser('alice'), []);
    assert.deepStrictEqual(store.stats, {
      size: 1,
      bytes: 206,
      users: 1,
      userSessions: 1,
      evictions: 1,
      expirations: 0,
    });
  });

  it('get drops an expired record by the injected clock', async () => {
    const clock = manualClock();
    const store = new MemoryStore({ clock: clock.now, sweepInterval: 0 });
    await store.set('k', record(clock.now(), 1_000, 'alice'));
    clock.advance(999);
    assert.ok(await store.get('k'));
    clock.advance(1);
    assert.equal(await store.get('k'), null);
    assert.deepStrictEqual(store.stats, {
      size: 0,
      bytes: 0,
      users: 0,
      userSessions: 0,
      evictions: 0,
      expirations: 1,
    });
  });

  it('the sweep removes expired records on its interval and close() stops it', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const clock = manualClock();
    const store = new MemoryStore({ clock: clock.now, sweepInterval: 5_000 });
    await store.set('short', record(clock.now(), 1_000, 'alice'));
    await store.set('long', record(clock.now(), 60_000, 'alice'));
    clock.advance(2_000);
    assert.equal(store.stats.size, 2, 'nothing is swept before the interval');
    t.mock.timers.tick(5_000);
    assert.deepStrictEqual(store.stats, {
      size: 1,
      bytes: 211,
      users: 1,
      userSessions: 1,
      evictions: 0,
      expirations: 1,
    });
    await store.close();
    clock.advance(60_000);
    t.mock.timers.tick(10_000);
    assert.equal(store.stats.size, 1, 'no sweep after close()');
    assert.equal(await store.prune(), 1, 'prune() still works after close()');
  });

  it('the sweep timer never keeps the process alive', () => {
    const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
    const script = `
      const { memoryStore } = await import(${JSON.stringify(entry)});
      const store = memoryStore({ sweepInterval: 1000 });
      await store.set('k', { data: {}, createdAt: 0, expiresAt: Date.now() + 1e6, absoluteExpiresAt: Date.now() + 1e6, userId: null });
      console.log('started');
    `;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    assert.equal(
      child.error,
      undefined,
      `child failed to exit on its own: ${child.error?.message}`,
    );
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), 'started');
  });

  it('hands out frozen records with null-prototype data, unaffected by the caller', async () => {
    const store = memoryStore({ sweepInterval: 0 });
    const input = {
      data: { a: '1' },
      createdAt: 1,
      expiresAt: Date.now() + 60_000,
      absoluteExpiresAt: Date.now() + 60_000,
      userId: null,
    };
    await store.set('k', input);
    input.data.a = '2';
    const got = await store.get('k');
    assert.ok(got);
    assert.ok(Object.isFrozen(got) && Object.isFrozen(got.data));
    assert.equal(Object.getPrototypeOf(got.data), null);
    assert.equal(got.data.a, '1');
    assert.equal(got.data.toString, undefined, 'no inherited keys look like session data');
  });

  it('listByUser and destroyByUser drop expired sessions without listing or counting them', async () => {
    const clock = manualClock();
    const store = new MemoryStore({ clock: clock.now, sweepInterval: 0 });
    await store.set('short', record(clock.now(), 1_000, 'alice'));
    await store.set('long', record(clock.now(), 60_000, 'alice'));
    await store.set('other', record(clock.now(), 1_000, 'alice'));
    clock.advance(1_000);
    assert.deepStrictEqual(
      (await store.listByUser('alice')).map((e) => e.key),
      ['long'],
    );
    assert.equal(store.stats.size, 1);
    await store.set('short2', record(clock.now(), 1_000, 'alice'));
    clock.advance(1_000);
    assert.equal(await store.destroyByUser('alice'), 1);
    assert.deepStrictEqual(store.stats, {
      size: 0,
      bytes: 0,
      users: 0,
      userSessions: 0,
      evictions: 0,
      expirations: 3,
    });
  });

  it('no index leak after churn of 100k sessions with expiry, eviction, moves and revocation', async () => {
    const clock = manualClock();
    const maxSessions = 1_000;
    const store = new MemoryStore({ maxSessions, clock: clock.now, sweepInterval: 0 });
    const keys: string[] = [];
    const prefix = randomBytes(8).toString('base64url');
    for (let i = 0; i < 100_000; i++) {
      const key = `${prefix}${i}`;
      keys.push(key);
      const userId = i % 3 === 0 ? null : `user-${i % 5_000}`;
      await store.set(key, record(clock.now(), 1_000 + (i % 7) * 500, userId));
      clock.advance(1);
      const earlier = keys[(i * 7919) % keys.length]!;
      switch (i % 5) {
        case 0:
          await store.get(earlier);
          break;
        case 1:
          await store.patch(earlier, {
            set: { b: '2' },
            remove: ['a'],
            expiresAt: clock.now() + 2_000,
            userId: `user-${i % 97}`,
          });
          break;
        case 2:
          await store.destroy(earlier);
          break;
        case 3:
          await store.destroyByUser(`user-${i % 5_000}`, earlier);
          break;
        default:
          await store.listByUser(`user-${i % 97}`);
      }
      const { size, bytes, users, userSessions } = store.stats;
      if (
        size > maxSessions ||
        userSessions > size ||
        users > userSessions ||
        bytes < size * MEMORY_RECORD_OVERHEAD
      ) {
        assert.fail(`invariant broken at step ${i}: ${JSON.stringify(store.stats)}`);
      }
    }
    assert.ok(
      store.stats.evictions > 0 && store.stats.expirations > 0,
      JSON.stringify(store.stats),
    );
    clock.advance(10_000);
    await store.prune();
    assert.deepStrictEqual(
      { ...store.stats, evictions: 0, expirations: 0 },
      { size: 0, bytes: 0, users: 0, userSessions: 0, evictions: 0, expirations: 0 },
    );
  });

  it('bounds the bytes held: a write crossing maxBytes evicts least recently used sessions', async () => {
    const store = new MemoryStore({ maxBytes: 10_000, sweepInterval: 0 });
    const now = Date.now();
    const big = (fill: string): SessionRecord => ({
      ...record(now, 60_000),
      data: { blob: JSON.stringify(fill.repeat(3_000)) },
    });
    for (const key of ['a', 'b', 'c']) await store.set(key, big(key));
    assert.equal(store.stats.size, 3);
    assert.equal(store.stats.bytes, 3 * (MEMORY_RECORD_OVERHEAD + 1 + 4 + 3_002));
    await store.get('a'); // b is now the least recently used
    await store.set('d', big('d'));
    assert.equal(await store.get('b'), null, 'the least recently used session went');
    for (const key of ['a', 'c', 'd']) assert.ok(await store.get(key), `${key} kept`);
    assert.equal(store.stats.evictions, 1);
    assert.ok(store.stats.bytes <= 10_000);
    // A patch that grows a session evicts too; multi-byte characters count as UTF-8.
    await store.patch('d', {
      set: { more: JSON.stringify('é'.repeat(1_000)) },
      remove: [],
      expiresAt: now + 60_000,
    });
    assert.equal(await store.get('a'), null);
    assert.equal(store.stats.evictions, 2);
    assert.ok(store.stats.bytes <= 10_000, String(store.stats.bytes));
    // Destroying gives the bytes back.
    await store.destroy('c');
    await store.destroy('d');
    assert.deepStrictEqual(
      { size: store.stats.size, bytes: store.stats.bytes },
      { size: 0, bytes: 0 },
    );
  });

  it('refuses one session larger than maxBytes with InvalidSessionDataError, keeping the rest', async () => {
    const store = new MemoryStore({ maxBytes: 4_096, sweepInterval: 0 });
    const now = Date.now();
    await store.set('small', record(now, 60_000));
    const huge = { ...record(now, 60_000), data: { blob: JSON.stringify('x'.repeat(5_000)) } };
    await assert.rejects(store.set('huge', huge), { code: 'INVALID_SESSION_DATA' });
    await assert.rejects(
      store.patch('small', { set: huge.data, remove: [], expiresAt: now + 60_000 }),
      { code: 'INVALID_SESSION_DATA' },
    );
    assert.deepStrictEqual(
      (await store.get('small'))?.data,
      Object.assign(Object.create(null), { a: '1' }),
    );
    assert.equal(await store.get('huge'), null);
  });

  it('default maxBytes: 300 sessions of 1 MiB stay within 64 MiB', async () => {
    const store = new MemoryStore({ sweepInterval: 0 });
    const now = Date.now();
    const blob = JSON.stringify('x'.repeat(1024 * 1024 - 16));
    for (let i = 0; i < 300; i++) {
      await store.set(`k${i}`, { ...record(now, 60_000), data: { blob } });
    }
    assert.ok(store.stats.bytes <= 64 * 1024 * 1024, String(store.stats.bytes));
    assert.equal(store.stats.size, 63);
    assert.equal(store.stats.evictions, 300 - 63);
  });

  it('rejects options that would make it unbounded or busy', () => {
    for (const options of [
      { maxSessions: 0 },
      { maxBytes: 100 },
      { maxBytes: 1.5e6 + 0.5 },
      { maxSessions: 1.5 },
      { maxSessions: Number.POSITIVE_INFINITY },
      { sweepInterval: -1 },
      { sweepInterval: Number.NaN },
      { sweepInterval: 2 ** 31 },
      { clock: 5 as unknown as () => number },
    ]) {
      assert.throws(() => memoryStore(options), InvalidOptionsError, JSON.stringify(options));
    }
    const store = memoryStore({ maxSessions: 1, sweepInterval: 0 });
    assert.equal(store.stats.size, 0);
  });
});
