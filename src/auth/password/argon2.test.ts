import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argon2idHasher } from './argon2.js';
import { parsePhc } from './phc.js';

/** Vectors of the reference implementation (phc-winner-argon2, "password" / "somesalt"). */
const REFERENCE_64M =
  '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc';
const REFERENCE_256K =
  '$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4';

/** Cheap parameters for tests that are not about the defaults. */
const cheap = { memoryCost: 64, timeCost: 1 };

describe('argon2id hasher', { timeout: 120_000 }, () => {
  it('S-51 defaults: $argon2id$v=19$, m>=19456 with t>=2, p>=1 (parameters read as a set)', async () => {
    const hasher = await argon2idHasher();
    const hash = await hasher.hash('correct horse battery staple');
    assert.ok(hash.startsWith('$argon2id$v=19$'), hash);
    const phc = parsePhc(hash)!;
    const params = Object.fromEntries([...phc.params].map(([k, v]) => [k, Number(v)]));
    assert.deepEqual(params, { m: 19456, t: 2, p: 1 });
    assert.equal(phc.salt.byteLength, 16);
    assert.equal(phc.hash.byteLength, 32);
    assert.equal(await hasher.verify(hash, 'correct horse battery staple'), true);
    assert.equal(hasher.needsRehash(hash), false);
  });

  it('verifies the reference implementation vectors', async () => {
    const hasher = await argon2idHasher(cheap);
    assert.equal(await hasher.verify(REFERENCE_256K, 'password'), true);
    assert.equal(await hasher.verify(REFERENCE_256K, 'passwore'), false);
    assert.equal(await hasher.verify(REFERENCE_64M, 'password'), true);
    assert.equal(await hasher.verify(REFERENCE_64M, 'Password'), false);
  });

  it('same password twice gives different hashes; both verify; a wrong one is false', async () => {
    const hasher = await argon2idHasher(cheap);
    const a = await hasher.hash('hunter2 hunter2');
    const b = await hasher.hash('hunter2 hunter2');
    assert.notEqual(a, b);
    assert.equal(await hasher.verify(a, 'hunter2 hunter2'), true);
    assert.equal(await hasher.verify(b, 'hunter2 hunter2'), true);
    assert.equal(await hasher.verify(a, 'hunter2 hunter3'), false);
  });

  it('S-48 NFKC: é as U+00E9 and as e + U+0301 are the same password', async () => {
    const hasher = await argon2idHasher(cheap);
    const hash = await hasher.hash('caf\u00e9-caf\u00e9');
    assert.equal(await hasher.verify(hash, 'cafe\u0301-cafe\u0301'), true);
  });

  it('malformed or absurd hashes verify false without throwing', async () => {
    const hasher = await argon2idHasher(cheap);
    const bad = [
      '',
      'nope',
      REFERENCE_256K.slice(0, -2),
      REFERENCE_256K.replace('$v=19', '$v=18'),
      REFERENCE_256K.replace('m=256', 'm=4294967295'), // 4 TiB: refused before hashing
      REFERENCE_256K.replace('t=2', 't=100000'),
      REFERENCE_256K.replace('m=256,t=2,p=1', 'm=256,t=2'),
      REFERENCE_256K.replace('m=256,t=2,p=1', 'm=256,t=2,p=1,keyid=AA'),
      REFERENCE_256K.replace('$argon2id$', '$argon2x$'),
      REFERENCE_256K.replace('nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4', 'AAAA'),
    ];
    for (const hash of bad) assert.equal(await hasher.verify(hash, 'password'), false, hash);
  });

  it('needsRehash matrix: other variants, older version, weaker or different parameters', async () => {
    const hasher = await argon2idHasher({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const salt = 'c29tZXNhbHRzb21lc2FsdA';
    const tag = Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '');
    const phc = (head: string) => `${head}$${salt}$${tag}`;
    const matrix: Array<[string, boolean]> = [
      ['$argon2id$v=19$m=19456,t=2,p=1', false],
      ['$argon2id$v=19$p=1,t=2,m=19456', false], // order does not matter
      ['$argon2id$v=19$m=65536,t=3,p=1', false],
      ['$argon2id$v=19$m=4096,t=1,p=1', true], // S-51's example of a stale hash
      ['$argon2id$v=19$m=19456,t=1,p=1', true],
      ['$argon2id$v=19$m=19455,t=2,p=1', true],
      ['$argon2id$v=19$m=19456,t=2,p=4', true],
      ['$argon2id$v=16$m=19456,t=2,p=1', true],
      ['$argon2id$m=19456,t=2,p=1', true], // no version segment: 0x10
      ['$argon2i$v=19$m=19456,t=2,p=1', true],
      ['$argon2d$v=19$m=19456,t=2,p=1', true],
    ];
    for (const [head, expected] of matrix) {
      assert.equal(hasher.needsRehash(phc(head)), expected, head);
    }
    assert.equal(hasher.needsRehash(REFERENCE_64M), true, '8-byte salt');
    assert.equal(
      hasher.needsRehash('$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ012'),
      true,
    );
    assert.equal(hasher.needsRehash('garbage'), true);
  });

  it('rejects bad options with InvalidOptionsError', async () => {
    for (const options of [
      { memoryCost: 4 },
      { timeCost: 0 },
      { parallelism: 0 },
      { memoryCost: 8, parallelism: 2 },
    ]) {
      await assert.rejects(argon2idHasher(options), { code: 'INVALID_OPTIONS' });
    }
  });
});
