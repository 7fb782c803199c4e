/**
 * Store calls of one commit: errors turned into SessionStoreError, revocations that are
 * reported but never fatal, and one promise for the response to wait on. Successful calls
 * go to the real memory store; a store that fails is the memory store with one method
 * replaced, since an outage cannot be made for real in process.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  CorruptRecordError,
  InvalidSessionDataError,
  isSessionStoreError,
  SessionStoreError,
} from '../errors.js';
import { EventSink, type TesseraEvent } from '../kernel/events.js';
import { MemoryStore } from '../stores/memory/index.js';
import { asStoreError, isCorruptRecord, readRecord, storeCall, Writes } from './writes.js';

const stores: MemoryStore[] = [];
after(async () => {
  for (const store of stores) await store.close();
});

function memory(): MemoryStore {
  const store = new MemoryStore();
  stores.push(store);
  return store;
}

const RECORD = {
  data: { views: '3' },
  createdAt: Date.now(),
  expiresAt: Date.now() + 60_000,
  absoluteExpiresAt: Date.now() + 120_000,
  userId: null,
};

/** A copy of Tessera's error from another build of the package: same brand and code. */
function foreignError(code: string, extra: Record<string, unknown> = {}): Error {
  const error = Object.assign(new Error('from another copy'), { code }, extra);
  Object.defineProperty(error, Symbol.for('tessera.error'), { value: true });
  return error;
}

function writes(): { writes: Writes; events: TesseraEvent[] } {
  const events: TesseraEvent[] = [];
  const sink = new EventSink((event) => events.push(event));
  return { writes: new Writes(sink, (id) => `ref:${id}`), events };
}

describe('asStoreError and isCorruptRecord', { timeout: 30_000 }, () => {
  it('keeps a store error as it is, from this copy or another', () => {
    const own = new SessionStoreError('patch');
    assert.equal(asStoreError('get', own), own);
    const foreign = foreignError('STORE_UNAVAILABLE', { operation: 'set' });
    assert.equal(asStoreError('get', foreign), foreign);
  });

  it('wraps anything else, naming the operation and keeping the cause', () => {
    for (const cause of [
      new Error('ECONNRESET'),
      new InvalidSessionDataError('x'),
      foreignError('CORRUPT_RECORD'),
      'text',
      undefined,
    ]) {
      const error = asStoreError('touch', cause);
      assert.ok(error instanceof SessionStoreError);
      assert.equal(error.operation, 'touch');
      assert.equal(error.code, 'STORE_UNAVAILABLE');
      assert.equal(error.cause, cause);
    }
  });

  it('isCorruptRecord is true only for an error caused by an unreadable record', () => {
    const corrupt = new CorruptRecordError('not JSON');
    assert.equal(isCorruptRecord(new SessionStoreError('get', { cause: corrupt })), true);
    assert.equal(isCorruptRecord({ cause: foreignError('CORRUPT_RECORD') }), true);
    assert.equal(isCorruptRecord(corrupt), false);
    assert.equal(isCorruptRecord(new SessionStoreError('get', { cause: new Error('x') })), false);
    assert.equal(
      isCorruptRecord(new SessionStoreError('get', { cause: foreignError('STORE_UNAVAILABLE') })),
      false,
    );
    assert.equal(isCorruptRecord({ cause: { code: 'CORRUPT_RECORD' } }), false);
    assert.equal(isCorruptRecord(null), false);
    assert.equal(isCorruptRecord(undefined), false);
    assert.equal(isCorruptRecord(new Error('plain')), false);
  });
});

describe('readRecord', { timeout: 30_000 }, () => {
  it('hands the record, or null, to use and resolves with what use returns', async () => {
    const store = memory();
    await store.set('k', RECORD);
    assert.equal(await readRecord(store, 'k', (record) => record?.data.views), '3');
    assert.equal(await readRecord(store, 'missing', (record) => record), null);
  });

  it('an unreadable record is corrupt, not an outage (a store whose get fails)', async () => {
    const store = memory();
    store.get = () => Promise.reject(new CorruptRecordError('not JSON'));
    assert.equal(await readRecord(store, 'k', () => 'used'), 'corrupt');
    store.get = () => Promise.reject(foreignError('CORRUPT_RECORD'));
    assert.equal(await readRecord(store, 'k', () => 'used'), 'corrupt');
  });

  it('any other failure, thrown or rejected, is a SessionStoreError of get', async () => {
    const store = memory();
    const cause = new Error('ECONNREFUSED');
    store.get = () => {
      throw cause;
    };
    await assert.rejects(
      readRecord(store, 'k', () => 'used'),
      (error: SessionStoreError) => {
        assert.ok(error instanceof SessionStoreError);
        assert.equal(error.operation, 'get');
        assert.equal(error.cause, cause);
        return true;
      },
    );
    store.get = () => Promise.reject(cause);
    await assert.rejects(
      readRecord(store, 'k', () => 'used'),
      { operation: 'get', cause },
    );
    const outage = new SessionStoreError('get', { message: 'timed out' });
    store.get = () => Promise.reject(outage);
    await assert.rejects(
      readRecord(store, 'k', () => 'used'),
      (error) => error === outage,
    );
  });
});

describe('storeCall', { timeout: 30_000 }, () => {
  it('resolves with the call result', async () => {
    const store = memory();
    await store.set('k', RECORD);
    assert.equal(
      await storeCall('patch', () =>
        store.patch('k', { set: { a: '1' }, remove: [], expiresAt: RECORD.expiresAt }),
      ),
      true,
    );
    assert.equal(
      await storeCall('patch', () =>
        store.patch('gone', { set: {}, remove: [], expiresAt: RECORD.expiresAt }),
      ),
      false,
    );
  });

  it('turns a synchronous throw and a rejection into a SessionStoreError of the operation', async () => {
    const cause = new Error('down');
    await assert.rejects(
      storeCall('destroy', () => {
        throw cause;
      }),
      (error) =>
        error instanceof SessionStoreError &&
        error.operation === 'destroy' &&
        error.cause === cause,
    );
    await assert.rejects(
      storeCall('touch', () => Promise.reject(cause)),
      (error) =>
        error instanceof SessionStoreError && error.operation === 'touch' && error.cause === cause,
    );
  });
});

describe('Writes', { timeout: 30_000 }, () => {
  it('settles to null when nothing was written', () => {
    const { writes: w, events } = writes();
    assert.equal(w.settle(), null);
    assert.deepEqual(events, []);
  });

  it('one write: then sees its result, and the commit resolves after it', async () => {
    const store = memory();
    const { writes: w, events } = writes();
    const seen: unknown[] = [];
    w.add(
      'set',
      () => store.set('k', RECORD),
      (result) => seen.push(['set', result]),
    );
    const settled = w.settle();
    assert.ok(settled instanceof Promise);
    assert.equal(await settled, undefined);
    assert.deepEqual(seen, [['set', undefined]]);
    assert.equal((await store.get('k'))?.data.views, '3');
    assert.deepEqual(events, []);
  });

  it('several writes all run; then sees each result', async () => {
    const store = memory();
    await store.set('k', RECORD);
    const { writes: w, events } = writes();
    const seen: unknown[] = [];
    w.add(
      'patch',
      () => store.patch('k', { set: { a: '1' }, remove: [], expiresAt: RECORD.expiresAt }),
      (ok) => seen.push(['patch', ok]),
    );
    w.add(
      'patch',
      () => store.patch('gone', { set: { a: '1' }, remove: [], expiresAt: RECORD.expiresAt }),
      (ok) => seen.push(['gone', ok]),
    );
    w.add('touch', () => store.touch('k', RECORD.expiresAt + 1));
    assert.equal(await w.settle(), undefined);
    assert.deepEqual(seen, [
      ['patch', true],
      ['gone', false],
    ]);
    assert.equal((await store.get('k'))?.expiresAt, RECORD.expiresAt + 1);
    assert.deepEqual(events, []);
  });

  it('a failed write fails the commit with a SessionStoreError and reports it (a failing store)', async () => {
    const { writes: w, events } = writes();
    const cause = new Error('ECONNRESET');
    w.add('set', () => {
      throw cause;
    });
    await assert.rejects(w.settle()!, (error) => {
      assert.ok(isSessionStoreError(error));
      assert.equal((error as SessionStoreError).operation, 'set');
      assert.equal((error as Error).cause, cause);
      return true;
    });
    assert.deepEqual(
      events.map((e) => [e.type, 'operation' in e ? e.operation : undefined]),
      [['session.store_error', 'set']],
    );
  });

  it('with several writes, the first failure fails the commit once all have settled', async () => {
    const store = memory();
    await store.set('k', RECORD);
    const { writes: w, events } = writes();
    const first = new Error('first');
    let slowDone = false;
    w.add(
      'touch',
      () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            slowDone = true;
            resolve();
          }, 20),
        ),
    );
    w.add('patch', () => Promise.reject(first));
    w.add('set', () => Promise.reject(new Error('second')));
    await assert.rejects(w.settle()!, (error: SessionStoreError) => {
      assert.equal(error.operation, 'patch');
      assert.equal(error.cause, first);
      return true;
    });
    assert.equal(slowDone, true, 'the slow write had finished');
    assert.deepEqual(
      events.map((e) => [e.type, 'operation' in e ? e.operation : undefined]),
      [['session.store_error', 'patch']],
    );
  });

  it('a later write failing alone still fails the commit', async () => {
    const store = memory();
    const { writes: w } = writes();
    w.add('set', () => store.set('k', RECORD));
    w.add('touch', () => Promise.reject(new Error('late')));
    await assert.rejects(w.settle()!, { code: 'STORE_UNAVAILABLE', operation: 'touch' });
  });

  it('a patch refused for size stays itself (answered 500, not 503) and is not a store error', async () => {
    const store = memory();
    await store.set('k', RECORD);
    const { writes: w, events } = writes();
    const patch = { set: { big: '"xxxxxxxx"' }, remove: [], expiresAt: RECORD.expiresAt };
    w.add('patch', () => store.patch('k', { ...patch, maxDataBytes: 12 }));
    await assert.rejects(w.settle()!, (error) => {
      assert.ok(error instanceof InvalidSessionDataError);
      return true;
    });
    assert.deepEqual(events, []);
    assert.deepEqual({ ...(await store.get('k'))?.data }, { views: '3' });
    const foreign = foreignError('INVALID_SESSION_DATA');
    const { writes: two } = writes();
    two.add('patch', () => Promise.reject(foreign));
    two.add('touch', () => Promise.resolve());
    await assert.rejects(two.settle()!, (error) => error === foreign);
  });

  it('any other error of Tessera from a write is wrapped as a store error of the operation', async () => {
    const { writes: w, events } = writes();
    const corrupt = new CorruptRecordError('unreadable');
    w.add('patch', () => Promise.reject(corrupt));
    await assert.rejects(w.settle()!, (error) => {
      assert.ok(error instanceof SessionStoreError);
      assert.equal(error.operation, 'patch');
      assert.equal(error.cause, corrupt);
      return true;
    });
    assert.deepEqual(
      events.map((e) => e.type),
      ['session.store_error'],
    );
  });

  it('a store error from another copy without an operation is reported as a write', async () => {
    const { writes: w, events } = writes();
    const foreign = foreignError('STORE_UNAVAILABLE');
    w.add('set', () => Promise.reject(foreign));
    await assert.rejects(w.settle()!, (error) => error === foreign);
    assert.equal(events.length, 1);
    assert.deepEqual(
      events.map((e) => [e.type, 'operation' in e ? e.operation : undefined]),
      [['session.store_error', 'write']],
    );
  });

  it('a failed revocation is reported but does not fail the commit (a failing store)', async () => {
    const { writes: w, events } = writes();
    const cause = new Error('down');
    w.revoke('old-id', () => Promise.reject(cause));
    assert.equal(await w.settle(), undefined);
    assert.equal(events.length, 2);
    const [storeError, revokeFailed] = events as [
      TesseraEvent & { operation: string; error: SessionStoreError },
      TesseraEvent & { sessionRef: string; error: SessionStoreError },
    ];
    assert.equal(storeError.type, 'session.store_error');
    assert.equal(storeError.operation, 'destroy');
    assert.equal(storeError.error.operation, 'destroy');
    assert.equal(storeError.error.cause, cause);
    assert.equal(revokeFailed.type, 'session.revoke_failed');
    assert.equal(revokeFailed.sessionRef, 'ref:old-id');
    assert.equal(revokeFailed.error, storeError.error);
  });

  it('a revocation that succeeds is awaited and reports nothing', async () => {
    const store = memory();
    await store.set('old', RECORD);
    const { writes: w, events } = writes();
    w.revoke('old', () => store.destroy('old'));
    w.add('set', () => store.set('new', RECORD));
    assert.equal(await w.settle(), undefined);
    assert.equal(await store.get('old'), null);
    assert.deepEqual(events, []);
  });

  it('a revocation that throws at once is reported too', async () => {
    const { writes: w, events } = writes();
    w.revoke('x', () => {
      throw new Error('sync');
    });
    assert.equal(await w.settle(), undefined);
    assert.deepEqual(
      events.map((e) => e.type),
      ['session.store_error', 'session.revoke_failed'],
    );
  });

  it('vanished reports the session by its reference', () => {
    const { writes: w, events } = writes();
    w.vanished('abc');
    assert.deepEqual(events, [{ type: 'session.vanished', sessionRef: 'ref:abc' }]);
    assert.equal(w.settle(), null);
  });
});
