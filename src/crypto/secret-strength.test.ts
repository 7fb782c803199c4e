// What the keyring says about each kind of weak secret, and the edges of what it accepts:
// the reason in the message is what tells an operator what to fix.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, WeakSecretError } from '../errors.js';
import { Keyring, type SecretInput } from './keyring.js';

/** Deterministic pseudo-random text over `alphabet` (xorshift32), so edges are reproducible. */
function pseudoRandom(alphabet: string, length: number, seed: number): string {
  let state = seed >>> 0 || 1;
  let text = '';
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    text += alphabet[state % alphabet.length];
  }
  return text;
}

function refusal(secret: unknown): string {
  try {
    new Keyring([secret as SecretInput]);
  } catch (error) {
    assert.ok(error instanceof WeakSecretError, `a WeakSecretError, got ${String(error)}`);
    assert.equal(error.code, ErrorCode.WEAK_SECRET);
    return error.message;
  }
  assert.fail('the secret was accepted');
}

function assertRefused(secret: unknown, reason: string): void {
  const message = refusal(secret);
  assert.ok(message.startsWith(`secret #0 ${reason}.`), `expected "${reason}", got: ${message}`);
}

function assertAccepted(secret: SecretInput): void {
  assert.doesNotThrow(() => new Keyring([secret]));
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const GOOD_B64URL = 'q0N3v_Vx8Kc2-YtR1mZbH4pLwE9sGd6uJf5TiAo7Xeg';
const GOOD_HEX = '3f9c1e77a2b04d58e61f0c9ab7d2e4053c8f17b6a90d2e4c5b1a7f3e8d06c92b';

describe('placeholders and words', { timeout: 60_000 }, () => {
  const placeholders = [
    'keyboard cat',
    'secret',
    'changeme',
    'change me',
    'changeit',
    'password',
    'complex_password_at_least_32_characters_long',
    'this_is_a_secret_key_at_least_32_chars',
    'super-secret-key-that-is-at-least-32-characters',
    'your-256-bit-secret',
    'your-secret-key',
    'replace-with-a-real-secret',
    'replace-me-with-at-least-32-random-chars',
  ];
  test('every well-known placeholder is named as one, in any case', () => {
    for (const placeholder of placeholders) {
      assertRefused(placeholder, 'is a well-known placeholder');
      assertRefused(placeholder.toUpperCase(), 'is a well-known placeholder');
    }
  });
  test('a placeholder with surrounding whitespace is still a placeholder', () => {
    assertRefused('  changeit\n', 'is a well-known placeholder');
  });
  test('a telltale word inside otherwise random text', () => {
    assertRefused(
      `${GOOD_B64URL.slice(0, 37)}qwerty`,
      'contains a common word, so it was not randomly generated',
    );
  });
  test('whitespace inside a secret', () => {
    assertRefused(
      `${GOOD_B64URL.slice(0, 20)} ${GOOD_B64URL.slice(20)}`,
      'contains whitespace (trim it, or it is not an encoded key)',
    );
  });
});

describe('hex secrets', { timeout: 60_000 }, () => {
  test('odd length, too short, and all decimal digits each have their own reason', () => {
    assertRefused(GOOD_HEX.slice(1), 'looks like hex but has an odd length');
    assertRefused(GOOD_HEX.slice(2), 'is hex shorter than 64 characters');
    assertRefused(pseudoRandom('0123456789', 64, 7), 'is all decimal digits, not random hex');
  });
  test('fewer than 10 distinct digits is refused; exactly 10 is accepted', () => {
    assertRefused(
      pseudoRandom('02468ace9', 64, 11),
      'uses too few distinct characters to be random',
    );
    assertAccepted(pseudoRandom('02468ace9b', 64, 11));
  });
  test('a pattern repeated twice is refused, however long the pattern', () => {
    const half = GOOD_HEX.slice(0, 32);
    assertRefused(half + half, 'repeats a shorter pattern');
  });
});

describe('runs (aaaa, abcd, dcba)', { timeout: 60_000 }, () => {
  const tail = GOOD_B64URL.slice(10);
  test('a run of 10 steps of the same size is refused, up, down or flat', () => {
    assertRefused(`0123456789${tail}`, 'contains a long run like aaaa or abcd');
    assertRefused(`9876543210${tail}`, 'contains a long run like aaaa or abcd');
    assertRefused(
      `${tail.slice(0, 20)}zzzzzzzzzz${tail.slice(20)}`,
      'contains a long run like aaaa or abcd',
    );
  });
  test('a run of 9 is accepted', () => {
    assertAccepted(`x123456789${tail}`);
  });
  test('small steps that change direction are not a run', () => {
    assertAccepted(`0121010121${tail}`);
  });
});

describe('base64 and base64url secrets', { timeout: 60_000 }, () => {
  test('fewer than 16 distinct characters is refused; exactly 16 is accepted', () => {
    const few = 'ABCDEFGabcdefgh';
    assertRefused(
      `${few}${pseudoRandom(few, 27, 3)}A`,
      'uses too few distinct characters to be random',
    );
    const sixteen = 'ABCDEFGHabcdefgh';
    assertAccepted(`${sixteen}${pseudoRandom(sixteen, 26, 3)}A`);
  });
  test('two copies of a 22-character pattern are refused', () => {
    const half = pseudoRandom(B64URL, 22, 5);
    assertRefused(half + half, 'repeats a shorter pattern');
  });
  test('too short, one case only, not canonical', () => {
    const short = Buffer.from(GOOD_HEX, 'hex').subarray(1).toString('base64url');
    assertRefused(short, 'decodes to 31 bytes (< 32)');
    assertRefused(
      GOOD_B64URL.toLowerCase(),
      'lacks upper- or lower-case letters, so it is not random base64',
    );
    assertRefused(
      `${GOOD_B64URL.slice(0, 42).toUpperCase()}A`,
      'lacks upper- or lower-case letters, so it is not random base64',
    );
    // The last character of 43 carries 2 spare bits; a set bit there is a second spelling.
    assertRefused(`${GOOD_B64URL.slice(0, 42)}h`, 'is not canonical base64/base64url');
  });
  test('standard base64 is accepted padded and unpadded, but only canonical', () => {
    // 34 bytes: 46 characters, or 48 with "==".
    const bytes = Buffer.from(pseudoRandom(B64URL, 46, 9).replace(/^./, '+'), 'base64');
    const padded = bytes.toString('base64');
    assert.ok(padded.endsWith('==') && padded.includes('+'));
    assertAccepted(padded);
    assertAccepted(padded.replace(/=+$/, ''));
    const last = padded.at(-3)!;
    const other = last === 'A' ? 'B' : last === 'B' ? 'C' : 'B';
    assertRefused(`${padded.slice(0, -3)}${other}==`, 'is not canonical base64/base64url');
  });
  test('text with characters outside every alphabet', () => {
    const body = `+${GOOD_B64URL.replaceAll('-', 'a').replaceAll('_', 'b')}`;
    assertRefused(`*${body}`, 'is neither hex nor base64/base64url text');
    assertRefused(`${body}*`, 'is neither hex nor base64/base64url text');
  });
});

describe('secrets given as bytes', { timeout: 60_000 }, () => {
  const random = Buffer.from(GOOD_HEX, 'hex');
  test('32 random bytes are accepted; 31 are refused with the count', () => {
    assertAccepted(random);
    assertRefused(random.subarray(1), 'has 31 bytes (< 32)');
  });
  test('fewer than 16 distinct byte values is refused; exactly 16 is accepted', () => {
    const values = (count: number) =>
      Uint8Array.from({ length: 32 }, (_, i) => 0x80 + ((i * 7) % count));
    assertRefused(values(15), 'uses too few distinct byte values to be random');
    assertAccepted(values(16));
  });
  test('bytes that are all printable ASCII are text passed as bytes', () => {
    const printable = Buffer.from(`~${GOOD_B64URL.slice(0, 30)} `, 'latin1');
    assert.equal(printable.length, 32);
    assertRefused(
      printable,
      'is all printable ASCII, i.e. text: pass the string itself, not its bytes',
    );
  });
});

test('a secret that is neither text nor bytes', { timeout: 60_000 }, () => {
  assertRefused(42, 'is neither a string nor a Uint8Array');
  assertRefused([1, 2, 3], 'is neither a string nor a Uint8Array');
});
