import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { UnsealError } from '../errors.js';
import { Keyring } from './keyring.js';
import { type SealContext, seal, sealedLength, unseal } from './seal.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const K1 = new Keyring([randomBytes(32)]);
const K2 = new Keyring([randomBytes(32)]);
const SESSION: SealContext = { purpose: 'session', name: '__Host-sid' };
/** Any well-formed Unicode text, mostly short so that collisions between draws are common. */
const text = fc.string({ unit: 'grapheme', maxLength: 6 });

function rejects(keyring: Keyring, context: SealContext, text: string, label: string): string {
  try {
    unseal(keyring, context, text);
  } catch (error) {
    assert.ok(error instanceof UnsealError, `${label}: ${String(error)}`);
    return error.reason;
  }
  assert.fail(`${label}: accepted a modified blob`);
}

test('S-25 seal/unseal round-trips arbitrary bytes and contexts', { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), text, text, (bytes, p, n) => {
      const context = { purpose: p, name: n };
      const sealed = seal(K1, context, bytes);
      assert.match(sealed, /^[A-Za-z0-9_-]+$/);
      assert.equal(sealed.length, sealedLength(bytes.length));
      const { plaintext, keyIndex } = unseal(K1, context, sealed);
      assert.deepEqual(plaintext, Buffer.from(bytes));
      assert.equal(keyIndex, 0);
    }),
    { numRuns: 200 },
  );
});

test('S-25 sealing the same input twice gives different blobs', { timeout: 60_000 }, () => {
  const plaintext = Buffer.from('{"user":"alice"}');
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) seen.add(seal(K1, SESSION, plaintext));
  assert.equal(seen.size, 100);
});

test('S-25 every single-bit flip of the decoded blob is rejected', { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      const blob = Buffer.from(seal(K1, SESSION, bytes), 'base64url');
      for (let bit = 0; bit < blob.length * 8; bit++) {
        const flipped = Buffer.from(blob);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        const reason = rejects(K1, SESSION, flipped.toString('base64url'), `bit ${bit}`);
        const expected = bit < 8 ? 'version' : bit < 40 ? 'key' : 'auth';
        assert.equal(reason, expected, `bit ${bit}`);
      }
    }),
    { numRuns: 4 },
  );
});

test('S-25 every single-character substitution is rejected', { timeout: 60_000 }, () => {
  for (const length of [0, 2]) {
    const sealed = seal(K1, SESSION, randomBytes(length));
    for (let at = 0; at < sealed.length; at++) {
      for (const char of ALPHABET) {
        if (char === sealed[at]) continue;
        const variant = sealed.slice(0, at) + char + sealed.slice(at + 1);
        rejects(K1, SESSION, variant, `${char} at ${at}`);
      }
    }
  }
});

test('S-26 every truncation and extension is rejected', { timeout: 60_000 }, () => {
  const sealed = seal(K1, SESSION, Buffer.from('hello, world'));
  for (let end = 0; end < sealed.length; end++) {
    rejects(K1, SESSION, sealed.slice(0, end), `prefix ${end}`);
    rejects(K1, SESSION, sealed.slice(sealed.length - end), `suffix ${end}`);
  }
  for (const char of ALPHABET) {
    rejects(K1, SESSION, sealed + char, `append ${char}`);
    rejects(K1, SESSION, char + sealed, `prepend ${char}`);
  }
  for (const tail of ['AA', 'AAA', 'AAAA', sealed]) {
    rejects(K1, SESSION, sealed + tail, `append ${tail.length} chars`);
  }
});

test('S-26 non-canonical encodings are rejected as format errors', { timeout: 60_000 }, () => {
  // Plaintext lengths giving texts of length 0, 2 and 3 mod 4 (0, 1 or 2 spare bits).
  for (const length of [1, 2, 3]) {
    const sealed = seal(K1, SESSION, randomBytes(length));
    const variants: string[] = [`${sealed}=`, `${sealed}==`, ` ${sealed}`, `${sealed}\n`];
    for (let at = 0; at <= sealed.length; at++) {
      for (const junk of ['!', ' ', '.', '%', '=', '+', '/', '\u00e9']) {
        variants.push(sealed.slice(0, at) + junk + sealed.slice(at));
      }
    }
    const last = ALPHABET.indexOf(sealed.at(-1)!);
    const spareBits = (sealed.length * 6) % 8;
    for (let low = 1; low < 1 << spareBits; low++) {
      variants.push(sealed.slice(0, -1) + ALPHABET[last ^ low]);
    }
    variants.push(sealed.replaceAll('-', '+').replaceAll('_', '/'));
    for (const variant of variants) {
      if (variant === sealed) continue;
      assert.equal(rejects(K1, SESSION, variant, JSON.stringify(variant)), 'format');
    }
  }
});

test('S-27 a blob sealed for one purpose or cookie name is rejected for any other', {
  timeout: 60_000,
}, () => {
  fc.assert(
    fc.property(text, text, text, text, (p1, n1, p2, n2) => {
      fc.pre(p1 !== p2 || n1 !== n2);
      const sealed = seal(K1, { purpose: p1, name: n1 }, Buffer.from('x'));
      assert.equal(rejects(K1, { purpose: p2, name: n2 }, sealed, 'other context'), 'auth');
    }),
    { numRuns: 200 },
  );
  const sealed = seal(K1, { purpose: 'csrf', name: 'ab' }, Buffer.from('x'));
  for (const context of [
    { purpose: 'session', name: 'ab' },
    { purpose: 'csrf', name: '__Host-ab' },
    { purpose: 'csrfa', name: 'b' },
    { purpose: 'csr', name: 'fab' },
  ]) {
    assert.equal(rejects(K1, context, sealed, JSON.stringify(context)), 'auth');
  }
});

test('S-29 rotation: [K1] blobs open under [K2, K1] with keyIndex 1, not under [K2]', {
  timeout: 60_000,
}, () => {
  const s1 = randomBytes(32);
  const s2 = randomBytes(32);
  const old = seal(new Keyring([s1]), SESSION, Buffer.from('data'));
  const rotated = new Keyring([s2, s1]);
  const opened = unseal(rotated, SESSION, old);
  assert.equal(opened.keyIndex, 1);
  assert.equal(opened.plaintext.toString(), 'data');
  const resealed = seal(rotated, SESSION, opened.plaintext);
  assert.equal(unseal(rotated, SESSION, resealed).keyIndex, 0);
  assert.equal(unseal(new Keyring([s2]), SESSION, resealed).keyIndex, 0);
  assert.equal(rejects(new Keyring([s2]), SESSION, old, 'removed key'), 'key');
  assert.equal(rejects(new Keyring([s1]), SESSION, resealed, 'newer key'), 'key');
});

test('S-32 hostile input only ever raises UnsealError', { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => {
      rejects(K1, SESSION, text, 'random text');
    }),
  );
  const junk: unknown[] = [undefined, null, 42, {}, Buffer.from('x'), 'A'.repeat(100_000)];
  for (const value of junk) rejects(K1, SESSION, value as string, String(value).slice(0, 9));
  const foreign = seal(K2, SESSION, Buffer.from('x'));
  assert.equal(rejects(K1, SESSION, foreign, 'foreign keyring'), 'key');
});

test('sealedLength matches the output for every plaintext length up to 100', {
  timeout: 60_000,
}, () => {
  for (let n = 0; n <= 100; n++) {
    assert.equal(seal(K1, SESSION, Buffer.alloc(n)).length, sealedLength(n));
  }
  assert.equal(sealedLength(0), 71);
});

test('S-27 a context that is not two well-formed strings is a programming error (TypeError)', {
  timeout: 60_000,
}, () => {
  const bad = [
    { purpose: 1, name: 'a' },
    { purpose: 'a' },
    { purpose: 'a', name: 'x'.repeat(70_000) },
  ];
  for (const context of bad) {
    assert.throws(() => seal(K1, context as unknown as SealContext, Buffer.alloc(1)), TypeError);
  }
});
