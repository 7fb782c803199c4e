import assert from 'node:assert/strict';
import * as nodeCrypto from 'node:crypto';
import { describe, it } from 'node:test';
import { isTesseraError, UnsupportedRuntimeError } from '../errors.js';
import { assertCryptoRuntime } from './runtime.js';

describe('assertCryptoRuntime', { timeout: 10_000 }, () => {
  it('passes on this runtime', () => {
    assertCryptoRuntime();
    assertCryptoRuntime({ crypto: nodeCrypto as Record<string, unknown>, buffer: Buffer });
  });

  it('names everything missing in a typed error with a stable code', () => {
    const crypto = { ...nodeCrypto, hash: undefined, hkdfSync: 'not a function' };
    assert.throws(
      () => assertCryptoRuntime({ crypto, buffer: undefined }),
      (error: unknown) => {
        assert.ok(error instanceof UnsupportedRuntimeError);
        assert.ok(isTesseraError(error));
        assert.equal(error.code, 'UNSUPPORTED_RUNTIME');
        assert.deepEqual(error.missing, ['hash', 'hkdfSync', 'the Buffer global']);
        assert.match(error.message, /hash, hkdfSync, the Buffer global/);
        assert.match(error.message, /nodejs_compat/);
        return true;
      },
    );
  });
});
