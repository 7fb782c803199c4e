import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isPasswordHasherBusyError, PasswordHasherBusyError } from '../../errors.js';
import { argon2idHasher } from './argon2.js';
import { defaultHashConcurrency, HashQueue } from './queue.js';
import { scryptHasher } from './scrypt.js';

/** A task that finishes when the test says so. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Counts event-loop turns (setImmediate callbacks) from `start()` until its work settles. */
async function ticksDuring(start: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  let done = false;
  const spin = (): void => {
    if (done) return;
    ticks++;
    setImmediate(spin);
  };
  setImmediate(spin);
  try {
    await start();
  } finally {
    done = true;
  }
  return ticks;
}

describe('S-52 bounded hashing', { timeout: 120_000 }, () => {
  it('runs at most `concurrency` tasks, queues `maxQueue`, refuses the next with HASHER_BUSY', async () => {
    const queue = new HashQueue({ concurrency: 2, maxQueue: 3 });
    const gates = Array.from({ length: 5 }, gate);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const runs = gates.map((g, i) =>
      queue.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await g.promise;
        active--;
        order.push(i);
        return i;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(queue.running, 2);
    assert.equal(queue.waiting, 3);
    await assert.rejects(
      queue.run(async () => 'never'),
      (error: unknown) => {
        assert.ok(error instanceof PasswordHasherBusyError);
        assert.equal(error.code, 'HASHER_BUSY');
        assert.ok(isPasswordHasherBusyError(error));
        assert.equal(error.concurrency, 2);
        assert.equal(error.maxQueue, 3);
        return true;
      },
    );
    for (const g of gates) g.open();
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3, 4]);
    assert.equal(peak, 2);
    assert.equal(queue.running, 0);
    assert.equal(queue.waiting, 0);
    // Slots are freed: it accepts work again.
    assert.equal(await queue.run(async () => 'again'), 'again');
  });

  it('a failing task frees its slot and hands it to the next in line', async () => {
    const queue = new HashQueue({ concurrency: 1, maxQueue: 1 });
    const first = queue.run(async () => {
      throw new Error('boom');
    });
    const second = queue.run(async () => 'second');
    await assert.rejects(first, /boom/);
    assert.equal(await second, 'second');
    assert.equal(queue.running, 0);
  });

  it('maxQueue 0 refuses as soon as every slot is busy', async () => {
    const queue = new HashQueue({ concurrency: 1, maxQueue: 0 });
    const g = gate();
    const running = queue.run(() => g.promise);
    await assert.rejects(
      queue.run(async () => 1),
      { code: 'HASHER_BUSY' },
    );
    g.open();
    await running;
  });

  it('the hashers apply their limits: scrypt refuses the call beyond concurrency + maxQueue', async () => {
    const hasher = scryptHasher({ ln: 12, concurrency: 1, maxQueue: 2 });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => hasher.hash('pw pw pw pw')),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(results.length - refused.length, 3);
    assert.equal(refused.length, 3);
    for (const r of refused)
      assert.ok(isPasswordHasherBusyError((r as PromiseRejectedResult).reason));
  });

  it('S-52 by default no more hashes run at once than there are cores (argon2id at most 4, scrypt 2)', async () => {
    const cores = availableParallelism();
    assert.equal(defaultHashConcurrency(4), Math.min(4, cores));
    assert.equal(defaultHashConcurrency(2), Math.min(2, cores));
    const argon2 = await argon2idHasher({ memoryCost: 1024, timeCost: 1, maxQueue: 0 });
    const scrypt = scryptHasher({ ln: 10, maxQueue: 0 });
    for (const [hasher, limit] of [
      [argon2, 4],
      [scrypt, 2],
    ] as const) {
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () => hasher.hash('pw pw pw pw')),
      );
      const ran = results.filter((r) => r.status === 'fulfilled').length;
      assert.equal(ran, Math.min(limit, cores), `${hasher.id}: ${ran} ran on ${cores} cores`);
    }
  });

  it('argon2id verify reports overload as HASHER_BUSY, not as a wrong password', async () => {
    const hasher = await argon2idHasher({
      memoryCost: 1024,
      timeCost: 1,
      concurrency: 1,
      maxQueue: 0,
    });
    const hash = await hasher.hash('pw pw pw pw');
    const results = await Promise.allSettled([
      hasher.verify(hash, 'pw pw pw pw'),
      hasher.verify(hash, 'pw pw pw pw'),
    ]);
    assert.deepEqual(results[0], { status: 'fulfilled', value: true });
    assert.equal(results[1].status, 'rejected');
    assert.ok(isPasswordHasherBusyError((results[1] as PromiseRejectedResult).reason));
  });

  it('hashing never blocks the event loop: it keeps turning while hashes run', async () => {
    const scrypt = scryptHasher({ ln: 14, concurrency: 2 });
    const argon2 = await argon2idHasher({ memoryCost: 8192, timeCost: 2, concurrency: 2 });
    const ticks = await ticksDuring(() =>
      Promise.all([
        ...Array.from({ length: 3 }, () => scrypt.hash('pw pw pw pw')),
        ...Array.from({ length: 3 }, () => argon2.hash('pw pw pw pw')),
      ]),
    );
    // A synchronous hash would finish every hash before the first setImmediate ran.
    assert.ok(ticks > 0, `event loop turned ${ticks} times`);
  });

  it('the counting itself can fail: synchronous work yields zero turns', async () => {
    const { scryptSync } = await import('node:crypto');
    const blocking = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) scryptSync('pw', 'salt', 32, { N: 2 ** 12 });
    };
    assert.equal(await ticksDuring(blocking), 0);
  });

  it('grep: no synchronous hashing (scryptSync, hashSync, pbkdf2Sync, verifySync) in src/', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const found: string[] = [];
    for (const entry of readdirSync(join(root, 'src'), { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts'))
        continue;
      const path = join(entry.parentPath, entry.name);
      const text = readFileSync(path, 'utf8');
      for (const name of ['scryptSync', 'hashSync', 'pbkdf2Sync', 'verifySync', 'hashRawSync']) {
        if (text.includes(name)) found.push(`${relative(root, path)}: ${name}`);
      }
    }
    assert.deepEqual(found, []);
  });
});
