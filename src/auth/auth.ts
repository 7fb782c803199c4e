/**
 * `createAuth()`: sign-up, sign-in, sign-out, the current user, password change and a
 * user's sessions, on top of one session engine and one user repository. Every flow
 * takes the request's `Session` (whatever the framework) and changes it; the adapter
 * commits it as usual, so the flows are the same on every adapter and in both modes.
 */
import { randomBytes } from 'node:crypto';
import {
  CurrentPasswordRequiredError,
  ErrorCode,
  InvalidCredentialsError,
  InvalidOptionsError,
  isEmailTakenError,
  isTesseraError,
  NotSignedInError,
  PasswordPolicyError,
} from '../errors.js';
import { ADD_VALIDATOR, type SessionEngine, type UserSessionInfo } from '../session/engine.js';
import type { Session } from '../session/session.js';
import { readSignIn, type SignInRecord, writeSignIn } from './binding.js';
import {
  type EnumerationProtection,
  enumerationSettings,
  type SignUpAttempt,
  type SignUpAttemptHook,
  type SignUpResult,
} from './enumeration.js';
import type { SignInFailureReason } from './events.js';
import { defaultHasher, type Passwords } from './password/create.js';
import { checkPasswordPolicy, type PasswordPolicyOptions } from './password/policy.js';
import { type AttemptIdentity, createThrottle, type Throttle } from './throttle/throttle.js';
import type { UserRecord, UserRepository } from './users/contract.js';
import { normalizeEmail } from './users/email.js';

/** A signed-in user as the flows return it: the record without its password hash. */
export type AuthUser = Omit<UserRecord, 'passwordHash'>;

/** What the flows know about the request, for throttling, events and the device list. */
export interface AuthRequest {
  /** The client's address (see `clientAddress` for proxies). */
  readonly address?: string | null | undefined;
  readonly userAgent?: string | null | undefined;
}

/** Options of {@link createAuth}. */
export interface AuthOptions<M extends EnumerationProtection = 'standard'> {
  /** The session engine of the application (either mode). */
  readonly sessions: SessionEngine<object>;
  /** Where users live. */
  readonly users: UserRepository;
  /** The password hasher. @default the process-wide `defaultHasher()` */
  readonly passwords?: Passwords | Promise<Passwords> | undefined;
  /** Rules for new passwords (sign-up, password change). The email is always context. */
  readonly passwordPolicy?: PasswordPolicyOptions | undefined;
  /**
   * Throttling of sign-in and password-confirmation attempts, per account and per client
   * address (S-53). `false` turns it off (only behind another limiter that does the same).
   * @default createThrottle({ kernel: sessions.kernel }) (in memory: one process)
   */
  readonly throttle?: Throttle | false | undefined;
  /**
   * Most sessions a user may have at once (S-16): a sign-in beyond it revokes the user's
   * oldest sessions, so the newest `maxSessionsPerUser` stay. Needs sessions the server
   * can list: store mode, or cookie mode with a `registry`.
   * @default unlimited
   */
  readonly maxSessionsPerUser?: number | undefined;
  /**
   * What sign-up may reveal about which emails have accounts (S-47). `standard`: a
   * taken email fails with `EMAIL_TAKEN` (409), a new one is signed in. `strict`: both
   * get the same answer (`signUp` resolves to `undefined`, signs nobody in, never fails
   * with `EMAIL_TAKEN`), and `onSignUpAttempt`, then required, tells the application
   * which it was, so it can write to the address. Both modes spend the same hash on a
   * taken email (S-46).
   * @default 'standard'
   */
  readonly enumerationProtection?: M | undefined;
  /**
   * Told of every sign-up that passed the email and password checks: `created` (with the
   * user) or `exists`. Awaited; its error is `signUp`'s. Required in strict mode.
   */
  readonly onSignUpAttempt?: SignUpAttemptHook | undefined;
}

/** Credentials of sign-in and sign-up. */
export interface Credentials {
  readonly email: unknown;
  readonly password: unknown;
}

/** Options of {@link Auth.signUp}. */
export interface SignUpOptions {
  /**
   * Sign the new user in on this session. Strict enumeration protection never signs in
   * at sign-up (that would tell a new email from a taken one) and refuses `true`.
   * @default true, and false in strict mode
   */
  readonly signIn?: boolean;
}

/**
 * The authentication flows. `M` is the `enumerationProtection` they were made with,
 * which decides what `signUp` resolves to.
 */
export interface Auth<M extends EnumerationProtection = 'standard'> {
  /**
   * Creates a user (email normalized, password checked against the policy and hashed)
   * and, unless `signIn: false`, signs them in on `session`. In strict mode
   * (`enumerationProtection: 'strict'`) it resolves to `undefined` whether the email was
   * new or taken, and signs nobody in; `onSignUpAttempt` is told which.
   * @throws {InvalidEmailError} {@link PasswordPolicyError} {@link EmailTakenError} (not
   * in strict mode), `PasswordHasherBusyError`, and the repository's errors.
   */
  signUp(
    session: Session<object>,
    credentials: Credentials,
    request?: AuthRequest,
    options?: SignUpOptions,
  ): Promise<SignUpResult<M>>;
  /**
   * Signs a user in on `session`: a new session id (S-05), bound to the user, with the
   * sign-in time, address and user agent. An unknown email costs the same hash as a
   * wrong password and fails with the same error (S-45, S-46).
   * @throws {InvalidCredentialsError} {@link TooManyAttemptsError} `PasswordHasherBusyError`
   */
  signIn(
    session: Session<object>,
    credentials: Credentials,
    request?: AuthRequest,
  ): Promise<AuthUser>;
  /**
   * Ends the session: destroyed on the server, cookie expired at commit. Works on the
   * read-only guest a store outage gives (`onStoreError: 'guest'`): the cookie is
   * expired anyway and `session.revoke_failed` reports the record left behind.
   */
  signOut(session: Session<object>): void;
  /**
   * The user `session` is signed in as, or `null`. The session was checked when it was
   * loaded (the user still exists, its session generation is the one signed in under),
   * so this costs no look-up.
   */
  currentUser(session: Session<object>): Promise<AuthUser | null>;
  /** When and from where the session's user signed in, or `null` for a guest. */
  signInRecord(session: Session<object>): SignInRecord | null;
  /**
   * Changes the signed-in user's password: the current one must be given (else a
   * `CurrentPasswordRequiredError`, answered 400) and match (a wrong one counts as a
   * failed sign-in, S-17); the new one passes the policy. Every other
   * session of the user ends (S-12, S-50) and this one gets a new id. Resolves to the
   * number of other sessions revoked on the server.
   */
  changePassword(
    session: Session<object>,
    passwords: { readonly currentPassword: unknown; readonly newPassword: unknown },
    request?: AuthRequest,
  ): Promise<number>;
  /** The signed-in user's sessions, newest first, this one marked `current` (S-14). */
  listSessions(session: Session<object>): Promise<UserSessionInfo[]>;
  /** Revokes one of the signed-in user's sessions by its `handle`; false if none. */
  revokeSession(session: Session<object>, handle: string): Promise<boolean>;
  /** Ends every session of the user, this one included. Resolves to how many the store held. */
  signOutEverywhere(session: Session<object>): Promise<number>;
  /** Ends every other session of the user; this one stays signed in. */
  signOutOthers(session: Session<object>): Promise<number>;
  /**
   * Deletes the signed-in user after checking the password (missing: a
   * `CurrentPasswordRequiredError`; wrong: a failed sign-in), and ends all their
   * sessions (S-13).
   */
  deleteAccount(session: Session<object>, password: unknown, request?: AuthRequest): Promise<void>;
}

/** Builds the authentication flows for one session engine and one user repository. */
export function createAuth<M extends EnumerationProtection = 'standard'>(
  options: AuthOptions<M>,
): Auth<M> {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionsError('createAuth needs { sessions, users, throttle }');
  }
  const { sessions, users } = options;
  if (sessions === null || typeof sessions !== 'object' || !(ADD_VALIDATOR in sessions)) {
    throw new InvalidOptionsError('createAuth: `sessions` must be a SessionEngine');
  }
  for (const method of ['findById', 'findByEmail', 'create', 'updatePasswordHash'] as const) {
    if (typeof users?.[method] !== 'function') {
      throw new InvalidOptionsError(
        `createAuth: \`users\` must be a UserRepository (no ${method})`,
      );
    }
  }
  const kernel = sessions.kernel;
  const throttle =
    options.throttle === false ? null : (options.throttle ?? createThrottle({ kernel }));
  if (throttle !== null && typeof throttle.check !== 'function') {
    throw new InvalidOptionsError('createAuth: `throttle` must come from createThrottle()');
  }
  const policy = options.passwordPolicy ?? {};
  const maxSessions = options.maxSessionsPerUser;
  if (maxSessions !== undefined) {
    if (!Number.isSafeInteger(maxSessions) || maxSessions < 1) {
      throw new InvalidOptionsError('createAuth: maxSessionsPerUser must be an integer >= 1');
    }
    const store = kernel.store;
    if (store?.listByUser === undefined || store.destroyByUser === undefined) {
      throw new InvalidOptionsError(
        'createAuth: maxSessionsPerUser needs a store that lists sessions by user (store mode, or cookie mode with a registry)',
      );
    }
  }
  const { strict, onSignUpAttempt } = enumerationSettings(options);
  const events = kernel.events;
  let passwords: Promise<Passwords> | undefined;
  const hasher = (): Promise<Passwords> => {
    passwords ??= Promise.resolve(options.passwords ?? defaultHasher());
    return passwords;
  };
  // S-46: an unknown email is verified against a hash made with the current parameters.
  let dummy: Promise<string> | undefined;
  const dummyHash = (): Promise<string> => {
    dummy ??= hasher().then((h) => h.hash(randomBytes(24).toString('base64url')));
    dummy.catch(() => {
      dummy = undefined;
    });
    return dummy;
  };

  /** Users checked at load (or signed in during this request), so currentUser is free. */
  const verified = new WeakMap<Session<object>, UserRecord>();

  sessions[ADD_VALIDATOR](async (session) => {
    const record = readSignIn(session);
    if (record === null) return true;
    const userId = session.userId;
    if (userId === null) return false;
    const user = await users.findById(userId);
    if (user === null || user.sessionGeneration !== record.generation) return false;
    verified.set(session, user);
    return true;
  });

  function bind(session: Session<object>, user: UserRecord, request: AuthRequest | undefined) {
    session.regenerate();
    session.setUser(user.id);
    writeSignIn(session, {
      generation: user.sessionGeneration,
      signedInAt: kernel.clock(),
      address: request?.address ?? null,
      userAgent: request?.userAgent ?? null,
    });
    verified.set(session, user);
  }

  function attemptOf(account: string, request: AuthRequest | undefined): AttemptIdentity {
    const address = request?.address;
    return { account, address: typeof address === 'string' ? address : undefined };
  }

  /** Counts the attempt (as failed until `succeeded`), or refuses it while throttled. */
  async function admit(attempt: AttemptIdentity): Promise<void> {
    if (throttle !== null) await throttle.check(attempt);
  }

  function refuse(
    attempt: AttemptIdentity,
    reason: SignInFailureReason,
    userId: string | null,
  ): never {
    events.emit({
      type: 'auth.sign_in_failed',
      reason,
      userId,
      address: attempt.address ?? null,
    });
    throw new InvalidCredentialsError();
  }

  /** The signed-in user, re-read, or NotSignedInError. */
  async function requireUser(session: Session<object>, operation: string): Promise<UserRecord> {
    const cached = verified.get(session);
    const userId = session.userId;
    if (userId === null || readSignIn(session) === null) throw new NotSignedInError(operation);
    const user = cached ?? (await users.findById(userId));
    if (user === null) throw new NotSignedInError(operation);
    return user;
  }

  /** Revokes the user's other sessions where the store indexes them; 0 where it cannot. */
  async function revokeOthers(userId: string, except: Session<object> | null): Promise<number> {
    try {
      return await sessions.revokeUserSessions(userId, except === null ? undefined : { except });
    } catch (error) {
      // Plain cookie mode: the generation bump already ends the other sessions.
      if (isTesseraError(error) && error.code === ErrorCode.NOT_SUPPORTED) return 0;
      throw error;
    }
  }

  /** S-16: revokes the user's oldest sessions beyond the limit, this one counted. */
  async function enforceSessionLimit(userId: string, session: Session<object>): Promise<void> {
    if (maxSessions === undefined) return;
    const others = (await sessions.listSessions(userId, { current: session })).filter(
      (info) => !info.current,
    );
    // Newest first: keep maxSessions - 1 besides the one signing in now.
    const excess = others.slice(maxSessions - 1);
    let count = 0;
    for (const info of excess) {
      if (await sessions.revokeSession(userId, info.handle)) count++;
    }
    if (count > 0) {
      events.emit({ type: 'auth.session_revoked', userId, scope: 'limit', count });
    }
  }

  async function bumpGeneration(user: UserRecord, operation: string): Promise<UserRecord> {
    const generation = await users.bumpSessionGeneration(user.id);
    if (generation === null) throw new NotSignedInError(operation);
    return { ...user, sessionGeneration: generation };
  }

  async function checkNewPassword(password: unknown, email: string): Promise<string> {
    if (typeof password !== 'string') {
      throw new PasswordPolicyError('too_short', 'a password is required');
    }
    await checkPasswordPolicy(password, {
      ...policy,
      context: [...(policy.context ?? []), email],
    });
    return password;
  }

  /** Creates the user, or reports that the email is taken; tells the hook either way. */
  async function createUser(credentials: Credentials): Promise<UserRecord | null> {
    const email = normalizeEmail(credentials?.email as string);
    const password = await checkNewPassword(credentials?.password, email);
    // Hashed before the look-up that may fail: a taken email costs the same (S-46).
    const passwordHash = await (await hasher()).hash(password);
    let user: UserRecord | null;
    try {
      user = await users.create({ email, passwordHash });
    } catch (error) {
      // The repository's unique index decides, so two sign-ups racing for one email are
      // one `created` and one `exists`, the same as two in turn.
      if (!isEmailTakenError(error)) throw error;
      await onSignUpAttempt?.({ outcome: 'exists', email });
      if (!strict) throw error;
      return null;
    }
    events.emit({ type: 'auth.signed_up', userId: user.id });
    const attempt: SignUpAttempt = { outcome: 'created', email, user: publicUser(user) };
    await onSignUpAttempt?.(attempt);
    return user;
  }

  return {
    async signUp(session, credentials, request, signUpOptions) {
      if (strict && signUpOptions?.signIn === true) {
        throw new InvalidOptionsError(
          "signUp: signIn: true is refused with enumerationProtection 'strict' (it would tell a new email from a taken one)",
        );
      }
      const user = await createUser(credentials);
      if (strict || user === null) return undefined as SignUpResult<M>;
      if (signUpOptions?.signIn !== false) {
        bind(session, user, request);
        events.emit({ type: 'auth.signed_in', userId: user.id, address: request?.address ?? null });
      }
      return publicUser(user) as SignUpResult<M>;
    },

    async signIn(session, credentials, request) {
      const rawEmail = credentials?.email;
      const password = credentials?.password;
      let email: string | null = null;
      try {
        email = normalizeEmail(rawEmail as string);
      } catch {
        email = null;
      }
      const attempt = attemptOf(
        email ?? (typeof rawEmail === 'string' ? rawEmail.slice(0, 320) : ''),
        request,
      );
      await admit(attempt);
      const h = await hasher();
      const user = email === null ? null : await users.findByEmail(email);
      if (user === null || typeof password !== 'string') {
        // The same work as a wrong password: one verification against a real hash.
        await h.verify(await dummyHash(), typeof password === 'string' ? password : '');
        return refuse(
          attempt,
          user === null ? 'unknown_email' : 'wrong_password',
          user?.id ?? null,
        );
      }
      const result = await h.verifyAndUpgrade(user.passwordHash, password);
      if (!result.ok) return refuse(attempt, 'wrong_password', user.id);
      let signedIn = user;
      if (result.newHash !== undefined) {
        if (await users.updatePasswordHash(user.id, result.newHash)) {
          signedIn = { ...user, passwordHash: result.newHash };
          events.emit({ type: 'auth.password_rehashed', userId: user.id });
        }
      }
      await throttle?.succeeded(attempt);
      await enforceSessionLimit(user.id, session);
      bind(session, signedIn, request);
      events.emit({ type: 'auth.signed_in', userId: user.id, address: attempt.address ?? null });
      return publicUser(signedIn);
    },

    signOut(session) {
      const userId = session.userId;
      session.destroy();
      verified.delete(session);
      events.emit({ type: 'auth.signed_out', userId });
    },

    async currentUser(session) {
      const cached = verified.get(session);
      if (cached !== undefined && session.userId === cached.id) return publicUser(cached);
      if (session.userId === null || readSignIn(session) === null) return null;
      const user = await users.findById(session.userId);
      const record = readSignIn(session);
      if (user === null || record === null || user.sessionGeneration !== record.generation) {
        return null;
      }
      verified.set(session, user);
      return publicUser(user);
    },

    signInRecord(session) {
      return session.userId === null ? null : readSignIn(session);
    },

    async changePassword(session, change, request) {
      const user = await requireUser(session, 'changePassword');
      const current = change?.currentPassword;
      if (typeof current !== 'string' || current === '') {
        throw new CurrentPasswordRequiredError('changePassword');
      }
      const attempt = attemptOf(user.email, request);
      await admit(attempt);
      const h = await hasher();
      if (!(await h.verify(user.passwordHash, current))) {
        return refuse(attempt, 'wrong_password', user.id);
      }
      await throttle?.succeeded(attempt);
      const password = await checkNewPassword(change?.newPassword, user.email);
      const passwordHash = await h.hash(password);
      if (!(await users.updatePasswordHash(user.id, passwordHash))) {
        throw new NotSignedInError('changePassword');
      }
      const updated = await bumpGeneration({ ...user, passwordHash }, 'changePassword');
      const revoked = await revokeOthers(user.id, session);
      bind(session, updated, request);
      events.emit({
        type: 'auth.password_changed',
        userId: user.id,
        otherSessionsRevoked: revoked,
      });
      return revoked;
    },

    async listSessions(session) {
      const user = await requireUser(session, 'listSessions');
      return sessions.listSessions(user.id, { current: session });
    },

    async revokeSession(session, handle) {
      const user = await requireUser(session, 'revokeSession');
      const revoked = await sessions.revokeSession(user.id, handle);
      if (revoked)
        events.emit({ type: 'auth.session_revoked', userId: user.id, scope: 'one', count: 1 });
      return revoked;
    },

    async signOutEverywhere(session) {
      const user = await requireUser(session, 'signOutEverywhere');
      await bumpGeneration(user, 'signOutEverywhere');
      const count = await revokeOthers(user.id, null);
      session.destroy();
      verified.delete(session);
      events.emit({ type: 'auth.session_revoked', userId: user.id, scope: 'all', count });
      return count;
    },

    async signOutOthers(session) {
      const user = await requireUser(session, 'signOutOthers');
      const updated = await bumpGeneration(user, 'signOutOthers');
      const count = await revokeOthers(user.id, session);
      const record = readSignIn(session);
      writeSignIn(session, {
        generation: updated.sessionGeneration,
        signedInAt: record?.signedInAt ?? kernel.clock(),
        address: record?.address ?? null,
        userAgent: record?.userAgent ?? null,
      });
      verified.set(session, updated);
      events.emit({ type: 'auth.session_revoked', userId: user.id, scope: 'others', count });
      return count;
    },

    async deleteAccount(session, password, request) {
      const user = await requireUser(session, 'deleteAccount');
      if (typeof password !== 'string' || password === '') {
        throw new CurrentPasswordRequiredError('deleteAccount');
      }
      const attempt = attemptOf(user.email, request);
      await admit(attempt);
      const h = await hasher();
      if (!(await h.verify(user.passwordHash, password))) {
        return refuse(attempt, 'wrong_password', user.id);
      }
      await throttle?.succeeded(attempt);
      await users.delete(user.id);
      await revokeOthers(user.id, null);
      session.destroy();
      verified.delete(session);
      events.emit({ type: 'auth.signed_out', userId: user.id });
    },
  };
}

function publicUser(user: UserRecord): AuthUser {
  const { passwordHash: _, ...rest } = user;
  return rest;
}
