/**
 * The authentication flows on the session engine, in cookie mode and store mode, with
 * the in-memory user repository and a real (cheap) scrypt hasher. Over-HTTP tests per
 * adapter are in test/auth/.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { TesseraEvent } from '../kernel/events.js';
import { SessionEngine } from '../session/engine.js';
import type { Session } from '../session/session.js';
import { MemoryStore } from '../stores/memory/index.js';
import { type Auth, createAuth } from './auth.js';
import { createPasswordHasher, type Passwords } from './password/create.js';
import { scryptHasher } from './password/scrypt.js';
import { createThrottle } from './throttle/throttle.js';
import { memoryUsers } from './users/memory.js';

type Data = Record<string, unknown>;
const secret = (): string => randomBytes(32).toString('base64url');
const PASSWORD = 'correct horse battery staple';
const OTHER = 'a different long passphrase';

/** The hasher with a count of every verification (real hashing underneath). */
async function countingHasher(): Promise<Passwords & { verifies: number; hashes: number }> {
  const real = await createPasswordHasher({ algorithm: 'scrypt', scrypt: { ln: 10 } });
  const counted = {
    ...real,
    verifies: 0,
    hashes: 0,
    async verify(hash: string, password: string) {
      counted.verifies++;
      return real.verify(hash, password);
    },
    async verifyAndUpgrade(hash: string, password: string) {
      counted.verifies++;
      return real.verifyAndUpgrade(hash, password);
    },
    async hash(password: string) {
      counted.hashes++;
      return real.hash(password);
    },
  };
  return counted;
}

function cookieOf(lines: readonly string[]): string {
  return lines.map((line) => line.split(';')[0]!).join('; ');
}

for (const mode of ['cookie', 'store'] as const) {
  describe(`auth flows, ${mode} mode`, { timeout: 120_000 }, () => {
    async function setup(extra: { throttle?: 'memory' } = {}) {
      const events: TesseraEvent[] = [];
      let now = Date.UTC(2026, 11, 1);
      const sessions = new SessionEngine<Data>({
        secrets: [secret()],
        clock: () => now,
        onEvent: (event) => events.push(event),
        // The store's clock is the engine's: with the real clock it would expire records
        // of this fixed date once it lies further back than the idle timeout.
        ...(mode === 'store' ? { store: new MemoryStore({ clock: () => now }) } : {}),
      });
      const users = memoryUsers();
      const passwords = await countingHasher();
      const throttle =
        extra.throttle === 'memory'
          ? createThrottle({
              kernel: sessions.kernel,
              perAccount: { freeAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 },
            })
          : false;
      const auth = createAuth({ sessions, users, passwords, throttle });
      /** One request: load with `cookie`, run `fn`, commit; returns the browser's next cookie. */
      async function request<R>(
        cookie: string,
        fn: (session: Session<Data>) => R | Promise<R>,
      ): Promise<{ result: R; cookie: string; session: Session<Data> }> {
        const session = await sessions.load({ cookieHeader: cookie || undefined, secure: false });
        const result = await fn(session);
        const plan = sessions.commit(session);
        await plan.pending;
        const expired = plan.setCookie.some((line) =>
          /Max-Age=0|Expires=Thu, 01 Jan 1970/.test(line),
        );
        const next = expired ? '' : plan.setCookie.length > 0 ? cookieOf(plan.setCookie) : cookie;
        return { result, cookie: next, session };
      }
      const advance = (ms: number) => {
        now += ms;
      };
      return { sessions, users, passwords, auth, events, request, advance };
    }

    async function signedUp(auth: Auth, request: Awaited<ReturnType<typeof setup>>['request']) {
      return request('', (s) => auth.signUp(s, { email: 'alice@Example.COM', password: PASSWORD }));
    }

    it('signUp creates the user, signs in, and the next request knows who it is', async () => {
      const { auth, request } = await setup();
      const up = await signedUp(auth, request);
      assert.equal(up.result.email, 'alice@example.com', 'the domain is lower-cased');
      assert.equal('passwordHash' in up.result, false, 'no hash leaves the flows');
      assert.ok(up.cookie.length > 0);
      const me = await request(up.cookie, (s) => auth.currentUser(s));
      assert.equal(me.result?.id, up.result.id);
      assert.equal(me.session.userId, up.result.id);
      const record = auth.signInRecord(me.session);
      assert.equal(typeof record?.signedInAt, 'number');
      assert.deepEqual(Object.keys(me.session.data), [], 'nothing of auth in session.data');
    });

    it('signUp with a taken email fails with EMAIL_TAKEN after hashing all the same (S-46)', async () => {
      const { auth, request, passwords } = await setup();
      await signedUp(auth, request);
      const before = passwords.hashes;
      await assert.rejects(
        request('', (s) => auth.signUp(s, { email: 'alice@EXAMPLE.com', password: OTHER })),
        { code: 'EMAIL_TAKEN' },
      );
      assert.equal(passwords.hashes, before + 1);
    });

    it('signUp refuses a weak or common password and a malformed email with typed errors', async () => {
      const { auth, request } = await setup();
      await assert.rejects(
        request('', (s) => auth.signUp(s, { email: 'bob@example.com', password: 'short' })),
        { code: 'PASSWORD_POLICY', reason: 'too_short' },
      );
      await assert.rejects(
        request('', (s) => auth.signUp(s, { email: 'bob@example.com', password: 'iloveyou' })),
        { code: 'PASSWORD_POLICY', reason: 'common' },
      );
      await assert.rejects(
        request('', (s) =>
          auth.signUp(s, { email: 'bob@example.com', password: 'bob@example.com-x' }),
        ),
        { code: 'PASSWORD_POLICY', reason: 'contains_context' },
      );
      for (const email of ['not-an-email', '', ['a@b.c'], { toString: () => 'a@b.c' }, null]) {
        await assert.rejects(
          request('', (s) => auth.signUp(s, { email, password: PASSWORD })),
          { code: 'INVALID_EMAIL' },
          String(email),
        );
      }
      await assert.rejects(
        request('', (s) => auth.signUp(s, { email: 'bob@example.com', password: 12345678901 })),
        { code: 'PASSWORD_POLICY' },
      );
    });

    it('S-45 S-46 unknown email and wrong password fail alike, each after exactly one verification', async () => {
      const { auth, request, passwords, events } = await setup();
      await signedUp(auth, request);
      const attempts = [
        { email: 'alice@example.com', password: 'wrong password here' },
        { email: 'mallory@example.com', password: 'wrong password here' },
        { email: 'not an email', password: 'x' },
        { email: 42, password: undefined },
      ];
      const failures: { code: unknown; message: unknown; cookie: string }[] = [];
      for (const credentials of attempts) {
        const before = passwords.verifies;
        const session = await request('', () => undefined);
        const error = await auth.signIn(session.session, credentials).catch((e: unknown) => e);
        assert.equal(passwords.verifies, before + 1, JSON.stringify(credentials));
        const e = error as { code: unknown; message: unknown };
        failures.push({ code: e.code, message: e.message, cookie: session.cookie });
      }
      for (const failure of failures) assert.deepEqual(failure, failures[0]);
      assert.equal(failures[0]!.code, 'INVALID_CREDENTIALS');
      const reasons = events.filter((e) => e.type === 'auth.sign_in_failed').map((e) => e.reason);
      assert.deepEqual(reasons, [
        'wrong_password',
        'unknown_email',
        'unknown_email',
        'unknown_email',
      ]);
    });

    it('signIn with the right password binds the user under a new session id (S-05)', async () => {
      const { auth, request } = await setup();
      const up = await signedUp(auth, request);
      const guest = await request('', (s) => {
        s.data.cart = ['book'];
      });
      const signedIn = await request(guest.cookie, (s) =>
        auth.signIn(
          s,
          { email: ' alice@EXAMPLE.com ', password: PASSWORD },
          {
            address: '203.0.113.9',
            userAgent: 'Firefox',
          },
        ),
      );
      assert.equal(signedIn.result.id, up.result.id);
      assert.notEqual(signedIn.cookie, guest.cookie, 'a new cookie');
      const me = await request(signedIn.cookie, (s) => auth.currentUser(s));
      assert.equal(me.result?.id, up.result.id);
      assert.deepEqual(me.session.data.cart, ['book'], 'the guest data carries over');
      assert.equal(auth.signInRecord(me.session)?.address, '203.0.113.9');
      assert.equal(auth.signInRecord(me.session)?.userAgent, 'Firefox');
      const planted = await request(guest.cookie, (s) => auth.currentUser(s));
      assert.equal(planted.result, null, 'the pre-sign-in cookie is not signed in');
    });

    it('signOut ends the session; the cookie is expired', async () => {
      const { auth, request } = await setup();
      const up = await signedUp(auth, request);
      const out = await request(up.cookie, (s) => auth.signOut(s));
      assert.equal(out.cookie, '');
      const again = await request(up.cookie, (s) => auth.currentUser(s));
      if (mode === 'store') assert.equal(again.result, null, 'the record is gone');
      else
        assert.equal(
          again.result?.id,
          up.result.id,
          'documented: a copied sealed cookie still opens',
        );
    });

    it('S-12 signOutEverywhere: a saved copy of any cookie no longer authenticates', async () => {
      const { auth, request } = await setup();
      const up = await signedUp(auth, request);
      const laptop = await request('', (s) =>
        auth.signIn(s, { email: 'alice@example.com', password: PASSWORD }),
      );
      const ended = await request(up.cookie, (s) => auth.signOutEverywhere(s));
      assert.equal(ended.cookie, '');
      for (const cookie of [up.cookie, laptop.cookie]) {
        const me = await request(cookie, (s) => auth.currentUser(s));
        assert.equal(me.result, null);
        assert.equal(me.session.userId, null, 'the session was refused at load');
      }
    });

    it('signOutOthers keeps this session signed in and ends the others', async () => {
      const { auth, request } = await setup();
      const up = await signedUp(auth, request);
      const laptop = await request('', (s) =>
        auth.signIn(s, { email: 'alice@example.com', password: PASSWORD }),
      );
      const kept = await request(up.cookie, (s) => auth.signOutOthers(s));
      assert.equal(kept.result, mode === 'store' ? 1 : 0, 'records revoked on the server');
      assert.equal(
        (await request(kept.cookie, (s) => auth.currentUser(s))).result?.id,
        up.result.id,
      );
      assert.equal((await request(laptop.cookie, (s) => auth.currentUser(s))).result, null);
    });

    it('S-17 S-50 changePassword: needs the current password, signs out other devices, rotates this one', async () => {
      const { auth, request } = await setup({ throttle: 'memory' });
      const up = await signedUp(auth, request);
      const laptop = await request('', (s) =>
        auth.signIn(s, { email: 'alice@example.com', password: PASSWORD }),
      );
      for (const missing of [undefined, '', 42]) {
        await assert.rejects(
          request(up.cookie, (s) =>
            auth.changePassword(s, { currentPassword: missing, newPassword: OTHER }),
          ),
          { code: 'CURRENT_PASSWORD_REQUIRED', name: 'CurrentPasswordRequiredError' },
        );
      }
      await assert.rejects(
        request(up.cookie, (s) =>
          auth.changePassword(s, { currentPassword: 'wrong one entirely', newPassword: OTHER }),
        ),
        { code: 'INVALID_CREDENTIALS' },
      );
      await assert.rejects(
        request(up.cookie, (s) =>
          auth.changePassword(s, { currentPassword: PASSWORD, newPassword: 'short' }),
        ),
        { code: 'PASSWORD_POLICY' },
      );
      const changed = await request(up.cookie, (s) =>
        auth.changePassword(s, { currentPassword: PASSWORD, newPassword: OTHER }),
      );
      assert.notEqual(changed.cookie, up.cookie, 'this session got a new id');
      assert.equal(
        (await request(changed.cookie, (s) => auth.currentUser(s))).result?.id,
        up.result.id,
      );
      assert.equal((await request(laptop.cookie, (s) => auth.currentUser(s))).result, null);
      assert.equal((await request(up.cookie, (s) => auth.currentUser(s))).result, null);
      await assert.rejects(
        request('', (s) => auth.signIn(s, { email: 'alice@example.com', password: PASSWORD })),
        { code: 'INVALID_CREDENTIALS' },
      );
      await request('', (s) => auth.signIn(s, { email: 'alice@example.com', password: OTHER }));
    });

    it('S-17 a wrong current password counts as a failed sign-in: the throttle trips', async () => {
      const { auth, request } = await setup({ throttle: 'memory' });
      const up = await signedUp(auth, request);
      for (let i = 0; i < 3; i++) {
        await assert.rejects(
          request(up.cookie, (s) =>
            auth.changePassword(s, { currentPassword: `wrong ${i} password`, newPassword: OTHER }),
          ),
          { code: 'INVALID_CREDENTIALS' },
        );
      }
      await assert.rejects(
        request(up.cookie, (s) =>
          auth.changePassword(s, { currentPassword: PASSWORD, newPassword: OTHER }),
        ),
        { code: 'TOO_MANY_ATTEMPTS' },
      );
    });

    it('S-53 throttled sign-in: also for unknown emails, and it recovers after the window', async () => {
      const { auth, request, advance, events } = await setup({ throttle: 'memory' });
      await signedUp(auth, request);
      for (const email of ['alice@example.com', 'mallory@example.com']) {
        for (let i = 0; i < 3; i++) {
          await assert.rejects(
            request('', (s) => auth.signIn(s, { email, password: 'wrong password!!' })),
            { code: 'INVALID_CREDENTIALS' },
          );
        }
        const error = await request('', (s) => auth.signIn(s, { email, password: PASSWORD })).catch(
          (e: unknown) => e as { code: string; retryAfterSeconds: number },
        );
        assert.equal((error as { code: string }).code, 'TOO_MANY_ATTEMPTS', email);
        assert.ok((error as { retryAfterSeconds: number }).retryAfterSeconds >= 1);
      }
      assert.ok(events.some((e) => e.type === 'auth.throttled'));
      advance(61_000);
      await request('', (s) => auth.signIn(s, { email: 'alice@example.com', password: PASSWORD }));
    });

    it('S-13 a deleted user is signed out of every session at its next request', async () => {
      const { auth, request, users } = await setup();
      const up = await signedUp(auth, request);
      assert.equal(await users.delete(up.result.id), true);
      const me = await request(up.cookie, (s) => auth.currentUser(s));
      assert.equal(me.result, null);
      assert.equal(me.session.userId, null);
    });

    it('deleteAccount checks the password, then deletes the user and ends the session', async () => {
      const { auth, request, users } = await setup();
      const up = await signedUp(auth, request);
      await assert.rejects(
        request(up.cookie, (s) => auth.deleteAccount(s, 'not my password')),
        { code: 'INVALID_CREDENTIALS' },
      );
      await assert.rejects(
        request(up.cookie, (s) => auth.deleteAccount(s, undefined)),
        { code: 'CURRENT_PASSWORD_REQUIRED' },
      );
      const done = await request(up.cookie, (s) => auth.deleteAccount(s, PASSWORD));
      assert.equal(done.cookie, '');
      assert.equal(await users.findById(up.result.id), null);
    });

    it('an outdated hash is upgraded at the next sign-in', async () => {
      const { auth, request, users } = await setup();
      const weak = await scryptHasher({ ln: 6 }).hash(PASSWORD);
      const user = await users.create({ email: 'old@example.com', passwordHash: weak });
      await request('', (s) => auth.signIn(s, { email: 'old@example.com', password: PASSWORD }));
      const after = await users.findById(user.id);
      assert.notEqual(after?.passwordHash, weak);
      assert.match(after!.passwordHash, /^\$scrypt\$ln=10,/);
    });

    it('account operations without a signed-in user fail with NOT_SIGNED_IN', async () => {
      const { auth, request } = await setup();
      const guest = await request('', () => undefined);
      const operations: ((s: Session<Data>) => Promise<unknown>)[] = [
        (s: Session<Data>) =>
          auth.changePassword(s, { currentPassword: PASSWORD, newPassword: OTHER }),
        (s: Session<Data>) => auth.listSessions(s),
        (s: Session<Data>) => auth.signOutEverywhere(s),
        (s: Session<Data>) => auth.signOutOthers(s),
        (s: Session<Data>) => auth.revokeSession(s, 'x'),
      ];
      for (const run of operations) {
        await assert.rejects(request(guest.cookie, run), { code: 'NOT_SIGNED_IN' });
      }
      assert.equal((await request(guest.cookie, (s) => auth.currentUser(s))).result, null);
    });

    it('S-14 listSessions and revokeSession act on the user’s own sessions only', async () => {
      const { auth, request } = await setup();
      const up = await signedUp(auth, request);
      const laptop = await request('', (s) =>
        auth.signIn(s, { email: 'alice@example.com', password: PASSWORD }),
      );
      if (mode === 'cookie') {
        await assert.rejects(
          request(up.cookie, (s) => auth.listSessions(s)),
          { code: 'NOT_SUPPORTED' },
        );
        return;
      }
      const listed = await request(up.cookie, (s) => auth.listSessions(s));
      assert.equal(listed.result.length, 2);
      assert.equal(listed.result.filter((s) => s.current).length, 1);
      const other = listed.result.find((s) => !s.current)!;
      const bob = await request('', (s) =>
        auth.signUp(s, { email: 'bob@example.com', password: OTHER }),
      );
      assert.equal(
        (await request(bob.cookie, (s) => auth.revokeSession(s, other.handle))).result,
        false,
      );
      assert.equal(
        (await request(laptop.cookie, (s) => auth.currentUser(s))).result?.id,
        up.result.id,
      );
      assert.equal(
        (await request(up.cookie, (s) => auth.revokeSession(s, other.handle))).result,
        true,
      );
      assert.equal((await request(laptop.cookie, (s) => auth.currentUser(s))).result, null);
    });

    it('no event carries a password or a hash', async () => {
      const { auth, request, events } = await setup();
      await signedUp(auth, request);
      await request('', (s) =>
        auth.signIn(s, { email: 'alice@example.com', password: 'wrong password here' }),
      ).catch(() => {});
      const text = JSON.stringify(events, (_key, value) =>
        value instanceof Error ? value.message : value,
      );
      assert.doesNotMatch(text, /correct horse|wrong password|\$scrypt\$/);
      assert.ok(events.some((e) => e.type === 'auth.signed_up'));
      assert.ok(events.some((e) => e.type === 'auth.signed_in'));
    });
  });
}

describe('createAuth options', { timeout: 60_000 }, () => {
  it('refuses what is not an engine, a repository or a throttle', () => {
    const sessions = new SessionEngine({ secrets: [secret()] });
    const users = memoryUsers();
    assert.throws(() => createAuth({ sessions: {} as never, users, throttle: false }), {
      code: 'INVALID_OPTIONS',
    });
    assert.throws(() => createAuth({ sessions, users: {} as never, throttle: false }), {
      code: 'INVALID_OPTIONS',
    });
    assert.throws(() => createAuth({ sessions, users, throttle: {} as never }), {
      code: 'INVALID_OPTIONS',
    });
    createAuth({ sessions, users }); // the default throttle: in memory
  });
});

describe('S-16 maxSessionsPerUser', { timeout: 60_000 }, () => {
  it('a sign-in beyond the limit revokes the oldest sessions; the newest stay', async () => {
    let now = Date.UTC(2026, 11, 1);
    const sessions = new SessionEngine<Data>({
      secrets: [secret()],
      store: new MemoryStore({ clock: () => now }),
      clock: () => now,
    });
    const passwords = await createPasswordHasher({ algorithm: 'scrypt', scrypt: { ln: 10 } });
    const auth = createAuth({
      sessions,
      users: memoryUsers(),
      passwords,
      throttle: false,
      maxSessionsPerUser: 2,
    });
    const signIn = async (up: boolean): Promise<string> => {
      now += 1000;
      const session = await sessions.load({ cookieHeader: undefined, secure: false });
      const credentials = { email: 'max@example.com', password: PASSWORD };
      if (up) await auth.signUp(session, credentials);
      else await auth.signIn(session, credentials);
      const plan = sessions.commit(session);
      await plan.pending;
      return cookieOf(plan.setCookie);
    };
    const user = async (cookie: string) =>
      auth.currentUser(await sessions.load({ cookieHeader: cookie, secure: false }));
    const first = await signIn(true);
    const second = await signIn(false);
    assert.notEqual(await user(first), null, 'two sessions fit');
    const third = await signIn(false);
    assert.equal(await user(first), null, 'the oldest was revoked');
    assert.notEqual(await user(second), null);
    assert.notEqual(await user(third), null);
  });

  it('is refused where sessions cannot be listed (plain cookie mode), and must be >= 1', () => {
    const users = memoryUsers();
    assert.throws(
      () =>
        createAuth({
          sessions: new SessionEngine({ secrets: [secret()] }),
          users,
          maxSessionsPerUser: 3,
        }),
      { code: 'INVALID_OPTIONS', message: /registry/ },
    );
    assert.throws(
      () =>
        createAuth({
          sessions: new SessionEngine({ secrets: [secret()], store: new MemoryStore() }),
          users,
          maxSessionsPerUser: 0,
        }),
      { code: 'INVALID_OPTIONS' },
    );
  });
});

describe('S-51 peppers in the flows', { timeout: 60_000 }, () => {
  it('after a pepper rotation, sign-in rehashes under the newest pepper (auth.password_rehashed)', async () => {
    const events: TesseraEvent[] = [];
    const sessions = new SessionEngine<Data>({
      secrets: [secret()],
      onEvent: (event) => events.push(event),
    });
    const users = memoryUsers();
    const [older, newer] = [secret(), secret()];
    const cheap = { algorithm: 'scrypt', scrypt: { ln: 10 } } as const;
    const credentials = { email: 'pepper@example.com', password: PASSWORD };
    const load = () => sessions.load({ cookieHeader: undefined, secure: false });
    const before = createAuth({
      sessions,
      users,
      throttle: false,
      passwords: createPasswordHasher({ ...cheap, peppers: [older] }),
    });
    const user = await before.signUp(await load(), credentials);
    const hashBefore = (await users.findById(user.id))?.passwordHash ?? '';
    const after = createAuth({
      sessions,
      users,
      throttle: false,
      passwords: createPasswordHasher({ ...cheap, peppers: [newer, older] }),
    });
    await after.signIn(await load(), credentials);
    const hashAfter = (await users.findById(user.id))?.passwordHash ?? '';
    assert.notEqual(hashAfter, hashBefore);
    assert.equal(events.filter((e) => e.type === 'auth.password_rehashed').length, 1);
    const newerOnly = createAuth({
      sessions,
      users,
      throttle: false,
      passwords: createPasswordHasher({ ...cheap, peppers: [newer] }),
    });
    assert.equal((await newerOnly.signIn(await load(), credentials)).id, user.id);
  });
});
