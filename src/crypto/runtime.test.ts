import assert from 'node:assert/strict';
import * as nodeCrypto from 'node:crypto';
import { describe, it } from 'node:test';
import { isTesseraError, UnsupportedRuntimeError } from '../errors.js';
import { assertCryptoRuntime } from './runtime.js';

describe('assertCryptoRuntime', { timeout: 10_000 }, () => {
  it("passes on this runtime's node:crypto", () => {
    assertCryptoRuntime();
    assertCryptoRuntime(nodeCrypto as Readonly<Record<string, unknown>>);
  });

  it('names every missing function in a typed error with a stable code', () => {
    const partial = { ...nodeCrypto, hash: undefined, hkdfSync: 'not a function' };
    assert.throws(
      () => assertCryptoRuntime(partial),
      (error: unknown) => {
        assert.ok(error instanceof UnsupportedRuntimeError);
        assert.ok(isTesseraError(error));
        assert.equal(error.code, 'UNSUPPORTED_RUNTIME');
        assert.deepEqual(error.missing, ['hash', 'hkdfSync']);
        assert.match(error.message, /nodejs_compat/);
        return true;
      },
    );
  });
});
