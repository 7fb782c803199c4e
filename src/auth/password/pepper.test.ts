import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import fc from 'fast-check';
import { createPasswordHasher, type PasswordHasherOptions } from './create.js';
import { passwordBytes } from './input.js';
import { splitKeyId } from './pepper.js';
import { parsePhc } from './phc.js';
import { scryptHasher } from './scrypt.js';

const PASSWORD = 'correct horse battery staple';
const cheap = { argon2: { memoryCost: 64, timeCost: 1 }, scrypt: { ln: 6, r: 8 } } as const;
const ALGORITHMS = ['argon2id', 'scrypt'] as const;
const pepper = (): Uint8Array => new Uint8Array(randomBytes(32));
const hasher = (algorithm: 'argon2id' | 'scrypt', extra: PasswordHasherOptions = {}) =>
  createPasswordHasher({ ...cheap, algorithm, ...extra });

describe('S-51 pepper', { timeout: 120_000 }, () => {
  for (const algorithm of ALGORITHMS) {
    it(`S-51 ${algorithm}: a peppered hash names its pepper, verifies with it, and not without it or under another`, async () => {
      const a = pepper();
      const withA = await hasher(algorithm, { peppers: [a] });
      const hash = await withA.hash(PASSWORD);
      assert.ok(hash.startsWith(`$${algorithm}$`), hash);
      const phc = parsePhc(hash);
      assert.match(phc?.params.get('keyid') ?? '', /^[A-Za-z0-9+/]{8}$/);
      assert.equal(await withA.verify(hash, PASSWORD), true);
      assert.equal(await withA.verify(hash, `${PASSWORD}!`), false);
      assert.equal(withA.needsRehash(hash), false);
      // The same hash without the pepper, or under another one, is worthless.
      assert.equal(await (await hasher(algorithm)).verify(hash, PASSWORD), false);
      const withB = await hasher(algorithm, { peppers: [pepper()] });
      assert.equal(await withB.verify(hash, PASSWORD), false);
      assert.equal((await withB.verifyAndUpgrade(hash, PASSWORD)).ok, false);
      // Relabelled with the other pepper's id, the hash is still only A's: the key counts.
      const idOfB = splitKeyId(await withB.hash(PASSWORD)).id as string;
      const relabelled = hash.replace(`keyid=${phc?.params.get('keyid')}`, `keyid=${idOfB}`);
      assert.notEqual(relabelled, hash);
      assert.equal(await withB.verify(relabelled, PASSWORD), false);
      assert.equal(await (await hasher(algorithm)).verify(splitKeyId(hash).bare, PASSWORD), false);
      // NFKC still applies before the pepper: two spellings of "é" are one password.
      const accented = await withA.hash('caf\u00e9 au lait, sans sucre');
      assert.equal(await withA.verify(accented, 'cafe\u0301 au lait, sans sucre'), true);
    });

    it(`S-51 ${algorithm}: rotation - a hash under an older pepper verifies and is rehashed under the newest`, async () => {
      const [older, newer] = [pepper(), pepper()];
      const before = await (await hasher(algorithm, { peppers: [older] })).hash(PASSWORD);
      const rotated = await hasher(algorithm, { peppers: [newer, older] });
      assert.equal(rotated.needsRehash(before), true);
      const result = await rotated.verifyAndUpgrade(before, PASSWORD);
      assert.equal(result.ok, true);
      assert.ok(result.newHash !== undefined);
      assert.equal(rotated.needsRehash(result.newHash), false);
      assert.notEqual(splitKeyId(result.newHash).id, splitKeyId(before).id);
      // Once the older pepper is dropped, only the rehashed account still signs in.
      const newerOnly = await hasher(algorithm, { peppers: [newer] });
      assert.equal(await newerOnly.verify(result.newHash, PASSWORD), true);
      assert.equal(await newerOnly.verify(before, PASSWORD), false);
      assert.equal((await rotated.verifyAndUpgrade(before, 'not the password')).ok, false);
    });

    it(`S-51 ${algorithm}: hashes from before the pepper verify and are rehashed with it; allowUnpeppered: false refuses them`, async () => {
      const plain = await hasher(algorithm);
      const old = await plain.hash(PASSWORD);
      assert.equal(splitKeyId(old).id, null, 'no pepper configured: no keyid, nothing changes');
      assert.equal(parsePhc(old)?.params.size, 3);
      const p = pepper();
      const peppered = await hasher(algorithm, { peppers: [p] });
      assert.equal(peppered.needsRehash(old), true);
      const result = await peppered.verifyAndUpgrade(old, PASSWORD);
      assert.equal(result.ok, true);
      assert.ok(result.newHash !== undefined && splitKeyId(result.newHash).id !== null);
      const strict = await hasher(algorithm, { peppers: [p], allowUnpeppered: false });
      assert.equal(await strict.verify(old, PASSWORD), false);
      assert.equal(await strict.verify(result.newHash, PASSWORD), true);
    });
  }

  it('S-51 the construction: the algorithm hashes base64(HMAC-SHA-256(pepper, NFKC password)), as documented', async () => {
    const p = pepper();
    const peppered = await hasher('scrypt', { peppers: [p] });
    const password = 'ｐａｓｓ phrase \u00e9';
    const hash = await peppered.hash(password);
    const bytes = passwordBytes(password);
    assert.ok(Buffer.isBuffer(bytes));
    const input = createHmac('sha256', p).update(bytes).digest('base64');
    const { bare } = splitKeyId(hash);
    assert.equal(await scryptHasher(cheap.scrypt).verify(bare, input), true);
  });

  it('S-51 bcrypt imports verify unchanged under a pepper and are rehashed peppered', async () => {
    const peppered = await hasher('argon2id', { peppers: [pepper()] });
    const imported = bcrypt.hashSync(PASSWORD, 4);
    const result = await peppered.verifyAndUpgrade(imported, PASSWORD);
    assert.equal(result.ok, true);
    assert.ok(result.newHash?.startsWith('$argon2id$'));
    assert.ok(splitKeyId(result.newHash ?? '').id !== null);
    // bcrypt's 72-byte rule still holds (S-51): no truncated match.
    const long = `${'a'.repeat(72)}X`;
    assert.equal(await peppered.verify(bcrypt.hashSync(long, 4), `${'a'.repeat(72)}Y`), false);
  });

  it('S-51 S-34 a password above 1024 bytes is refused before the pepper shortens it', async () => {
    const peppered = await hasher('scrypt', { peppers: [pepper()] });
    const huge = 'x'.repeat(1025);
    await assert.rejects(peppered.hash(huge), { code: 'PASSWORD_POLICY', reason: 'too_long' });
    const hash = await peppered.hash('x'.repeat(1024));
    assert.equal(await peppered.verify(hash, huge), false);
    await assert.rejects(peppered.hash('\ud800 lone surrogate'), TypeError);
  });

  it('S-51 peppers are checked like secrets: weak, duplicated or missing ones are refused without echoing them', async () => {
    const weak = 'pepper-that-is-far-too-guessable';
    await assert.rejects(hasher('scrypt', { peppers: [weak] }), (error: Error) => {
      assert.equal((error as { code?: string }).code, 'WEAK_SECRET');
      assert.match(error.message, /^pepper #0/);
      assert.equal(error.message.includes(weak), false);
      return true;
    });
    const p = pepper();
    await assert.rejects(hasher('scrypt', { peppers: [p, Uint8Array.from(p)] }), {
      code: 'WEAK_SECRET',
      message: /pepper #1 duplicates pepper #0/,
    });
    await assert.rejects(hasher('scrypt', { peppers: [] }), { code: 'INVALID_OPTIONS' });
    await assert.rejects(hasher('scrypt', { peppers: [p], allowUnpeppered: 'no' as never }), {
      code: 'INVALID_OPTIONS',
    });
  });

  it('S-51 property: random Unicode passwords verify under their pepper only', async () => {
    const p = pepper();
    const peppered = await hasher('scrypt', { peppers: [p], scrypt: { ln: 4, r: 1 } });
    const other = await hasher('scrypt', { peppers: [pepper()], scrypt: { ln: 4, r: 1 } });
    const none = await hasher('scrypt', { scrypt: { ln: 4, r: 1 } });
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (password) => {
        fc.pre(typeof passwordBytes(password) !== 'string');
        const hash = await peppered.hash(password);
        assert.equal(await peppered.verify(hash, password), true);
        assert.equal(await other.verify(hash, password), false);
        assert.equal(await none.verify(hash, password), false);
      }),
      { numRuns: 30 },
    );
  });
});
