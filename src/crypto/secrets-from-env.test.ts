// secretsFromEnv: the list a deployment puts in one environment variable, newest first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidOptionsError } from '../errors.js';
import { secretsFromEnv } from './env.js';

const A = 'q0N3v_Vx8Kc2-YtR1mZbH4pLwE9sGd6uJf5TiAo7Xeg';
const B = '3f9c1e77a2b04d58e61f0c9ab7d2e4053c8f17b6a90d2e4c5b1a7f3e8d06c92b';

function refusal(env: Record<string, string | undefined>): string {
  try {
    secretsFromEnv('SESSION_SECRETS', env);
  } catch (error) {
    assert.ok(error instanceof InvalidOptionsError, `an InvalidOptionsError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('secretsFromEnv returned');
}

test('splits on commas, trims each secret and keeps the order (newest first)', {
  timeout: 60_000,
}, () => {
  assert.deepEqual(secretsFromEnv('SESSION_SECRETS', { SESSION_SECRETS: A }), [A]);
  assert.deepEqual(secretsFromEnv('SESSION_SECRETS', { SESSION_SECRETS: ` ${A} ,\t${B}\n` }), [
    A,
    B,
  ]);
});

test('reads process.env when no environment is given', { timeout: 60_000 }, (t) => {
  process.env.TESSERA_TEST_SECRETS = `${B},${A}`;
  t.after(() => {
    delete process.env.TESSERA_TEST_SECRETS;
  });
  assert.deepEqual(secretsFromEnv('TESSERA_TEST_SECRETS'), [B, A]);
});

test('an unset or blank variable is named, with how to generate a secret', {
  timeout: 60_000,
}, () => {
  for (const value of [undefined, '', '   ']) {
    const message = refusal({ SESSION_SECRETS: value });
    assert.ok(
      message.startsWith(
        'environment variable SESSION_SECRETS is not set: set it to a secret of 32 random bytes',
      ),
      message,
    );
    assert.ok(
      message.includes(
        `(node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))")`,
      ),
      message,
    );
  }
});

test('an empty secret between commas is refused, wherever it is', { timeout: 60_000 }, () => {
  for (const value of [`${A},`, `,${A}`, `${A}, ,${B}`]) {
    assert.equal(
      refusal({ SESSION_SECRETS: value }),
      'environment variable SESSION_SECRETS holds an empty secret between commas',
    );
  }
});
