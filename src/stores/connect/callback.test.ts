import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSessionStoreError } from '../../errors.js';
import { callStore } from './callback.js';

describe('callStore', { timeout: 60_000 }, () => {
  it('resolves with the value of a synchronous or deferred callback', async () => {
    assert.equal(await callStore<number>('get', 1000, (cb) => cb(null, 1)), 1);
    assert.equal(
      await callStore<number>('get', 1000, (cb) => setImmediate(() => cb(undefined, 2))),
      2,
    );
  });

  it('the first answer wins when a store calls back twice or also returns a promise', async () => {
    assert.equal(
      await callStore<number>('get', 1000, (cb) => {
        cb(null, 1);
        cb(new Error('late'));
        return Promise.reject(new Error('also late'));
      }),
      1,
    );
  });

  it('a callback error, a throw and a rejected returned promise become SessionStoreError', async () => {
    const cause = new Error('backend down');
    for (const method of [
      (cb: (error?: unknown) => void) => cb(cause),
      () => {
        throw cause;
      },
      () => Promise.reject(cause),
    ]) {
      const error = await callStore('set', 1000, method).then(
        () => assert.fail('should reject'),
        (e: unknown) => e,
      );
      assert.ok(isSessionStoreError(error));
      assert.equal(error.operation, 'set');
      assert.equal(error.cause, cause);
    }
  });

  it('S-55 no answer within the timeout is a SessionStoreError', async () => {
    await assert.rejects(
      callStore('get', 20, () => {}),
      (e: unknown) => isSessionStoreError(e),
    );
  });
});
