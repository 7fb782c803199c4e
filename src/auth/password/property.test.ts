import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { argon2idHasher } from './argon2.js';
import { passwordBytes } from './input.js';
import { scryptHasher } from './scrypt.js';
import type { PasswordHasher } from './types.js';

/** Any Unicode text (code points of every plane, no lone surrogates), up to 40 code points. */
const passwords = fc.string({ unit: 'binary', maxLength: 40 });

async function roundTrips(hasher: PasswordHasher): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      passwords,
      fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
      async (pw, extra) => {
        fc.pre(typeof passwordBytes(pw) !== 'string');
        const hash = await hasher.hash(pw);
        assert.equal(await hasher.verify(hash, pw), true);
        // Canonically equivalent spellings are one password (NFKC before hashing)...
        assert.equal(await hasher.verify(hash, pw.normalize('NFD')), true);
        // ...and any other string is another password.
        const other = `${pw}${extra}`;
        // (Where `other` cannot be hashed at all, verify is false too.)
        if (other.normalize('NFKC') !== pw.normalize('NFKC')) {
          assert.equal(await hasher.verify(hash, other), false);
        }
      },
    ),
    { numRuns: 40 },
  );
}

describe('property: random Unicode passwords round-trip hash/verify', { timeout: 120_000 }, () => {
  it('scrypt (cheap parameters)', async () => {
    await roundTrips(scryptHasher({ ln: 4, r: 1 }));
  });

  it('argon2id (cheap parameters)', async () => {
    await roundTrips(await argon2idHasher({ memoryCost: 8, timeCost: 1 }));
  });
});
