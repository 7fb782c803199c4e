// The seal context (purpose, cookie name) is bound into the associated data as UTF-8:
// what it accepts, and what seal and unseal refuse with a TypeError naming the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnsealError } from '../errors.js';
import { Keyring } from './keyring.js';
import { type SealContext, seal, unseal } from './seal.js';

const keyring = new Keyring(['q0N3v_Vx8Kc2-YtR1mZbH4pLwE9sGd6uJf5TiAo7Xeg']);
const plaintext = Buffer.from('{"n":1}');

test('a field of 65535 UTF-8 bytes round-trips; one byte more is refused', {
  timeout: 60_000,
}, () => {
  const longest = 'p'.repeat(0xffff);
  for (const context of [
    { purpose: longest, name: 'sid' },
    { purpose: 'session', name: longest },
  ]) {
    const sealed = seal(keyring, context, plaintext);
    assert.deepEqual(Buffer.from(unseal(keyring, context, sealed).plaintext), plaintext);
  }
  assert.throws(() => seal(keyring, { purpose: `${longest}p`, name: 'sid' }, plaintext), {
    name: 'TypeError',
    message: 'seal context purpose is too long',
  });
  assert.throws(() => seal(keyring, { purpose: 'session', name: `${longest}p` }, plaintext), {
    name: 'TypeError',
    message: 'seal context name is too long',
  });
});

test('a field that is not a string, or not well-formed Unicode, is refused by name', {
  timeout: 60_000,
}, () => {
  const cases: [SealContext, string][] = [
    [{ purpose: 7 as unknown as string, name: 'sid' }, 'seal context purpose must be a string'],
    [{ purpose: 'session', name: null as unknown as string }, 'seal context name must be a string'],
    [{ purpose: 'session\udc00', name: 'sid' }, 'seal context purpose is not well-formed Unicode'],
    [{ purpose: 'session', name: 'sid\ud800' }, 'seal context name is not well-formed Unicode'],
  ];
  for (const [context, message] of cases) {
    assert.throws(() => seal(keyring, context, plaintext), { name: 'TypeError', message });
  }
});

test('a context field is bound whole: a blob for one name does not open under another', {
  timeout: 60_000,
}, () => {
  const sealed = seal(keyring, { purpose: 'session', name: 'sid' }, plaintext);
  for (const context of [
    { purpose: 'session', name: 'sid2' },
    { purpose: 'sessio', name: 'nsid' },
    { purpose: 'flash', name: 'sid' },
  ]) {
    assert.throws(
      () => unseal(keyring, context, sealed),
      (error: unknown) => {
        return error instanceof UnsealError && error.reason === 'auth';
      },
    );
  }
});

test('text too short to be a blob is a format error', { timeout: 60_000 }, () => {
  for (const sealed of ['', 'abc', 'A'.repeat(40)]) {
    assert.throws(
      () => unseal(keyring, { purpose: 'session', name: 'sid' }, sealed),
      (error: unknown) => error instanceof UnsealError && error.reason === 'format',
    );
  }
});
