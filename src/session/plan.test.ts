import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CsrfError,
  CurrentPasswordRequiredError,
  EmailTakenError,
  InvalidCredentialsError,
  InvalidEmailError,
  InvalidSessionDataError,
  NotSignedInError,
  PasswordHasherBusyError,
  PasswordPolicyError,
  SessionStoreError,
  SessionTooLargeError,
  TooManyAttemptsError,
  UserStoreError,
} from '../errors.js';
import {
  failureResponse,
  type Header,
  RETRY_AFTER_SECONDS,
  responsePlan,
  whenReady,
  whenWritten,
} from './plan.js';

describe('failureResponse for throttled attempts (S-53)', { timeout: 60_000 }, () => {
  it('S-53 a TooManyAttemptsError is 429 with its wait as Retry-After, nothing cached', () => {
    const failure = failureResponse(new TooManyAttemptsError('account', 17));
    assert.equal(failure.status, 429);
    assert.equal(failure.body, 'Too Many Requests');
    assert.deepEqual(failure.headers, [
      ['content-type', 'text/plain; charset=utf-8'],
      ['cache-control', 'no-store'],
      ['retry-after', '17'],
    ]);
  });

  it('S-53 a locked account still answers 429 with the hint it carries', () => {
    const failure = failureResponse(new TooManyAttemptsError('account', 900, true));
    assert.equal(failure.status, 429);
    assert.ok(failure.headers.some(([n, v]) => n === 'retry-after' && v === '900'));
  });

  it('a foreign copy with a broken wait still sends a valid Retry-After of at least 1', () => {
    const foreign = Object.assign(new TooManyAttemptsError('address', 3), {
      retryAfterSeconds: Number.NaN,
    });
    assert.ok(failureResponse(foreign).headers.some(([n, v]) => n === 'retry-after' && v === '1'));
    const zero = Object.assign(new TooManyAttemptsError('address', 3), { retryAfterSeconds: 0 });
    assert.ok(failureResponse(zero).headers.some(([n, v]) => n === 'retry-after' && v === '1'));
  });
});

const TEXT: Header = ['content-type', 'text/plain; charset=utf-8'];
const NO_STORE: Header = ['cache-control', 'no-store'];

/** A copy of Tessera's error from another build of the package: same brand and code. */
function foreignError(code: string, extra: Record<string, unknown> = {}): Error {
  const error = Object.assign(new Error('from another copy'), { code }, extra);
  Object.defineProperty(error, Symbol.for('tessera.error'), { value: true });
  return error;
}

describe('failureResponse by error code', { timeout: 60_000 }, () => {
  it('an outage the client may retry is 503 with Retry-After: 5', () => {
    assert.equal(RETRY_AFTER_SECONDS, 5);
    for (const error of [
      new SessionStoreError('get'),
      new UserStoreError('findByEmail'),
      new PasswordHasherBusyError(2, 8),
      foreignError('STORE_UNAVAILABLE'),
    ]) {
      assert.deepEqual(
        { ...failureResponse(error) },
        {
          status: 503,
          headers: [TEXT, NO_STORE, ['retry-after', '5']],
          body: 'Service Unavailable',
        },
        error.name,
      );
    }
  });

  it('client errors get their own status and a one-phrase body', () => {
    const cases: [Error, number, string][] = [
      [new CsrfError('cross-site'), 403, 'Forbidden'],
      [new InvalidCredentialsError(), 401, 'Unauthorized'],
      [new NotSignedInError('signOut'), 401, 'Unauthorized'],
      [new InvalidEmailError('format', 'no @'), 400, 'Bad Request'],
      [new PasswordPolicyError('too_short', 'too short'), 400, 'Bad Request'],
      [new CurrentPasswordRequiredError('changePassword'), 400, 'Bad Request'],
      [new EmailTakenError(), 409, 'Conflict'],
      [foreignError('CSRF'), 403, 'Forbidden'],
    ];
    for (const [error, status, body] of cases) {
      assert.deepEqual(
        { ...failureResponse(error) },
        { status, headers: [TEXT, NO_STORE], body },
        error.name,
      );
    }
  });

  it('anything else is a bare 500, never the message', () => {
    for (const error of [
      new Error('secret detail'),
      new SessionTooLargeError(5000, 4000),
      new InvalidSessionDataError('not JSON'),
      foreignError('SOMETHING_NEW'),
      'a string',
      null,
      undefined,
      { code: 'STORE_UNAVAILABLE' },
    ]) {
      const failure = failureResponse(error);
      assert.deepEqual(
        { ...failure },
        { status: 500, headers: [TEXT, NO_STORE], body: 'Internal Server Error' },
        String(error),
      );
    }
  });

  it('a throttled attempt from another copy carries its own wait', () => {
    const failure = failureResponse(foreignError('TOO_MANY_ATTEMPTS', { retryAfterSeconds: 42 }));
    assert.equal(failure.status, 429);
    assert.deepEqual(failure.headers, [TEXT, NO_STORE, ['retry-after', '42']]);
    const without = failureResponse(foreignError('TOO_MANY_ATTEMPTS'));
    assert.deepEqual(without.headers, [TEXT, NO_STORE, ['retry-after', '1']]);
    const fraction = failureResponse(foreignError('TOO_MANY_ATTEMPTS', { retryAfterSeconds: 2.5 }));
    assert.deepEqual(fraction.headers, [TEXT, NO_STORE, ['retry-after', '1']]);
    const one = failureResponse(new TooManyAttemptsError('address', 1));
    assert.deepEqual(one.headers, [TEXT, NO_STORE, ['retry-after', '1']]);
    const two = failureResponse(new TooManyAttemptsError('address', 2));
    assert.deepEqual(two.headers, [TEXT, NO_STORE, ['retry-after', '2']]);
  });
});

describe('responsePlan', { timeout: 60_000 }, () => {
  it('a response that sets a cookie is marked no-store; one that sets none has no headers', () => {
    const pending = Promise.resolve();
    const none = responsePlan([], null);
    assert.deepEqual(none.setCookie, []);
    assert.deepEqual(none.headers, []);
    assert.equal(none.pending, null);
    const one = responsePlan(['sid=x; Path=/'], pending);
    assert.deepEqual(one.setCookie, ['sid=x; Path=/']);
    assert.deepEqual(one.headers, [NO_STORE]);
    assert.equal(one.pending, pending);
  });
});

/** A promise with its resolve function. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('whenWritten and whenReady', { timeout: 60_000 }, () => {
  it('whenWritten runs written at once when nothing is pending', () => {
    const calls: string[] = [];
    whenWritten(
      responsePlan([], null),
      () => calls.push('written'),
      () => calls.push('failed'),
    );
    assert.deepEqual(calls, ['written']);
  });

  it('whenWritten waits for the writes, and reports their failure instead', async () => {
    const calls: unknown[] = [];
    const done = deferred<void>();
    whenWritten(
      responsePlan(['a=1'], Promise.resolve()),
      () => {
        calls.push('written');
        done.resolve();
      },
      (error) => calls.push(error),
    );
    assert.deepEqual(calls, [], 'not before the writes finished');
    await done.promise;
    assert.deepEqual(calls, ['written']);

    const error = new SessionStoreError('set');
    const failed = deferred<unknown>();
    whenWritten(
      responsePlan(['a=1'], Promise.reject(error)),
      () => failed.resolve('written'),
      (reason) => failed.resolve(reason),
    );
    assert.equal(await failed.promise, error);
  });

  it('whenReady uses a plain value at once and a promise once it settles', async () => {
    const seen: unknown[] = [];
    whenReady(
      7,
      (value) => seen.push(value),
      (error) => seen.push(['failed', error]),
    );
    assert.deepEqual(seen, [7]);

    const used = deferred<unknown>();
    whenReady(Promise.resolve(8), used.resolve, (error) => used.resolve(['failed', error]));
    assert.equal(await used.promise, 8);

    const error = new Error('load failed');
    const failed = deferred<unknown>();
    whenReady(Promise.reject(error), failed.resolve, (reason) =>
      failed.resolve(['failed', reason]),
    );
    assert.deepEqual(await failed.promise, ['failed', error]);
  });
});
