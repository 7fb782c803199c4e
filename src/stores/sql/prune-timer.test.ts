import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionStoreError } from '../../errors.js';
import { schedulePrune } from './prune-timer.js';

function until(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (!condition()) return;
      clearInterval(poll);
      resolve();
    }, 5);
  });
}

describe('scheduled prune', { timeout: 60_000 }, () => {
  it('0 disables it', () => {
    assert.equal(
      schedulePrune(0, async () => 0, undefined),
      undefined,
    );
  });

  it('runs on an unref timer, never overlapping, and reports failures', {
    timeout: 10_000,
  }, async () => {
    let runs = 0;
    let active = 0;
    let overlapped = false;
    const errors: SessionStoreError[] = [];
    let finish: (() => void) | undefined;
    const timer = schedulePrune(
      5,
      async () => {
        runs += 1;
        active += 1;
        if (active > 1) overlapped = true;
        if (runs === 1) await new Promise<void>((resolve) => (finish = resolve));
        active -= 1;
        throw new SessionStoreError('prune');
      },
      (error) => errors.push(error),
    );
    try {
      assert.ok(timer, 'a timer is scheduled');
      assert.equal(timer.hasRef(), false, 'the timer does not keep the process alive');
      await until(() => finish !== undefined);
      // Several intervals pass while the first sweep hangs: no second sweep starts.
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.equal(runs, 1);
      finish?.();
      await until(() => errors.length >= 2);
      assert.equal(overlapped, false);
      assert.ok(errors.every((error) => error instanceof SessionStoreError));
    } finally {
      clearInterval(timer);
    }
  });

  it('without onError a failed sweep prints one line with code, message and cause', {
    timeout: 10_000,
  }, async (t) => {
    const lines: unknown[][] = [];
    t.mock.method(console, 'error', (...args: unknown[]) => lines.push(args));
    const timer = schedulePrune(
      5,
      async () => {
        throw new SessionStoreError('prune', { cause: new Error('connection refused') });
      },
      undefined,
    );
    try {
      await until(() => lines.length > 0);
    } finally {
      clearInterval(timer);
    }
    assert.equal(lines[0]?.length, 1);
    const line = String(lines[0]?.[0]);
    assert.match(
      line,
      /^tesserajs: scheduled prune of expired sessions failed \(STORE_UNAVAILABLE\)/,
    );
    assert.match(line, /cause: connection refused/);
  });
});
