import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionStoreError } from '../errors.js';
import { logError } from './log-error.js';

function captured(error: unknown): string {
  const original = console.error;
  const lines: string[] = [];
  console.error = (...args: unknown[]) => lines.push(args.join(' '));
  try {
    logError(error);
  } finally {
    console.error = original;
  }
  return lines.join('\n');
}

describe('default error log', { timeout: 60_000 }, () => {
  it("prints the cause chain of a store error, without a stack for Tessera's own errors", () => {
    const driver = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), {
      code: 'ECONNREFUSED',
    });
    const text = captured(new SessionStoreError('get', { cause: driver }));
    assert.match(text, /^\[tessera\] STORE_UNAVAILABLE: session store get failed$/m);
    assert.match(text, /^ {2}caused by ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:6379$/m);
    assert.doesNotMatch(text, /\n\s+at /, 'no stack for a Tessera error');
  });

  it('prints the stack of an application error, so the bug can be found', () => {
    const text = captured(new TypeError('cannot read x of undefined'));
    assert.match(text, /^\[tessera\] TypeError: cannot read x of undefined$/m);
    assert.match(text, /\n\s+at .*log-error\.test\.ts/);
  });

  it('survives odd throwables and cycles of causes', () => {
    const a: { message: string; cause?: unknown } = { message: 'a' };
    a.cause = a;
    const text = captured(a);
    assert.equal(text.split('\n').length, 8, 'the chain is bounded');
    assert.match(captured('plain string'), /ERROR: plain string/);
  });
});
