import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { Keyring } from './keyring.js';
import {
  generateSessionId,
  hashSessionId,
  isSignedSessionIdShape,
  signSessionId,
  verifySignedSessionId,
} from './sign.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const NAME = '__Host-sid';
const K1 = new Keyring([randomBytes(32)]);
const idArbitrary = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => Buffer.from(bytes).toString('base64url'));
const text = fc.string({ unit: 'grapheme', maxLength: 6 });

test('S-01 10,000 ids: unique, 43 base64url chars, 32 bytes, every bit set ~50% of the time', {
  timeout: 60_000,
}, () => {
  const count = 10_000;
  const ids = new Set<string>();
  const ones = new Array<number>(256).fill(0);
  for (let i = 0; i < count; i++) {
    const id = generateSessionId();
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    const bytes = Buffer.from(id, 'base64url');
    assert.equal(bytes.length, 32);
    assert.equal(bytes.toString('base64url'), id);
    ids.add(id);
    for (let bit = 0; bit < 256; bit++) ones[bit]! += (bytes[bit >> 3]! >> (bit & 7)) & 1;
  }
  assert.equal(ids.size, count);
  for (let bit = 0; bit < 256; bit++) {
    const share = ones[bit]! / count;
    assert.ok(share > 0.47 && share < 0.53, `bit ${bit} set in ${share} of ids`);
  }
});

test('S-02 hashSessionId is base64url(SHA-256(id)) and differs from the id', {
  timeout: 60_000,
}, () => {
  const id = generateSessionId();
  const key = hashSessionId(id);
  assert.equal(key, createHash('sha256').update(id).digest('base64url'));
  assert.match(key, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(key, id);
});

test('sign/verify round-trips any id and cookie name', { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(idArbitrary, text, (id, name) => {
      const value = signSessionId(K1, name, id);
      assert.match(value, /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{48}$/);
      assert.deepEqual(verifySignedSessionId(K1, name, value), { id, keyIndex: 0 });
    }),
    { numRuns: 200 },
  );
});

test('S-27 a signed id is rejected under any other cookie name', { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(idArbitrary, text, text, (id, name, other) => {
      fc.pre(name !== other);
      assert.equal(verifySignedSessionId(K1, other, signSessionId(K1, name, id)), null);
    }),
    { numRuns: 200 },
  );
});

test('S-30 every single-bit flip of the id or the decoded signature is rejected', {
  timeout: 60_000,
}, () => {
  const id = generateSessionId();
  const value = signSessionId(K1, NAME, id);
  const idBytes = Buffer.from(id, 'base64url');
  const sig = Buffer.from(value.slice(44), 'base64url');
  for (let bit = 0; bit < 256; bit++) {
    const flipped = Buffer.from(idBytes);
    flipped[bit >> 3]! ^= 1 << (bit & 7);
    const forged = `${flipped.toString('base64url')}.${value.slice(44)}`;
    assert.equal(verifySignedSessionId(K1, NAME, forged), null, `id bit ${bit}`);
  }
  for (let bit = 0; bit < sig.length * 8; bit++) {
    const flipped = Buffer.from(sig);
    flipped[bit >> 3]! ^= 1 << (bit & 7);
    const forged = `${id}.${flipped.toString('base64url')}`;
    assert.equal(verifySignedSessionId(K1, NAME, forged), null, `sig bit ${bit}`);
  }
});

test('S-26 substitutions, truncations, extensions and non-canonical forms are rejected', {
  timeout: 60_000,
}, () => {
  const value = signSessionId(K1, NAME, generateSessionId());
  const variants: string[] = [`${value}=`, `${value}==`, ` ${value}`, `s:${value}`];
  for (let at = 0; at < value.length; at++) {
    for (const char of `${ALPHABET}.`) {
      if (char !== value[at]) variants.push(value.slice(0, at) + char + value.slice(at + 1));
    }
  }
  for (let end = 0; end < value.length; end++) variants.push(value.slice(0, end));
  for (const char of ALPHABET) variants.push(value + char, char + value);
  for (let at = 0; at <= value.length; at++) {
    for (const junk of ['!', ' ', '.', '%', '=', '+', '/']) {
      variants.push(value.slice(0, at) + junk + value.slice(at));
    }
  }
  // The id's last character carries 2 spare bits: every other value of them is refused.
  const last = ALPHABET.indexOf(value[42]!);
  for (let low = 1; low < 4; low++) {
    variants.push(value.slice(0, 42) + ALPHABET[last ^ low] + value.slice(43));
  }
  for (const variant of variants) {
    assert.equal(verifySignedSessionId(K1, NAME, variant), null, JSON.stringify(variant));
  }
});

test('S-32 verify never throws on hostile input', { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 120 }), (value) => {
      assert.equal(verifySignedSessionId(K1, NAME, value), null);
    }),
  );
  for (const value of [
    undefined,
    null,
    42,
    {},
    'A'.repeat(100_000),
    `${'A'.repeat(43)}.${'A'.repeat(48)}`,
  ]) {
    assert.equal(verifySignedSessionId(K1, NAME, value as string), null);
  }
});

test('S-29 rotation: [K1] ids verify under [K2, K1] with keyIndex 1, not under [K2]', {
  timeout: 60_000,
}, () => {
  const s1 = randomBytes(32);
  const s2 = randomBytes(32);
  const id = generateSessionId();
  const old = signSessionId(new Keyring([s1]), NAME, id);
  const rotated = new Keyring([s2, s1]);
  assert.deepEqual(verifySignedSessionId(rotated, NAME, old), { id, keyIndex: 1 });
  const fresh = signSessionId(rotated, NAME, id);
  assert.notEqual(fresh, old);
  assert.deepEqual(verifySignedSessionId(rotated, NAME, fresh), { id, keyIndex: 0 });
  assert.equal(verifySignedSessionId(new Keyring([s2]), NAME, old), null);
  assert.equal(verifySignedSessionId(new Keyring([s1]), NAME, fresh), null);
});

test('S-27 cookie names with lone surrogates are refused (they would share a MAC input)', {
  timeout: 60_000,
}, () => {
  const id = generateSessionId();
  assert.throws(() => signSessionId(K1, '\ud800', id), TypeError);
  assert.throws(() => signSessionId(K1, 42 as unknown as string, id), TypeError);
});

test('signSessionId refuses ids that are not canonical 43-char base64url', {
  timeout: 60_000,
}, () => {
  const id = generateSessionId();
  for (const bad of ['', id.slice(1), `${id}A`, `${id.slice(0, 42)}B`, `${id.slice(0, 42)}+`]) {
    assert.throws(() => signSessionId(K1, NAME, bad), TypeError, JSON.stringify(bad));
  }
});

test('many cookie names (past the signer cache bound) still sign and verify', {
  timeout: 60_000,
}, () => {
  const id = generateSessionId();
  for (let i = 0; i < 100; i++) {
    const name = `cookie-${i}`;
    assert.deepEqual(verifySignedSessionId(K1, name, signSessionId(K1, name, id)), {
      id,
      keyIndex: 0,
    });
  }
});

test('S-26 a quoted signed id has not the signed-id shape (malformed, not tamper)', {
  timeout: 60_000,
}, () => {
  const value = signSessionId(K1, 'sid', generateSessionId());
  assert.equal(isSignedSessionIdShape(value), true);
  assert.equal(isSignedSessionIdShape(`"${value}"`), false);
  assert.equal(verifySignedSessionId(K1, 'sid', `"${value}"`), null);
  assert.equal(isSignedSessionIdShape(value.slice(1)), false);
});
