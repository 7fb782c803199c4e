import assert from 'node:assert/strict';
import { scrypt } from 'node:crypto';
import { describe, it } from 'node:test';
import { PasswordPolicyError } from '../../errors.js';
import { parsePhc } from './phc.js';
import { scryptHasher } from './scrypt.js';

/** Cheap parameters for tests that are not about the defaults (16 KiB x 8 = 1 MiB). */
const cheap = { ln: 10, r: 8, p: 1 };

/** RFC 7914 section 12, second vector: "password", salt "NaCl", N=1024, r=8, p=16. */
const RFC7914 =
  'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640';
const RFC7914_PHC = `$scrypt$ln=10,r=8,p=16$${Buffer.from('NaCl').toString('base64').replace(/=+$/, '')}$${Buffer.from(RFC7914, 'hex').toString('base64').replace(/=+$/, '')}`;

describe('scrypt hasher', { timeout: 120_000 }, () => {
  it('S-51 default parameters: N=2^17, r=8, p=1, 16-byte salt, 32-byte key, explicit maxmem', async () => {
    const hasher = scryptHasher();
    const hash = await hasher.hash('correct horse battery staple');
    assert.match(hash, /^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    const phc = parsePhc(hash)!;
    assert.equal(phc.salt.byteLength, 16);
    assert.equal(phc.hash.byteLength, 32);
    assert.equal(await hasher.verify(hash, 'correct horse battery staple'), true);
    assert.equal(hasher.needsRehash(hash), false);
  });

  it('verifies the RFC 7914 vector, and node:crypto agrees with the literal', async () => {
    const key = await new Promise<Buffer>((resolve, reject) =>
      scrypt('password', 'NaCl', 64, { N: 1024, r: 8, p: 16 }, (e, k) =>
        e ? reject(e) : resolve(k),
      ),
    );
    assert.equal(key.toString('hex'), RFC7914);
    const hasher = scryptHasher(cheap);
    assert.equal(await hasher.verify(RFC7914_PHC, 'password'), true);
    assert.equal(await hasher.verify(RFC7914_PHC, 'passwore'), false);
    // A 4-byte salt is below Tessera's 16 bytes: verify, then rehash.
    assert.equal(hasher.needsRehash(RFC7914_PHC), true);
  });

  it('round-trips with a fresh salt each time; a wrong password is false', async () => {
    const hasher = scryptHasher(cheap);
    const a = await hasher.hash('pässwörd 1');
    const b = await hasher.hash('pässwörd 1');
    assert.notEqual(a, b);
    assert.equal(await hasher.verify(a, 'pässwörd 1'), true);
    assert.equal(await hasher.verify(b, 'pässwörd 1'), true);
    assert.equal(await hasher.verify(a, 'pässwörd 2'), false);
    assert.equal(await hasher.verify(a, ''), false);
    // scrypt's HMAC pads the password with zero bytes: a trailing NUL would be the same
    // password, so NUL is refused outright (verify false, hash a TypeError).
    assert.equal(await hasher.verify(a, 'pässwörd 1\u0000'), false);
    await assert.rejects(hasher.hash('pässwörd 1\u0000'), TypeError);
  });

  it('S-48 hashes the NFKC form: composed and decomposed é, full-width digits, are one password', async () => {
    const hasher = scryptHasher(cheap);
    const hash = await hasher.hash('caf\u00e9 １２３');
    assert.equal(await hasher.verify(hash, 'cafe\u0301 123'), true);
  });

  it('S-48 a 100-character password verifies only in full (no truncation)', async () => {
    const hasher = scryptHasher(cheap);
    const password = `${'x'.repeat(99)}A`;
    const hash = await hasher.hash(password);
    assert.equal(await hasher.verify(hash, password), true);
    assert.equal(await hasher.verify(hash, `${'x'.repeat(99)}B`), false);
    assert.equal(await hasher.verify(hash, 'x'.repeat(99)), false);
  });

  it('malformed, foreign or absurd hashes verify false without throwing', async () => {
    const hasher = scryptHasher(cheap);
    const good = await hasher.hash('pw');
    const [, , params, salt, key] = good.split('$') as [string, string, string, string, string];
    const bad: unknown[] = [
      '',
      'plain text',
      null,
      12,
      // Two characters off: 41 base64 characters never decode. (One off leaves 31 bytes
      // 1 time in 16, a shorter but well-formed key whose prefix check then passes.)
      good.slice(0, -2),
      `$scrypt$${params}$${salt}`,
      `$scrypt$v=1$${params}$${salt}$${key}`,
      `$scrypt$ln=10,r=8$${salt}$${key}`,
      `$scrypt$ln=10,r=8,p=1,x=1$${salt}$${key}`,
      `$scrypt$ln=0,r=8,p=1$${salt}$${key}`,
      `$scrypt$ln=30,r=8,p=1$${salt}$${key}`, // 128 GiB: refused before scrypt runs
      `$scrypt$ln=20,r=64,p=1$${salt}$${key}`,
      `$scrypt$ln=10,r=8,p=1$${salt}$AAAA`, // 3-byte key
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}$${key}`,
    ];
    for (const hash of bad) {
      assert.equal(await hasher.verify(hash as string, 'pw'), false, String(hash));
      assert.equal(hasher.needsRehash(hash as string), true, String(hash));
    }
    assert.equal(await hasher.verify(good, 42 as unknown as string), false);
    assert.equal(await hasher.verify(good, 'lone \ud800 surrogate'), false);
  });

  it('needsRehash: weaker or older parameters yes, same or stronger no', async () => {
    const hasher = scryptHasher({ ln: 11, r: 8, p: 1 });
    const salt = 'c29tZXNhbHRzb21lc2FsdA'; // 16 bytes
    const key = Buffer.alloc(32, 1).toString('base64').replace(/=+$/, '');
    const phc = (params: string) => `$scrypt$${params}$${salt}$${key}`;
    const matrix: Array<[string, boolean]> = [
      ['ln=11,r=8,p=1', false],
      ['ln=12,r=8,p=1', false],
      ['ln=11,r=16,p=2', false],
      ['ln=10,r=8,p=1', true],
      ['ln=11,r=4,p=1', true],
    ];
    for (const [params, expected] of matrix) {
      assert.equal(hasher.needsRehash(phc(params)), expected, params);
    }
    assert.equal(hasher.needsRehash(`$scrypt$ln=11,r=8,p=1$c2FsdA$${key}`), true, 'short salt');
    assert.equal(hasher.needsRehash(await hasher.hash('x')), false);
  });

  it('S-34 refuses to hash above 1024 UTF-8 bytes, without repeating the password', async () => {
    const hasher = scryptHasher(cheap);
    const long = `secret-${'€'.repeat(400)}`;
    await assert.rejects(hasher.hash(long), (error: unknown) => {
      assert.ok(error instanceof PasswordPolicyError);
      assert.equal(error.reason, 'too_long');
      assert.ok(!error.message.includes('secret-'));
      return true;
    });
    assert.equal(await hasher.verify(await hasher.hash('ok'), long), false);
    // 256 four-byte code points are exactly the limit.
    const max = '😀'.repeat(256);
    assert.equal(await hasher.verify(await hasher.hash(max), max), true);
  });

  it('rejects bad options with InvalidOptionsError', () => {
    for (const options of [
      { ln: 0 },
      { ln: 21 },
      { r: 0 },
      { p: 1.5 },
      { concurrency: 0 },
      { maxQueue: -1 },
    ]) {
      assert.throws(
        () => scryptHasher(options),
        { code: 'INVALID_OPTIONS' },
        JSON.stringify(options),
      );
    }
  });
});
