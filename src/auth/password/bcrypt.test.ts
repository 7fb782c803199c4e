import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { BCRYPT_MAX_BYTES, bcryptVerifier, isBcryptHash } from './bcrypt.js';

/** PHP's documentation example for password_verify(): "rasmuslerdorf", `$2y$`, cost 7. */
const PHP_2Y = '$2y$07$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq';

describe('bcrypt legacy verifier', { timeout: 120_000 }, () => {
  it('verifies a PHP password_hash() $2y$ hash', async () => {
    const verifier = bcryptVerifier();
    assert.equal(verifier.matches(PHP_2Y), true);
    assert.equal(await verifier.verify(PHP_2Y, 'rasmuslerdorf'), true);
    assert.equal(await verifier.verify(PHP_2Y, 'rasmuslerdorF'), false);
  });

  it('verifies $2a$ and $2b$ hashes made by bcryptjs', async () => {
    const verifier = bcryptVerifier();
    const b = bcrypt.hashSync('s3cret pass', 4);
    assert.ok(b.startsWith('$2b$04$'));
    const a = b.replace('$2b$', '$2a$');
    for (const hash of [a, b]) {
      assert.equal(await verifier.verify(hash, 's3cret pass'), true, hash);
      assert.equal(await verifier.verify(hash, 's3cret pasS'), false, hash);
    }
  });

  it('S-51 a password over 72 bytes is refused, not compared on its first 72', async () => {
    const verifier = bcryptVerifier();
    const hash = bcrypt.hashSync(`${'a'.repeat(72)}X`, 4);
    // bcryptjs alone truncates: it would accept any 72-byte-prefix sibling.
    assert.equal(bcrypt.compareSync(`${'a'.repeat(72)}Y`, hash), true);
    assert.equal(await verifier.verify(hash, `${'a'.repeat(72)}Y`), false);
    assert.equal(await verifier.verify(hash, `${'a'.repeat(72)}X`), false);
    // At the limit it still works (72 bytes: 24 three-byte characters).
    const limit = '€'.repeat(24);
    assert.equal(Buffer.byteLength(limit), BCRYPT_MAX_BYTES);
    assert.equal(await verifier.verify(bcrypt.hashSync(limit, 4), limit), true);
  });

  it('recognises only well-formed bcrypt strings; others verify false', async () => {
    const verifier = bcryptVerifier();
    const bad = [
      '',
      '$2x$07$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq',
      '$2y$03$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq',
      '$2y$32$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq',
      PHP_2Y.slice(0, -1),
      `${PHP_2Y}x`,
      PHP_2Y.replace('Chrcte/', 'Chrcte+'),
      '$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4',
    ];
    for (const hash of bad) {
      assert.equal(isBcryptHash(hash), false, hash);
      assert.equal(await verifier.verify(hash, 'rasmuslerdorf'), false, hash);
    }
    assert.equal(await verifier.verify(PHP_2Y, 7 as unknown as string), false);
  });
});
