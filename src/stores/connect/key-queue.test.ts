import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { KeyQueue } from './key-queue.js';

describe('KeyQueue', { timeout: 60_000 }, () => {
  it('runs tasks of one key one at a time, in order, and other keys in parallel', async () => {
    const queue = new KeyQueue();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([
      queue.run('a', task('a1')),
      queue.run('a', task('a2')),
      queue.run('b', task('b1')),
    ]);
    assert.deepStrictEqual(results, ['a1', 'a2', 'b1']);
    assert.ok(log.indexOf('end a1') < log.indexOf('start a2'), 'a2 waits for a1');
    assert.ok(log.indexOf('start b1') < log.indexOf('end a1'), 'b1 does not wait for a1');
  });

  it('a failing task does not stop the next one, and idle keys are forgotten', async () => {
    const queue = new KeyQueue();
    const failed = queue.run('k', async () => {
      throw new Error('boom');
    });
    const next = queue.run('k', async () => 'ran');
    await assert.rejects(failed, /boom/);
    assert.equal(await next, 'ran');
    await tick();
    assert.equal(queue.size, 0);
  });
});
