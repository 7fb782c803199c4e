import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TooManyAttemptsError } from '../errors.js';
import { failureResponse } from './plan.js';

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
