import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import { createPasswordHasher, defaultHasher, resolveAlgorithm } from './create.js';
import { scryptHasher } from './scrypt.js';
import type { LegacyVerifier } from './types.js';

const cheap = {
  argon2: { memoryCost: 64, timeCost: 1 },
  scrypt: { ln: 10 },
} as const;

/** A home-made legacy format: "sha256:<hex>" of the password (what an old app stored). */
const homeMade: LegacyVerifier = {
  matches: (hash) => hash.startsWith('sha256:'),
  async verify(hash, password) {
    return hash === `sha256:${sha256(password)}`;
  },
};

describe('createPasswordHasher', { timeout: 120_000 }, () => {
  it("'auto' picks argon2id when @node-rs/argon2 loads, scrypt otherwise", async () => {
    assert.equal(resolveAlgorithm('auto', true), 'argon2id');
    assert.equal(resolveAlgorithm('auto', false), 'scrypt');
    assert.equal(resolveAlgorithm('scrypt', true), 'scrypt');
    assert.equal((await createPasswordHasher(cheap)).id, 'argon2id');
    assert.equal((await createPasswordHasher({ ...cheap, algorithm: 'scrypt' })).id, 'scrypt');
    const shared = await defaultHasher();
    assert.equal(shared, await defaultHasher());
    assert.equal(shared.id, 'argon2id');
  });

  it('verifies every known format, whichever algorithm makes new hashes', async () => {
    const argon2 = await createPasswordHasher({ ...cheap, legacy: [homeMade] });
    const scrypt = await createPasswordHasher({
      ...cheap,
      algorithm: 'scrypt',
      legacy: [homeMade],
    });
    const hashes = [
      await argon2.hash('pw one two'),
      await scrypt.hash('pw one two'),
      bcrypt.hashSync('pw one two', 4).replace('$2b$', '$2y$'),
      `sha256:${sha256('pw one two')}`,
    ];
    for (const service of [argon2, scrypt]) {
      for (const hash of hashes) {
        assert.equal(await service.verify(hash, 'pw one two'), true, `${service.id} ${hash}`);
        assert.equal(await service.verify(hash, 'pw one twO'), false, `${service.id} ${hash}`);
        assert.equal(service.needsRehash(hash), !hash.startsWith(`$${service.id}$`), hash);
      }
    }
  });

  it('S-51 verifyAndUpgrade: a stale argon2id, scrypt, bcrypt or legacy hash comes back as a current hash', async () => {
    const service = await createPasswordHasher({
      argon2: { memoryCost: 128, timeCost: 2 },
      legacy: [homeMade],
    });
    const weakArgon2 = await (
      await createPasswordHasher({ argon2: { memoryCost: 64, timeCost: 1 } })
    ).hash('open sesame');
    const stale = [
      weakArgon2,
      await scryptHasher({ ln: 10 }).hash('open sesame'),
      bcrypt.hashSync('open sesame', 4),
      `sha256:${sha256('open sesame')}`,
    ];
    for (const hash of stale) {
      const result = await service.verifyAndUpgrade(hash, 'open sesame');
      assert.equal(result.ok, true, hash);
      assert.ok(result.newHash?.startsWith('$argon2id$v=19$m=128,t=2,p=1$'), hash);
      assert.equal(service.needsRehash(result.newHash!), false);
      assert.equal(await service.verify(result.newHash!, 'open sesame'), true);
      assert.deepEqual(await service.verifyAndUpgrade(hash, 'open sesamE'), { ok: false });
    }
    const current = await service.hash('open sesame');
    assert.deepEqual(await service.verifyAndUpgrade(current, 'open sesame'), { ok: true });
  });

  it('verifyAndUpgrade still reports ok when the upgrade cannot run (overload)', async () => {
    const service = await createPasswordHasher({
      algorithm: 'scrypt',
      scrypt: { ln: 12, concurrency: 1, maxQueue: 0 },
    });
    const stale = bcrypt.hashSync('pw pw pw pw', 4);
    const blocker = service.hash('something else');
    assert.deepEqual(await service.verifyAndUpgrade(stale, 'pw pw pw pw'), { ok: true });
    await blocker;
  });

  it('unknown or malformed hashes verify false; bcrypt: false turns bcrypt off', async () => {
    const service = await createPasswordHasher({ ...cheap, bcrypt: false });
    const bcryptHash = bcrypt.hashSync('pw', 4);
    assert.equal(await service.verify(bcryptHash, 'pw'), false);
    for (const hash of ['', '$', '$unknown$x$y$z', 'sha256:abc', '$argon2id$', '$scrypt$ln=1']) {
      assert.equal(await service.verify(hash, 'pw'), false, hash);
      assert.deepEqual(await service.verifyAndUpgrade(hash, 'pw'), { ok: false });
    }
    assert.equal(await service.verify(null as unknown as string, 'pw'), false);
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('without the optional packages installed', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-no-argon2-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('falls back to scrypt; argon2id and bcrypt hashes fail with NOT_SUPPORTED, not a crash', () => {
    // A resolve hook that makes both packages missing, as on an install without them.
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `export async function resolve(specifier, context, next) {
  if (specifier === '@node-rs/argon2' || specifier === 'bcryptjs') {
    throw Object.assign(new Error('Cannot find package ' + specifier), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}
`,
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`,
    );
    const entry = fileURLToPath(new URL('../index.ts', import.meta.url));
    writeFileSync(
      join(dir, 'main.mts'),
      `import { argon2idHasher, createPasswordHasher } from ${JSON.stringify(entry)};
const out = {};
const service = await createPasswordHasher({ scrypt: { ln: 10 } });
out.id = service.id;
const hash = await service.hash('pw pw pw pw');
out.roundTrip = await service.verify(hash, 'pw pw pw pw');
out.argon2 = await argon2idHasher().then(() => 'loaded', (e) => e.code);
out.explicit = await createPasswordHasher({ algorithm: 'argon2id' }).then(() => 'loaded', (e) => e.code);
out.verifyArgon2 = await service.verify('$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4', 'password').then(String, (e) => e.code);
out.verifyBcrypt = await service.verify('$2y$07$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq', 'rasmuslerdorf').then(String, (e) => e.code);
console.log(JSON.stringify(out));
`,
    );
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--import', join(dir, 'register.mjs'), join(dir, 'main.mts')],
      // From the repository, so that `--import tsx` resolves.
      { encoding: 'utf8', cwd: fileURLToPath(new URL('../../..', import.meta.url)) },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout.trim().split('\n').pop()!), {
      id: 'scrypt',
      roundTrip: true,
      argon2: 'NOT_SUPPORTED',
      explicit: 'NOT_SUPPORTED',
      verifyArgon2: 'NOT_SUPPORTED',
      verifyBcrypt: 'NOT_SUPPORTED',
    });
  });
});
