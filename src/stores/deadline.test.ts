import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSessionStoreError } from '../errors.js';
import { withDeadline } from './deadline.js';

describe('withDeadline', { timeout: 60_000 }, () => {
  it('aborts the signal given to the work before the operation rejects', async () => {
    let signal: AbortSignal | undefined;
    let abortedWhenRejected: boolean | undefined;
    await withDeadline('get', 20, (s) => {
      signal = s;
      return new Promise(() => {});
    }).catch((error: unknown) => {
      assert.ok(isSessionStoreError(error));
      abortedWhenRejected = signal?.aborted;
      assert.equal(signal?.reason, error, 'the reason is the rejection itself');
    });
    assert.equal(abortedWhenRejected, true);
  });

  it('leaves the signal alone when the work finishes in time', async () => {
    let signal: AbortSignal | undefined;
    assert.equal(
      await withDeadline('get', 1000, async (s) => {
        signal = s;
        return 42;
      }),
      42,
    );
    assert.equal(signal?.aborted, false);
  });
});
