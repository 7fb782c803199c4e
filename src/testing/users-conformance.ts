/**
 * The UserRepository conformance suite. Tessera's memory, SQLite and PostgreSQL
 * repositories pass it, and so must one an application writes over its own ORM:
 *
 * ```ts
 * import { runUserRepositoryConformance } from 'tesserajs/testing';
 * import { prismaUsers } from './users.js';
 *
 * runUserRepositoryConformance({ name: 'prisma users', create: async () => prismaUsers(db) });
 * ```
 *
 * - `create` runs once before the suite's tests, `cleanup` once after them (default:
 *   `repository.close()` when present). Every test makes its own random email addresses,
 *   so the backend may be shared with other runs and needs no emptying.
 * - Races are real: 20 concurrent `create` calls with one address, 50 concurrent
 *   `bumpSessionGeneration` calls on one user, all started before any settles.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { UserRecord, UserRepository } from '../auth/users/contract.js';
import { isEmailTakenError, isInvalidEmailError } from '../errors.js';
import { TEST_OPTIONS } from './options.js';

/** Options of {@link runUserRepositoryConformance}. */
export interface UserRepositoryConformanceOptions {
  /** Shown in the suite's title, e.g. `'postgres (pg.Pool)'`. */
  readonly name: string;
  /** Creates the repository under test; called once before the suite's tests. */
  readonly create: () => Promise<UserRepository>;
  /** Releases the repository after the suite. @default calls `repository.close()` when present */
  readonly cleanup?: (repository: UserRepository) => Promise<void>;
  /** A reason to skip the whole suite (reported as a skip), or `false`. @default false */
  readonly skip?: string | false;
}

/** A fresh email address, unique to this call, with a mixed-case domain. */
export function randomEmail(local = 'user'): string {
  return `${local}.${randomBytes(9).toString('base64url')}@Example.COM`;
}

/** The normalized form of {@link randomEmail}'s addresses: domain in lower case. */
function normalized(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, at)}@${email.slice(at + 1).toLowerCase()}`;
}

const HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGg';
const OTHER_HASH =
  '$scrypt$ln=17,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGg';

/** Ids no repository can have made: unknown, hostile, absurdly long, not even strings. */
const UNKNOWN_IDS: readonly unknown[] = [
  randomBytes(16).toString('base64url'),
  '',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  "' OR '1'='1",
  '"; DROP TABLE users; --',
  '%',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x'.repeat(100_000),
  42,
  null,
  undefined,
];

/** The plain shape of a record, for `deepStrictEqual`. */
function plain(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    email: user.email,
    passwordHash: user.passwordHash,
    sessionGeneration: user.sessionGeneration,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

function assertNotPolluted(): void {
  const probe: Record<string, unknown> = {};
  assert.equal(probe.polluted, undefined, 'Object.prototype must stay unpolluted');
  assert.equal(Object.getPrototypeOf(probe), Object.prototype);
}

/**
 * Registers the conformance tests for one repository as a `node:test` `describe` block.
 * Call it at the top level of a test file.
 */
export function runUserRepositoryConformance(options: UserRepositoryConformanceOptions): void {
  const skip = options.skip === undefined || options.skip === false ? false : options.skip;
  describe(`UserRepository conformance: ${options.name}`, { skip, timeout: 120_000 }, () => {
    let current: UserRepository | undefined;
    const repo = (): UserRepository => {
      if (current === undefined) throw new Error('repository not created: the before hook failed');
      return current;
    };
    before(async () => {
      current = await options.create();
    });
    after(async () => {
      if (current === undefined) return;
      if (options.cleanup) await options.cleanup(current);
      else await current.close?.();
    });

    describe('create and find', () => createTests(repo));
    describe('unique emails', () => uniqueTests(repo));
    describe('updates', () => updateTests(repo));
    describe('delete', () => deleteTests(repo));
    describe('hostile input', () => hostileTests(repo));
  });
}

type Repo = () => UserRepository;

function createTests(repo: Repo): void {
  it(
    'create returns the stored user; findById and findByEmail return the same',
    TEST_OPTIONS,
    async () => {
      const email = randomEmail();
      const before = Date.now();
      const user = await repo().create({ email, passwordHash: HASH });
      const afterCreate = Date.now();
      assert.match(user.id, /^[A-Za-z0-9_-]{22,}$/, 'id: at least 128 bits of base64url');
      assert.equal(user.email, normalized(email), 'the email is stored normalized');
      assert.equal(user.passwordHash, HASH);
      assert.equal(user.sessionGeneration, 0);
      assert.ok(Number.isSafeInteger(user.createdAt), 'createdAt is whole milliseconds');
      assert.ok(user.createdAt >= before - 1000 && user.createdAt <= afterCreate + 1000);
      assert.equal(user.updatedAt, user.createdAt);
      assert.deepStrictEqual(plain((await repo().findById(user.id))!), plain(user));
      assert.deepStrictEqual(plain((await repo().findByEmail(user.email))!), plain(user));
    },
  );

  it(
    'findByEmail normalizes what it is given: spaces, domain case, NFKC',
    TEST_OPTIONS,
    async () => {
      const email = randomEmail('Mixed.Case');
      const user = await repo().create({ email, passwordHash: HASH });
      const at = email.indexOf('@');
      const fullWidthM = `\uFF2D${email.slice(1)}`; // Ｍ (U+FF2D) is M under NFKC
      for (const variant of [
        email,
        `  ${email}\t`,
        `${email.slice(0, at)}@EXAMPLE.com`,
        `${email.slice(0, at)}@example.com`,
        fullWidthM,
      ]) {
        assert.equal((await repo().findByEmail(variant))?.id, user.id, JSON.stringify(variant));
      }
    },
  );

  it('the local part keeps its case: Alice@ and alice@ are two users', TEST_OPTIONS, async () => {
    const tail = `${randomBytes(9).toString('base64url')}@example.com`;
    const upper = await repo().create({ email: `Alice.${tail}`, passwordHash: HASH });
    const lower = await repo().create({ email: `alice.${tail}`, passwordHash: HASH });
    assert.notEqual(upper.id, lower.id);
    assert.equal((await repo().findByEmail(`Alice.${tail}`))?.id, upper.id);
    assert.equal((await repo().findByEmail(`alice.${tail}`))?.id, lower.id);
  });

  it('ids are random and distinct, and not made from the email', TEST_OPTIONS, async () => {
    const users = await Promise.all(
      Array.from({ length: 30 }, () => repo().create({ email: randomEmail(), passwordHash: HASH })),
    );
    const ids = new Set(users.map((user) => user.id));
    assert.equal(ids.size, users.length, 'every id is distinct');
    for (const user of users) {
      assert.match(user.id, /^[A-Za-z0-9_-]{22,}$/);
      assert.ok(!user.id.includes(user.email.split('@')[0]!), 'the id does not contain the email');
    }
    // Deleting and re-creating one address gives another id: ids are not derived from it.
    const email = randomEmail();
    const first = await repo().create({ email, passwordHash: HASH });
    assert.equal(await repo().delete(first.id), true);
    const second = await repo().create({ email, passwordHash: HASH });
    assert.notEqual(second.id, first.id);
  });

  it(
    'records are snapshots: a later update does not change one already returned',
    TEST_OPTIONS,
    async () => {
      const user = await repo().create({ email: randomEmail(), passwordHash: HASH });
      await repo().updatePasswordHash(user.id, OTHER_HASH);
      await repo().bumpSessionGeneration(user.id);
      assert.equal(user.passwordHash, HASH);
      assert.equal(user.sessionGeneration, 0);
    },
  );
}

function uniqueTests(repo: Repo): void {
  it('a second create with the same email fails with EmailTakenError', TEST_OPTIONS, async () => {
    const email = randomEmail();
    const user = await repo().create({ email, passwordHash: HASH });
    const at = email.indexOf('@');
    for (const variant of [
      email,
      ` ${email.slice(0, at)}@example.com `,
      `${email.slice(0, at)}@EXAMPLE.COM`,
      // NFKC variants: a full-width first letter, a full-width @ (U+FF20).
      `${String.fromCodePoint(email.codePointAt(0)! + 0xfee0)}${email.slice(1)}`,
      `${email.slice(0, at)}\uFF20example.com`,
    ]) {
      await assert.rejects(
        repo().create({ email: variant, passwordHash: OTHER_HASH }),
        (error: unknown) => {
          assert.ok(isEmailTakenError(error), `EmailTakenError for ${JSON.stringify(variant)}`);
          assert.equal((error as { code?: unknown }).code, 'EMAIL_TAKEN');
          assert.ok(
            !(error as Error).message.includes(email.slice(0, at)),
            'no address in the message',
          );
          return true;
        },
      );
    }
    const found = await repo().findByEmail(email);
    assert.equal(found?.id, user.id, 'the first user stays, unchanged');
    assert.equal(found?.passwordHash, HASH);
  });

  it(
    '20 concurrent sign-ups with one email: exactly one user, 19 EmailTakenError',
    TEST_OPTIONS,
    async () => {
      const email = randomEmail();
      const at = email.indexOf('@');
      // Different spellings of one address, all started before any settles.
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          repo().create({
            email: i % 2 === 0 ? email : `${email.slice(0, at)}@example.com`,
            passwordHash: `${HASH}${i}`,
          }),
        ),
      );
      const created = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected');
      assert.equal(created.length, 1, 'exactly one create succeeds');
      assert.equal(refused.length, 19);
      for (const r of refused) {
        assert.ok(isEmailTakenError(r.reason), `a clean EmailTakenError, not ${String(r.reason)}`);
      }
      const winner = (created[0] as PromiseFulfilledResult<UserRecord>).value;
      const found = await repo().findByEmail(email);
      assert.deepStrictEqual(plain(found!), plain(winner), 'the stored user is the one returned');
    },
  );

  it(
    'an invalid email is refused with InvalidEmailError and nothing is stored',
    TEST_OPTIONS,
    async () => {
      for (const email of [
        'no-at-sign',
        '@example.com',
        'user@',
        'a@b@example.com',
        'a b@example.com',
      ]) {
        await assert.rejects(repo().create({ email, passwordHash: HASH }), (error: unknown) =>
          isInvalidEmailError(error),
        );
        assert.equal(await repo().findByEmail(email), null);
      }
    },
  );
}

function updateTests(repo: Repo): void {
  it(
    'updatePasswordHash replaces the hash and moves updatedAt; unknown ids give false',
    TEST_OPTIONS,
    async () => {
      const user = await repo().create({ email: randomEmail(), passwordHash: HASH });
      const other = await repo().create({ email: randomEmail(), passwordHash: HASH });
      assert.equal(await repo().updatePasswordHash(user.id, OTHER_HASH), true);
      const found = await repo().findById(user.id);
      assert.equal(found?.passwordHash, OTHER_HASH);
      assert.equal(found?.email, user.email);
      assert.equal(found?.sessionGeneration, 0);
      assert.equal(found?.createdAt, user.createdAt);
      assert.ok(found!.updatedAt >= user.updatedAt);
      assert.equal((await repo().findById(other.id))?.passwordHash, HASH, 'only that user changed');
      assert.equal(
        await repo().updatePasswordHash(randomBytes(16).toString('base64url'), OTHER_HASH),
        false,
      );
    },
  );

  it('bumpSessionGeneration returns 1, 2, ...; unknown ids give null', TEST_OPTIONS, async () => {
    const user = await repo().create({ email: randomEmail(), passwordHash: HASH });
    assert.equal(await repo().bumpSessionGeneration(user.id), 1);
    assert.equal(await repo().bumpSessionGeneration(user.id), 2);
    const found = await repo().findById(user.id);
    assert.equal(found?.sessionGeneration, 2);
    assert.equal(found?.passwordHash, HASH);
    assert.equal(await repo().bumpSessionGeneration(randomBytes(16).toString('base64url')), null);
  });

  it('50 concurrent bumps add 50, each returning a distinct generation', TEST_OPTIONS, async () => {
    const user = await repo().create({ email: randomEmail(), passwordHash: HASH });
    const start = (await repo().bumpSessionGeneration(user.id))!;
    const results = await Promise.all(
      Array.from({ length: 50 }, () => repo().bumpSessionGeneration(user.id)),
    );
    const expected = Array.from({ length: 50 }, (_, i) => start + 1 + i);
    assert.deepStrictEqual(
      [...results].sort((a, b) => a! - b!),
      expected,
      'no bump lost, none returned twice',
    );
    assert.equal((await repo().findById(user.id))?.sessionGeneration, start + 50);
  });
}

function deleteTests(repo: Repo): void {
  it(
    'delete removes the user and frees the email; a second delete gives false',
    TEST_OPTIONS,
    async () => {
      const email = randomEmail();
      const user = await repo().create({ email, passwordHash: HASH });
      const neighbour = await repo().create({ email: randomEmail(), passwordHash: HASH });
      assert.equal(await repo().delete(user.id), true);
      assert.equal(await repo().findById(user.id), null);
      assert.equal(await repo().findByEmail(email), null);
      assert.equal(await repo().delete(user.id), false);
      assert.equal(await repo().updatePasswordHash(user.id, OTHER_HASH), false);
      assert.equal(await repo().bumpSessionGeneration(user.id), null);
      assert.ok(await repo().findById(neighbour.id), 'other users stay');
      const again = await repo().create({ email, passwordHash: OTHER_HASH });
      assert.equal((await repo().findByEmail(email))?.id, again.id);
    },
  );
}

function hostileTests(repo: Repo): void {
  it(
    'unknown, hostile and absurd ids are "no such user", never a crash',
    TEST_OPTIONS,
    async () => {
      for (const id of UNKNOWN_IDS) {
        const what = typeof id === 'string' ? JSON.stringify(id.slice(0, 20)) : String(id);
        assert.equal(await repo().findById(id as string), null, what);
        assert.equal(await repo().updatePasswordHash(id as string, OTHER_HASH), false, what);
        assert.equal(await repo().bumpSessionGeneration(id as string), null, what);
        assert.equal(await repo().delete(id as string), false, what);
      }
      assertNotPolluted();
    },
  );

  it('S-33 emails like __proto__@ and constructor@ are ordinary users', TEST_OPTIONS, async () => {
    const domain = `${randomBytes(6).toString('hex')}.example.com`;
    for (const local of ['__proto__', 'constructor', 'prototype', 'toString']) {
      const email = `${local}@${domain}`;
      const user = await repo().create({ email, passwordHash: HASH });
      assertNotPolluted();
      assert.equal(user.email, email);
      assert.equal((await repo().findByEmail(email))?.id, user.id);
      await assert.rejects(repo().create({ email, passwordHash: HASH }), (e: unknown) =>
        isEmailTakenError(e),
      );
      assert.equal(await repo().delete(user.id), true);
    }
    assertNotPolluted();
  });

  it(
    'very long or control-character emails are InvalidEmailError from create, null from findByEmail',
    TEST_OPTIONS,
    async () => {
      const hostile = [
        `${'a'.repeat(100_000)}@example.com`,
        `${'a'.repeat(65)}@example.com`,
        `a@${'b'.repeat(250)}.com`,
        'alice@example.com\r\nBcc: victim@example.com',
        'ali\u0000ce@example.com',
        'alice\u202E@example.com',
        '',
      ];
      for (const email of hostile) {
        await assert.rejects(repo().create({ email, passwordHash: HASH }), (e: unknown) =>
          isInvalidEmailError(e),
        );
        assert.equal(await repo().findByEmail(email), null);
      }
      for (const email of [42, null, undefined, { toString: () => 'a@example.com' }]) {
        await assert.rejects(
          repo().create({ email: email as string, passwordHash: HASH }),
          (e: unknown) => isInvalidEmailError(e),
        );
        assert.equal(await repo().findByEmail(email as string), null);
      }
    },
  );

  it(
    'an empty, non-string or absurdly long password hash is refused before storing',
    TEST_OPTIONS,
    async () => {
      const email = randomEmail();
      for (const passwordHash of ['', 'x'.repeat(100_000), 42, null]) {
        await assert.rejects(
          repo().create({ email, passwordHash: passwordHash as string }),
          TypeError,
        );
      }
      assert.equal(await repo().findByEmail(email), null, 'nothing was stored');
      const user = await repo().create({ email, passwordHash: HASH });
      await assert.rejects(repo().updatePasswordHash(user.id, ''), TypeError);
      assert.equal((await repo().findById(user.id))?.passwordHash, HASH);
    },
  );
}
