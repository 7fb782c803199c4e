import assert from 'node:assert/strict';
import { hkdfSync, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { ErrorCode, WeakSecretError } from '../errors.js';
import { Keyring, type SecretInput } from './keyring.js';

const HINT = `node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`;
/** Fixed secrets so acceptance tests are deterministic. */
const HEX_SECRET = '3f9c1e77a2b04d58e61f0c9ab7d2e4053c8f17b6a90d2e4c5b1a7f3e8d06c92b';
const B64URL_SECRET = 'q0N3v_Vx8Kc2-YtR1mZbH4pLwE9sGd6uJf5TiAo7Xeg';

function assertWeak(secrets: readonly unknown[], label: string): WeakSecretError {
  let caught: unknown;
  assert.throws(
    () => new Keyring(secrets as SecretInput[]),
    (error: unknown) => {
      caught = error;
      return error instanceof WeakSecretError;
    },
    label,
  );
  const error = caught as WeakSecretError;
  assert.equal(error.code, ErrorCode.WEAK_SECRET);
  assert.ok(error.message.includes(HINT), `${label}: message says how to generate a secret`);
  for (const secret of Array.isArray(secrets) ? secrets : []) {
    if (typeof secret === 'string' && secret.length >= 8) {
      assert.ok(!error.message.includes(secret), `${label}: message must not contain the secret`);
    }
  }
  return error;
}

test('S-28 no secret at all is refused', { timeout: 60_000 }, () => {
  assertWeak([], 'empty list');
  assertWeak(undefined as unknown as unknown[], 'undefined');
});

test('S-28 placeholders, short and low-entropy secrets are refused with the failing index', {
  timeout: 60_000,
}, () => {
  const weak: [string, unknown][] = [
    ['keyboard cat', 'keyboard cat'],
    ['KEYBOARD CAT (case-insensitive)', 'KEYBOARD CAT'],
    ['40-char placeholder', 'replace-me-with-at-least-32-random-chars'],
    ['iron-session placeholder', 'complex_password_at_least_32_characters_long'],
    ['31 random bytes', randomBytes(31)],
    ['31 random bytes as base64url', randomBytes(31).toString('base64url')],
    ['31 random bytes as hex', randomBytes(31).toString('hex')],
    ['all one hex digit', '0'.repeat(64)],
    ['repeated letter', 'a'.repeat(64)],
    ['repeated pattern', 'Ab3_'.repeat(12)],
    ['alphabet', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'],
    [
      'decimal digits',
      '31415926535897932384626433832795028841971693993751058209749445923'.slice(0, 64),
    ],
    ['passphrase', 'ThisIsMySuperSecretPasswordForTheApplication2024'],
    ['lower-case only', 'qwnmzpvkrtlhsbcxjdgfyeouiaqwnmzpvkrtlhsbcxj'],
    ['whitespace', ` ${B64URL_SECRET}`],
    ['not hex or base64', `${B64URL_SECRET}!`],
    ['non-canonical base64url', `${B64URL_SECRET.slice(0, 42)}h`],
    ['odd-length hex', `${HEX_SECRET}a`],
    ['text bytes', Buffer.from('correct horse battery staple, quite long')],
    ['all-zero bytes', Buffer.alloc(32)],
    ['number', 42],
  ];
  for (const [label, secret] of weak) {
    const error = assertWeak([B64URL_SECRET, secret], label);
    assert.match(error.message, /^secret #1 /, label);
  }
});

test('S-28 duplicate secrets are refused, even in different encodings', { timeout: 60_000 }, () => {
  assertWeak([HEX_SECRET, HEX_SECRET], 'same text');
  const bytes = Buffer.from(HEX_SECRET, 'hex');
  assertWeak([HEX_SECRET, bytes.toString('base64')], 'hex and base64 of the same bytes');
  assertWeak([bytes, HEX_SECRET.toUpperCase()], 'bytes and upper-case hex');
});

test('S-28 strong secrets are accepted: 32 random bytes, 64 hex chars, 43-char base64url', {
  timeout: 60_000,
}, () => {
  const keyring = new Keyring([randomBytes(32), HEX_SECRET, B64URL_SECRET]);
  assert.equal(keyring.size, 3);
  const bytes = Buffer.from(B64URL_SECRET, 'base64url');
  assert.equal(new Keyring([bytes.toString('base64')]).size, 1, 'padded base64');
  assert.equal(new Keyring([bytes.toString('base64').replace(/=+$/, '')]).size, 1, 'unpadded');
  assert.equal(new Keyring([randomBytes(64).toString('base64url')]).size, 1, 'longer secret');
});

test('S-28 freshly generated secrets pass the randomness heuristics', { timeout: 60_000 }, () => {
  for (let i = 0; i < 100; i++) {
    new Keyring([randomBytes(32), randomBytes(32).toString('hex')]);
    new Keyring([randomBytes(32).toString('base64url'), randomBytes(32).toString('base64')]);
  }
});

test('S-28 keys are HKDF-SHA256 derived per purpose; raw secret is never a key', {
  timeout: 60_000,
}, () => {
  const keyring = new Keyring([HEX_SECRET]);
  const material = Buffer.from(HEX_SECRET, 'hex');
  const expected = (info: string, length: number): Buffer =>
    Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), info, length));
  assert.deepEqual(keyring.key('seal'), expected('tessera/v1/key/seal', 32));
  assert.deepEqual(keyring.key('sign'), expected('tessera/v1/key/sign', 32));
  assert.deepEqual(keyring.key('csrf'), expected('tessera/v1/key/csrf', 32));
  assert.deepEqual(keyring.key('throttle'), expected('tessera/v1/key/throttle', 32));
  assert.deepEqual(keyring.keyId(), expected('tessera/v1/key-id', 4));
  const keys = [
    keyring.key('seal'),
    keyring.key('sign'),
    keyring.key('csrf'),
    keyring.key('throttle'),
    material,
  ];
  assert.equal(new Set(keys.map((key) => key.toString('hex'))).size, 5);
});

test('S-29 key ids select the secret; unknown ids give -1', { timeout: 60_000 }, () => {
  const keyring = new Keyring([HEX_SECRET, B64URL_SECRET]);
  assert.equal(keyring.indexOfKeyId(keyring.keyId(0)), 0);
  assert.equal(keyring.indexOfKeyId(keyring.keyId(1)), 1);
  const blob = Buffer.concat([Buffer.from([9]), keyring.keyId(1)]);
  assert.equal(keyring.indexOfKeyId(blob, 1), 1);
  assert.equal(keyring.indexOfKeyId(blob, 2), -1, 'fewer than 4 bytes left');
  assert.equal(keyring.indexOfKeyId(Buffer.alloc(4)), -1);
  assert.notDeepEqual(keyring.keyId(0), keyring.keyId(1));
  assert.deepEqual(new Keyring([B64URL_SECRET]).keyId(), keyring.keyId(1), 'id is per secret');
  assert.throws(() => keyring.key('seal', 2), RangeError);
  assert.throws(() => keyring.keyId(-1), RangeError);
});

test('S-28 passphrases are refused in CamelCase and when hex/base64/base64url-encoded', {
  timeout: 60_000,
}, () => {
  const phrase = Buffer.from('my very secret passphrase that is long enough');
  const staple = Buffer.from('Correct horse battery staple, tasty!');
  const weak = [
    'CorrectHorseBatteryStapleCorrectHorse12',
    // 44 characters: a multiple of 4, so it decodes as canonical base64 (33 bytes).
    'TroubadourMonsoonQuillWhisperGlacierLantern1',
    phrase.toString('base64'),
    phrase.toString('base64url'),
    phrase.toString('hex'),
    staple.toString('base64'),
    staple.toString('hex'),
  ];
  for (const secret of weak) {
    assert.throws(() => new Keyring([secret]), WeakSecretError, secret.slice(0, 12));
  }
});

test('S-28 property: random 32..64-byte secrets are accepted in hex, base64 and base64url', {
  timeout: 60_000,
}, () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 64 }), (bytes) => {
      const buffer = Buffer.from(bytes);
      // fast-check biases towards small and repeated values; only random-looking draws
      // are the subject (the distinct-values rule refuses the rest, by design).
      fc.pre(new Set(bytes).size >= 24);
      for (const encoding of ['hex', 'base64', 'base64url'] as const) {
        new Keyring([buffer.toString(encoding)]);
      }
    }),
    { numRuns: 2000 },
  );
});
