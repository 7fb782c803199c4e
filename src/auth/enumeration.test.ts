/**
 * S-47 on the session engine: strict enumeration protection answers a new and a taken
 * email alike, and tells the application which through onSignUpAttempt. The same over
 * real HTTP on every adapter is in test/auth/enumeration-contract.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SessionEngine } from '../session/engine.js';
import { MemoryStore } from '../stores/memory/index.js';
import { createAuth } from './auth.js';
import type { SignUpAttempt } from './enumeration.js';
import { createPasswordHasher, type Passwords } from './password/create.js';
import { memoryUsers } from './users/memory.js';

const PASSWORD = 'correct horse battery staple';
const secret = (): string => randomBytes(32).toString('base64url');

async function setup<M extends 'standard' | 'strict'>(mode: M) {
  const sessions = new SessionEngine<object>({ secrets: [secret()], store: new MemoryStore() });
  const real = await createPasswordHasher({ algorithm: 'scrypt', scrypt: { ln: 10 } });
  let hashes = 0;
  const passwords: Passwords = {
    ...real,
    hash: (password) => {
      hashes++;
      return real.hash(password);
    },
  };
  const attempts: SignUpAttempt[] = [];
  const auth = createAuth({
    sessions,
    users: memoryUsers(),
    passwords,
    throttle: false,
    enumerationProtection: mode,
    onSignUpAttempt: (attempt) => {
      attempts.push(attempt);
    },
  });
  /** One request without a cookie: runs `fn`, commits, returns its result and Set-Cookie. */
  async function request<R>(fn: (session: Awaited<ReturnType<typeof sessions.load>>) => R) {
    const session = await sessions.load({ cookieHeader: undefined, secure: false });
    const result = await fn(session);
    const plan = sessions.commit(session);
    await plan.pending;
    return { result, setCookie: plan.setCookie, userId: session.userId };
  }
  return { auth, attempts, request, hashes: () => hashes };
}

describe('S-47 enumerationProtection', { timeout: 60_000 }, () => {
  it("S-47 strict: a new and a taken email resolve alike, sign nobody in, and spend one hash each; the hook hears 'created' then 'exists'", async () => {
    const { auth, attempts, request, hashes } = await setup('strict');
    const credentials = { email: 'alice@Example.com', password: PASSWORD };
    const created = await request((s) => auth.signUp(s, credentials));
    const exists = await request((s) =>
      auth.signUp(s, { ...credentials, password: `${PASSWORD}!` }),
    );
    assert.equal(created.result, undefined);
    assert.equal(exists.result, undefined);
    assert.deepEqual(created.setCookie, [], 'no session change: nothing to tell apart');
    assert.deepEqual(exists.setCookie, []);
    assert.equal(created.userId, null);
    assert.equal(exists.userId, null);
    assert.equal(hashes(), 2, 'the taken email costs the same hash (S-46)');
    assert.deepEqual(
      attempts.map((a) => [a.outcome, a.email]),
      [
        ['created', 'alice@example.com'],
        ['exists', 'alice@example.com'],
      ],
    );
    const first = attempts[0];
    assert.ok(first?.outcome === 'created');
    assert.equal(first.user.email, 'alice@example.com');
    assert.equal('passwordHash' in first.user, false, 'no hash reaches the hook');
    // The account is the first sign-up's: its password signs in, the second's does not.
    const signedIn = await request((s) => auth.signIn(s, credentials));
    assert.equal(signedIn.userId, first.user.id);
    await assert.rejects(
      request((s) => auth.signIn(s, { ...credentials, password: `${PASSWORD}!` })),
      { code: 'INVALID_CREDENTIALS' },
    );
  });

  it('S-47 strict: two sign-ups racing for one email both resolve; the hook hears one created and one exists', async () => {
    const { auth, attempts, request } = await setup('strict');
    const credentials = { email: 'race@example.com', password: PASSWORD };
    const results = await Promise.all([
      request((s) => auth.signUp(s, credentials)),
      request((s) => auth.signUp(s, credentials)),
    ]);
    assert.deepEqual(
      results.map((r) => r.result),
      [undefined, undefined],
    );
    assert.deepEqual(attempts.map((a) => a.outcome).sort(), ['created', 'exists']);
  });

  it('S-47 strict: the email and password checks still answer 400-type errors, the same for both; signIn: true is refused', async () => {
    const { auth, attempts, request } = await setup('strict');
    await assert.rejects(
      request((s) => auth.signUp(s, { email: 'not an email', password: PASSWORD })),
      { code: 'INVALID_EMAIL' },
    );
    await assert.rejects(
      request((s) => auth.signUp(s, { email: 'bob@example.com', password: 'short' })),
      { code: 'PASSWORD_POLICY' },
    );
    await assert.rejects(
      request((s) =>
        auth.signUp(s, { email: 'bob@example.com', password: PASSWORD }, {}, { signIn: true }),
      ),
      { code: 'INVALID_OPTIONS' },
    );
    assert.deepEqual(attempts, [], 'the hook hears only attempts that passed the checks');
  });

  it('S-47 a hook that throws makes signUp reject with its error, whichever the outcome', async () => {
    const sessions = new SessionEngine<object>({ secrets: [secret()] });
    const auth = createAuth({
      sessions,
      users: memoryUsers(),
      passwords: createPasswordHasher({ algorithm: 'scrypt', scrypt: { ln: 10 } }),
      throttle: false,
      enumerationProtection: 'strict',
      onSignUpAttempt: () => {
        throw new Error('mail queue down');
      },
    });
    const credentials = { email: 'carol@example.com', password: PASSWORD };
    for (let i = 0; i < 2; i++) {
      const session = await sessions.load({ cookieHeader: undefined, secure: false });
      await assert.rejects(auth.signUp(session, credentials), { message: 'mail queue down' });
    }
  });

  it("S-47 standard (the default): a taken email fails with EMAIL_TAKEN after the hook heard 'exists'; a new one signs in", async () => {
    const { auth, attempts, request } = await setup('standard');
    const credentials = { email: 'dave@example.com', password: PASSWORD };
    const created = await request((s) => auth.signUp(s, credentials));
    assert.equal(created.result.email, 'dave@example.com');
    assert.equal(created.userId, created.result.id, 'signed in at once');
    await assert.rejects(
      request((s) => auth.signUp(s, credentials)),
      { code: 'EMAIL_TAKEN' },
    );
    assert.deepEqual(
      attempts.map((a) => a.outcome),
      ['created', 'exists'],
    );
  });

  it('S-47 createAuth refuses an unknown mode, a hook that is not a function, and strict mode without a hook', () => {
    const sessions = new SessionEngine<object>({ secrets: [secret()] });
    const users = memoryUsers();
    const bad: unknown[] = [
      { enumerationProtection: 'paranoid' },
      { onSignUpAttempt: 'mail' },
      { enumerationProtection: 'strict' },
    ];
    for (const extra of bad) {
      assert.throws(() => createAuth({ sessions, users, ...(extra as object) }), {
        code: 'INVALID_OPTIONS',
      });
    }
  });
});
