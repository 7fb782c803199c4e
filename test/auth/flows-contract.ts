/**
 * The authentication flows over real HTTP, one contract for every adapter. Each adapter's
 * test builds the same small JSON API (the routes of {@link apiRoutes}, errors thrown to
 * the framework's own error path) plus a protected page, and calls {@link runFlowsContract}
 * and {@link runProtectionContract}; the suites play browsers with cookie jars, and an
 * attacker who keeps copies of cookies or forges them.
 *
 * Routes:
 *   POST   /api/sign-up              {email, password} -> 201 {user}
 *   POST   /api/sign-in              {email, password} -> {user}
 *   POST   /api/sign-out             -> {ok}
 *   GET    /api/me                   -> {user | null, visited}
 *   POST   /api/visit                a guest writes its session (the pre-sign-in cookie)
 *   POST   /api/password             {currentPassword, newPassword} -> {revoked}
 *   GET    /api/sessions             -> {sessions}
 *   DELETE /api/sessions/:handle     -> {revoked}
 *   POST   /api/sign-out-everywhere  -> {count}
 *   POST   /api/sign-out-others      -> {count}
 *   POST   /api/delete-account       {password} -> {ok}
 *   POST   /sign-in                  {email, password, returnTo} -> 303 to safeReturnTo(returnTo)
 *   GET    /dashboard, POST /dashboard  behind the adapter's requireUser -> PROTECTED_CONTENT
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { type Auth, type AuthRequest, createAuth } from '../../src/auth/auth.js';
import type { EnumerationProtection } from '../../src/auth/enumeration.js';
import { createPasswordHasher } from '../../src/auth/password/create.js';
import { safeReturnTo } from '../../src/auth/return-to.js';
import { createThrottle } from '../../src/auth/throttle/throttle.js';
import type { UserRepository } from '../../src/auth/users/contract.js';
import { memoryUsers } from '../../src/auth/users/memory.js';
import type { SessionEngine } from '../../src/session/engine.js';
import type { SessionOptions } from '../../src/session/options.js';
import type { Session } from '../../src/session/session.js';
import type { SessionStore } from '../../src/stores/contract.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import {
  CookieJar,
  FakeClock,
  newSecret,
  type TestResponse,
  type TestServer,
} from '../support/http.js';

/** What only a signed-in user may see. */
export const PROTECTED_CONTENT = 'PROTECTED-DASHBOARD-7f3a';

export const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'an entirely new passphrase';

/** What a route handler of {@link apiRoutes} gets from the adapter. */
export interface ApiInput {
  readonly session: Session<object>;
  readonly body: Record<string, unknown>;
  readonly params: { readonly handle?: string };
  readonly request: AuthRequest;
}

/** What it answers: JSON, or a `303` redirect. */
export type ApiResult =
  | { readonly status: number; readonly json: unknown }
  | { readonly redirect: string };

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Express-style path (`:handle` is a parameter). */
  readonly path: string;
  run(input: ApiInput): Promise<ApiResult>;
}

const ok = (json: unknown, status = 200): ApiResult => ({ status, json });

/**
 * The JSON API every adapter's app serves: each route calls one flow and lets its error
 * propagate, so the adapter's error path decides the status.
 */
export function apiRoutes(auth: Auth<EnumerationProtection>): ApiRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/sign-up',
      run: async ({ session, body, request }) =>
        ok({ user: await auth.signUp(session, body as never, request) }, 201),
    },
    {
      method: 'POST',
      path: '/api/sign-in',
      run: async ({ session, body, request }) =>
        ok({ user: await auth.signIn(session, body as never, request) }),
    },
    {
      method: 'POST',
      path: '/sign-in',
      run: async ({ session, body, request }) => {
        await auth.signIn(session, body as never, request);
        return { redirect: safeReturnTo(body.returnTo) };
      },
    },
    {
      method: 'POST',
      path: '/api/sign-out',
      run: async ({ session }) => {
        auth.signOut(session);
        return ok({ ok: true });
      },
    },
    {
      method: 'GET',
      path: '/api/me',
      run: async ({ session }) =>
        ok({
          user: await auth.currentUser(session),
          visited: (session.data as { visited?: unknown }).visited === true,
        }),
    },
    {
      method: 'POST',
      path: '/api/visit',
      run: async ({ session }) => {
        (session.data as { visited?: unknown }).visited = true;
        return ok({ ok: true });
      },
    },
    {
      method: 'POST',
      path: '/api/password',
      run: async ({ session, body, request }) =>
        ok({ revoked: await auth.changePassword(session, body as never, request) }),
    },
    {
      method: 'GET',
      path: '/api/sessions',
      run: async ({ session }) => ok({ sessions: await auth.listSessions(session) }),
    },
    {
      method: 'DELETE',
      path: '/api/sessions/:handle',
      run: async ({ session, params }) =>
        ok({ revoked: await auth.revokeSession(session, params.handle ?? '') }),
    },
    {
      method: 'POST',
      path: '/api/sign-out-everywhere',
      run: async ({ session }) => ok({ count: await auth.signOutEverywhere(session) }),
    },
    {
      method: 'POST',
      path: '/api/sign-out-others',
      run: async ({ session }) => ok({ count: await auth.signOutOthers(session) }),
    },
    {
      method: 'POST',
      path: '/api/delete-account',
      run: async ({ session, body, request }) => {
        await auth.deleteAccount(session, body.password, request);
        return ok({ ok: true });
      },
    },
  ];
}

/** The route of `routes` for a method and path, with its parameters, for apps without a router. */
export function matchRoute(
  routes: readonly ApiRoute[],
  method: string,
  pathname: string,
): { route: ApiRoute; params: { handle?: string } } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    if (route.path === pathname) return { route, params: {} };
    const prefix = route.path.replace(/:handle$/, '');
    if (prefix !== route.path && pathname.startsWith(prefix)) {
      const rest = pathname.slice(prefix.length);
      if (rest !== '' && !rest.includes('/')) {
        return { route, params: { handle: decodeURIComponent(rest) } };
      }
    }
  }
  return null;
}

/** A JSON request body as the apps without a body parser read it: `{}` when it is not JSON. */
export function parseJsonBody(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** How an adapter's app is built: session options, and the flows on its engine. */
export interface AuthAppOptions {
  readonly sessionOptions: SessionOptions<object>;
  readonly auth: (engine: SessionEngine<object>) => Auth<EnumerationProtection>;
}

export type StartAuthApp = (options: AuthAppOptions) => Promise<TestServer>;

/** Where the users and sessions of one run live. */
export interface FlowsVariant {
  readonly name: string;
  /** `registry`: cookie mode with a registry store (sealed sessions revocable, S-11). */
  readonly mode: 'cookie' | 'store' | 'registry';
  readonly users: () => Promise<UserRepository> | UserRepository;
  /** The session store or registry (called after `users`). @default a MemoryStore */
  readonly store?: () => SessionStore;
  /** Releases what `users`/`store` opened. */
  readonly cleanup?: () => Promise<void>;
  readonly skip?: string | false;
}

/** The default matrix: in-memory users, cookie mode and store mode. */
export const MEMORY_VARIANTS: readonly FlowsVariant[] = [
  { name: 'cookie mode', mode: 'cookie', users: () => memoryUsers() },
  { name: 'store mode', mode: 'store', users: () => memoryUsers() },
  { name: 'cookie mode with a registry', mode: 'registry', users: () => memoryUsers() },
];

const hasher = createPasswordHasher({ algorithm: 'scrypt', scrypt: { ln: 10 } });

/** One app for one variant, with its clock, released in `after`. */
function useApp(start: StartAuthApp, variant: FlowsVariant) {
  const state = {} as { server: TestServer; clock: FakeClock; url: string };
  before(async () => {
    // From the real time on, so that stores reading their own clock agree; the tests
    // only move it forward (throttle waits).
    const clock = new FakeClock();
    clock.now = Date.now();
    const users = await variant.users();
    const store = variant.mode === 'cookie' ? undefined : (variant.store?.() ?? new MemoryStore());
    const server = await start({
      sessionOptions: {
        secrets: [newSecret()],
        clock: clock.read,
        ...(store === undefined ? {} : variant.mode === 'store' ? { store } : { registry: store }),
      },
      auth: (engine) =>
        createAuth({
          sessions: engine,
          users,
          passwords: hasher,
          // The suite's failures all come from 127.0.0.1: only per-account limits matter.
          throttle: createThrottle({ kernel: engine.kernel, perAddress: { limit: 10_000 } }),
        }),
    });
    Object.assign(state, { server, clock, url: server.url });
  });
  after(async () => {
    await state.server?.close();
    await variant.cleanup?.();
  });
  return state;
}

export const randomEmail = (): string => `user-${randomBytes(6).toString('hex')}@example.com`;

/** A browser talking to the JSON API. */
export class Browser {
  readonly jar = new CookieJar();
  constructor(readonly url: string) {}

  call(method: string, path: string, body?: unknown): Promise<TestResponse> {
    return this.jar.send(`${this.url}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  async signUp(email = randomEmail(), password = PASSWORD): Promise<string> {
    const res = await this.call('POST', '/api/sign-up', { email, password });
    assert.equal(res.status, 201, res.body);
    return email;
  }

  async signIn(email: string, password = PASSWORD): Promise<TestResponse> {
    return this.call('POST', '/api/sign-in', { email, password });
  }

  async me(): Promise<{ user: { email: string } | null; visited: boolean }> {
    const res = await this.call('GET', '/api/me');
    assert.equal(res.status, 200, res.body);
    return JSON.parse(res.body);
  }

  /** The `Cookie` header this browser sends now: what an attacker would copy. */
  copy(): string {
    const header = this.jar.header();
    assert.ok(header, 'the browser holds a cookie');
    return header;
  }

  /** A browser that holds exactly `cookie`. */
  static holding(url: string, cookie: string): Browser {
    const browser = new Browser(url);
    for (const pair of cookie.split('; ')) {
      const eq = pair.indexOf('=');
      browser.jar.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return browser;
  }
}

export const cookieNames = (lines: readonly string[]): string[] =>
  lines.map((line) => line.slice(0, line.indexOf('='))).sort();

/** Headers that may differ between two identical answers. */
export function comparable(headers: IncomingHttpHeaders): Record<string, unknown> {
  const { date: _date, 'set-cookie': _cookies, ...rest } = headers;
  return rest;
}

/** One cookie value with a character changed in its middle: a forgery. */
function tamper(cookie: string): string {
  return cookie
    .split('; ')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      const i = Math.floor(value.length / 2);
      const swapped = value[i] === 'A' ? 'B' : 'A';
      return `${pair.slice(0, eq)}=${value.slice(0, i)}${swapped}${value.slice(i + 1)}`;
    })
    .join('; ');
}

/** Every flow over HTTP, in each variant. */
export function runFlowsContract(
  name: string,
  start: StartAuthApp,
  variants: readonly FlowsVariant[] = MEMORY_VARIANTS,
): void {
  for (const variant of variants) {
    describe(`${name} auth flows, ${variant.name}`, {
      timeout: 120_000,
      skip: variant.skip ?? false,
    }, () => {
      const app = useApp(start, variant);
      /** Sessions are known to the server (a store, or a cookie-mode registry). */
      const store = variant.mode !== 'cookie';

      it('sign-up signs the user in: /api/me is the user; taken, invalid, weak answer 409/400/400', async () => {
        const browser = new Browser(app.url);
        const email = await browser.signUp();
        assert.equal((await browser.me()).user?.email, email);
        const other = new Browser(app.url);
        const taken = await other.call('POST', '/api/sign-up', { email, password: PASSWORD });
        assert.equal(taken.status, 409, taken.body);
        const invalid = await other.call('POST', '/api/sign-up', {
          email: 'not an email',
          password: PASSWORD,
        });
        assert.equal(invalid.status, 400, invalid.body);
        const weak = await other.call('POST', '/api/sign-up', {
          email: randomEmail(),
          password: 'x',
        });
        assert.equal(weak.status, 400, weak.body);
        assert.equal((await other.me()).user, null);
        assert.equal(taken.body.includes('hash'), false);
      });

      it('sign-in with the right password is the user; a thrown InvalidCredentialsError answers 401', async () => {
        const email = await new Browser(app.url).signUp();
        const browser = new Browser(app.url);
        const wrong = await browser.signIn(email, 'not the password at all');
        assert.equal(wrong.status, 401, wrong.body);
        const res = await browser.signIn(email);
        assert.equal(res.status, 200, res.body);
        assert.equal(JSON.parse(res.body).user.email, email);
        assert.equal(JSON.parse(res.body).user.passwordHash, undefined);
        assert.equal((await browser.me()).user?.email, email);
      });

      it('S-45 an unknown email and a wrong password answer identically (status, body, headers, cookie names)', async () => {
        const email = await new Browser(app.url).signUp();
        const unknown = await new Browser(app.url).signIn(randomEmail(), 'not the password at all');
        const wrong = await new Browser(app.url).signIn(email, 'not the password at all');
        assert.equal(unknown.status, 401);
        assert.equal(wrong.status, unknown.status);
        assert.equal(wrong.body, unknown.body);
        assert.deepEqual(comparable(wrong.headers), comparable(unknown.headers));
        assert.deepEqual(cookieNames(wrong.setCookie), cookieNames(unknown.setCookie));
        // The same from a browser that already holds a guest session.
        const guests = [new Browser(app.url), new Browser(app.url)];
        for (const guest of guests) await guest.call('POST', '/api/visit');
        const [a, b] = [
          await guests[0]!.signIn(randomEmail(), 'not the password at all'),
          await guests[1]!.signIn(email, 'not the password at all'),
        ];
        assert.equal(a.status, b.status);
        assert.equal(a.body, b.body);
        assert.deepEqual(comparable(a.headers), comparable(b.headers));
        assert.deepEqual(cookieNames(a.setCookie), cookieNames(b.setCookie));
      });

      it('S-05 sign-in issues a new cookie; the pre-sign-in cookie is useless afterwards', async () => {
        const email = await new Browser(app.url).signUp();
        const browser = new Browser(app.url);
        assert.equal((await browser.call('POST', '/api/visit')).status, 200);
        const before = browser.copy();
        assert.equal((await browser.me()).visited, true);
        const res = await browser.signIn(email);
        assert.equal(res.status, 200, res.body);
        const afterSignIn = browser.copy();
        assert.notEqual(afterSignIn, before);
        assert.equal((await browser.me()).user?.email, email);
        const replay = await Browser.holding(app.url, before).me();
        assert.equal(replay.user, null, 'the pre-sign-in cookie is a guest');
        // Store mode (and a registry): the pre-sign-in session is gone. Cookie mode: the
        // old cookie still opens (it is sealed, nothing on the server), but only as the
        // guest it was.
        assert.equal(replay.visited, !store);
      });

      it('S-10 S-11 sign-out expires the cookie; GET does not sign out; a replayed copy is a guest with a store or registry', async () => {
        const browser = new Browser(app.url);
        const signUp = await browser.call('POST', '/api/sign-up', {
          email: randomEmail(),
          password: PASSWORD,
        });
        assert.equal(signUp.status, 201, signUp.body);
        const email = (JSON.parse(signUp.body) as { user: { email: string } }).user.email;
        browser.jar.apply(signUp.setCookie);
        const issued = new Map(
          signUp.setCookie.map((line) => [line.slice(0, line.indexOf('=')), line]),
        );
        const copy = browser.copy();
        const get = await browser.call('GET', '/api/sign-out');
        assert.equal(get.status, 404);
        assert.equal((await browser.me()).user?.email, email);
        const res = await browser.call('POST', '/api/sign-out');
        assert.equal(res.status, 200, res.body);
        assert.ok(res.setCookie.length > 0, 'a deletion Set-Cookie');
        // The deletion has the issuing cookie's name and attributes, with Max-Age=0.
        const attributes = (line: string) =>
          line
            .split(';')
            .slice(1)
            .map((a) => a.trim().toLowerCase())
            .filter((a) => !a.startsWith('max-age=') && !a.startsWith('expires='))
            .sort();
        for (const line of res.setCookie) {
          assert.match(line, /max-age=0/i, line);
          const name = line.slice(0, line.indexOf('='));
          const original = issued.get(name);
          assert.ok(original, `${name} was issued at sign-up`);
          assert.deepEqual(attributes(line), attributes(original), name);
        }
        assert.match(String(res.headers['cache-control']), /no-store/);
        assert.equal(browser.jar.cookies.size, 0);
        assert.equal((await browser.me()).user, null);
        if (store) {
          assert.equal((await Browser.holding(app.url, copy).me()).user, null);
        }
      });

      it("S-12 after sign-out-everywhere no copy of the user's cookies authenticates (both modes)", async () => {
        const a = new Browser(app.url);
        const email = await a.signUp();
        const b = new Browser(app.url);
        assert.equal((await b.signIn(email)).status, 200);
        const copyA = a.copy();
        const copyB = b.copy();
        const res = await a.call('POST', '/api/sign-out-everywhere');
        assert.equal(res.status, 200, res.body);
        assert.equal((await a.me()).user, null);
        assert.equal((await b.me()).user, null);
        assert.equal((await Browser.holding(app.url, copyA).me()).user, null);
        assert.equal((await Browser.holding(app.url, copyB).me()).user, null);
        // Signing in again works.
        const again = new Browser(app.url);
        assert.equal((await again.signIn(email)).status, 200);
        assert.equal((await again.me()).user?.email, email);
      });

      it('S-14 sign-out-others ends every other session and old copies; this one stays signed in', async () => {
        const a = new Browser(app.url);
        const email = await a.signUp();
        const b = new Browser(app.url);
        assert.equal((await b.signIn(email)).status, 200);
        const copyA = a.copy();
        const copyB = b.copy();
        const res = await a.call('POST', '/api/sign-out-others');
        assert.equal(res.status, 200, res.body);
        assert.equal((await a.me()).user?.email, email);
        assert.equal((await b.me()).user, null);
        assert.equal((await Browser.holding(app.url, copyB).me()).user, null);
        // A copy taken before: in store mode the same session (its record now carries the
        // new generation); a sealed copy carries the old generation and is refused.
        const before = (await Browser.holding(app.url, copyA).me()).user;
        assert.equal(before?.email ?? null, variant.mode === 'store' ? email : null);
      });

      it('S-13 deleting the account (with the password) ends all its sessions; a wrong password is 401', async () => {
        const a = new Browser(app.url);
        const email = await a.signUp();
        const b = new Browser(app.url);
        assert.equal((await b.signIn(email)).status, 200);
        const copyA = a.copy();
        const wrong = await a.call('POST', '/api/delete-account', { password: 'not the password' });
        assert.equal(wrong.status, 401, wrong.body);
        assert.equal((await b.me()).user?.email, email);
        const res = await a.call('POST', '/api/delete-account', { password: PASSWORD });
        assert.equal(res.status, 200, res.body);
        assert.equal((await a.me()).user, null);
        assert.equal((await b.me()).user, null);
        assert.equal((await Browser.holding(app.url, copyA).me()).user, null);
        assert.equal((await new Browser(app.url).signIn(email)).status, 401);
        // The email is free again.
        assert.equal(
          (await new Browser(app.url).call('POST', '/api/sign-up', { email, password: PASSWORD }))
            .status,
          201,
        );
      });

      it('S-12 a password change ends the other sessions and old copies; this one continues with a new cookie', async () => {
        const a = new Browser(app.url);
        const email = await a.signUp();
        const b = new Browser(app.url);
        assert.equal((await b.signIn(email)).status, 200);
        const copyA = a.copy();
        const res = await a.call('POST', '/api/password', {
          currentPassword: PASSWORD,
          newPassword: NEW_PASSWORD,
        });
        assert.equal(res.status, 200, res.body);
        assert.notEqual(a.copy(), copyA, 'a new cookie');
        assert.equal((await a.me()).user?.email, email);
        assert.equal((await b.me()).user, null);
        assert.equal((await Browser.holding(app.url, copyA).me()).user, null);
        const old = await new Browser(app.url).signIn(email, PASSWORD);
        assert.equal(old.status, 401);
        assert.equal((await new Browser(app.url).signIn(email, NEW_PASSWORD)).status, 200);
      });

      it('S-17 a password change without the current password is 400 and not counted; a wrong one is 401 and counted by the throttle', async () => {
        const browser = new Browser(app.url);
        const email = await browser.signUp();
        const statuses: number[] = [];
        for (let i = 0; i < 8; i++) {
          const missing = await browser.call('POST', '/api/password', {
            newPassword: NEW_PASSWORD,
          });
          assert.equal(missing.status, 400, missing.body);
        }
        // The default throttle gives an account 5 free attempts: the requests without a
        // current password above took none of them.
        for (let i = 0; i < 6; i++) {
          const res = await browser.call('POST', '/api/password', {
            currentPassword: `wrong password ${i}`,
            newPassword: NEW_PASSWORD,
          });
          statuses.push(res.status);
          if (res.status === 429) {
            assert.match(String(res.headers['retry-after']), /^[1-9]\d*$/);
            break;
          }
          assert.equal(res.status, 401, res.body);
        }
        assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429], 'the throttle tripped');
        // The counter is the account's: sign-in is held too, with the right password.
        const signIn = await new Browser(app.url).signIn(email);
        assert.equal(signIn.status, 429, signIn.body);
        assert.equal((await browser.me()).user?.email, email, 'still signed in');
        // Nothing changed: once the wait is over, the old password still signs in.
        app.clock.advance(16 * 60_000);
        assert.equal((await new Browser(app.url).signIn(email)).status, 200);
      });

      it('S-53 sign-in throttle trips (429 + Retry-After), the same for an unknown email, and recovers with the clock', async () => {
        const email = await new Browser(app.url).signUp();
        const attacker = new Browser(app.url);
        for (const target of [email, randomEmail()]) {
          const statuses: number[] = [];
          let retryAfter = 0;
          for (let i = 0; i < 8; i++) {
            const res = await attacker.signIn(target, `guess ${i}`);
            statuses.push(res.status);
            if (res.status === 429) {
              retryAfter = Number(res.headers['retry-after']);
              break;
            }
          }
          assert.equal(statuses.at(-1), 429, statuses.join(','));
          assert.ok(
            statuses.slice(0, -1).every((s) => s === 401),
            statuses.join(','),
          );
          assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, String(retryAfter));
          if (target === email) {
            const held = await new Browser(app.url).signIn(email);
            assert.equal(held.status, 429, 'the right password waits too');
            app.clock.advance(retryAfter * 1000);
            const recovered = new Browser(app.url);
            const res = await recovered.signIn(email);
            assert.equal(res.status, 200, res.body);
            assert.equal((await recovered.me()).user?.email, email);
            // The success reset the account's counter: the free attempts are back.
            const again: number[] = [];
            for (let i = 0; i < statuses.length; i++) {
              again.push((await attacker.signIn(email, `guess again ${i}`)).status);
            }
            assert.deepEqual(again, statuses, 'the same sequence as from a fresh counter');
          }
        }
      });

      it('S-15 a forged cookie signs nothing out and revokes nothing', async () => {
        const victim = new Browser(app.url);
        await victim.signUp();
        const email = (await victim.me()).user?.email;
        const forged = tamper(victim.copy());
        const signOut = await Browser.holding(app.url, forged).call('POST', '/api/sign-out');
        assert.ok(signOut.status < 500, String(signOut.status));
        const everywhere = await Browser.holding(app.url, forged).call(
          'POST',
          '/api/sign-out-everywhere',
        );
        assert.equal(everywhere.status, 401, everywhere.body);
        const password = await Browser.holding(app.url, forged).call('POST', '/api/password', {
          currentPassword: PASSWORD,
          newPassword: NEW_PASSWORD,
        });
        assert.equal(password.status, 401, password.body);
        assert.equal((await victim.me()).user?.email, email);
      });

      if (store) {
        it('S-14 the user lists their sessions (no tokens) and revokes one; the others keep working', async () => {
          const browsers = [new Browser(app.url), new Browser(app.url), new Browser(app.url)];
          const email = await browsers[0]!.signUp();
          for (const browser of browsers.slice(1)) {
            assert.equal((await browser.signIn(email)).status, 200);
          }
          const res = await browsers[0]!.call('GET', '/api/sessions');
          assert.equal(res.status, 200, res.body);
          const { sessions } = JSON.parse(res.body) as {
            sessions: { handle: string; current: boolean }[];
          };
          assert.equal(sessions.length, 3);
          assert.equal(sessions.filter((s) => s.current).length, 1);
          for (const browser of browsers) {
            for (const value of browser.jar.cookies.values()) {
              assert.equal(res.body.includes(value), false, 'no cookie value in the list');
            }
          }
          // Find browser 2's handle: the one that disappears from its own list as current.
          const own = JSON.parse((await browsers[1]!.call('GET', '/api/sessions')).body) as {
            sessions: { handle: string; current: boolean }[];
          };
          const handle = own.sessions.find((s) => s.current)!.handle;
          const revoke = await browsers[0]!.call(
            'DELETE',
            `/api/sessions/${encodeURIComponent(handle)}`,
          );
          assert.equal(revoke.status, 200, revoke.body);
          assert.equal(JSON.parse(revoke.body).revoked, true);
          assert.equal((await browsers[1]!.me()).user, null);
          assert.equal((await browsers[0]!.me()).user?.email, email);
          assert.equal((await browsers[2]!.me()).user?.email, email);
          const again = await browsers[0]!.call(
            'DELETE',
            `/api/sessions/${encodeURIComponent(handle)}`,
          );
          assert.equal(JSON.parse(again.body).revoked, false);
        });

        it('S-14 revoking the current session by its own handle signs this browser out', async () => {
          const browser = new Browser(app.url);
          const email = await browser.signUp();
          const other = new Browser(app.url);
          assert.equal((await other.signIn(email)).status, 200);
          const list = JSON.parse((await browser.call('GET', '/api/sessions')).body) as {
            sessions: { handle: string; current: boolean }[];
          };
          const handle = list.sessions.find((s) => s.current)!.handle;
          const copy = browser.copy();
          const res = await browser.call('DELETE', `/api/sessions/${encodeURIComponent(handle)}`);
          assert.equal(res.status, 200, res.body);
          assert.equal(JSON.parse(res.body).revoked, true);
          assert.equal(
            (await Browser.holding(app.url, copy).me()).user,
            null,
            'the copy is a guest',
          );
          assert.equal((await browser.me()).user, null, 'the browser is a guest');
          assert.equal((await other.me()).user?.email, email);
        });

        it("S-15 neither a forged cookie nor another user can revoke the victim's session by its handle", async () => {
          const victim = new Browser(app.url);
          const email = await victim.signUp();
          const list = JSON.parse((await victim.call('GET', '/api/sessions')).body) as {
            sessions: { handle: string }[];
          };
          const handle = list.sessions[0]!.handle;
          const path = `/api/sessions/${encodeURIComponent(handle)}`;
          const forged = await Browser.holding(app.url, tamper(victim.copy())).call('DELETE', path);
          assert.equal(forged.status, 401, forged.body);
          const mallory = new Browser(app.url);
          await mallory.signUp();
          const other = await mallory.call('DELETE', path);
          assert.equal(other.status, 200, other.body);
          assert.equal(JSON.parse(other.body).revoked, false);
          const listed = await Browser.holding(app.url, tamper(victim.copy())).call(
            'GET',
            '/api/sessions',
          );
          assert.equal(listed.status, 401);
          assert.equal((await victim.me()).user?.email, email);
        });
      }
    });
  }
}

/** A request with a raw request target (no URL normalization on the client side). */
export function sendTarget(
  url: string,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<TestResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        path: target,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
            setCookie: res.headers['set-cookie'] ?? [],
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** Path variants that must never show the page to a stranger (S-44). */
export const PATH_VARIANTS = [
  '/dashboard',
  '//dashboard',
  '/dashboard/',
  '/DASHBOARD',
  '/./dashboard',
  '/dashboard%2F',
  '/%64ashboard',
  '/dashboard;x',
  '/dashboard?x',
] as const;

/** Hostile `returnTo` values (S-42) and what the sign-in route redirects to: `/`. */
export const HOSTILE_RETURN_TO = [
  'https://evil.example',
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  'https:evil.example',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '/..//evil.example',
  '/.//evil.example',
  '/%2e%2e//evil.example',
  '/%2F%2Fevil.example',
  '/%252F%252Fevil.example',
  '/%5Cevil.example',
  '/\t/evil.example',
  '/%09/evil.example',
  '/\n/evil.example',
  '/%00',
  ' /account',
  `/${'a'.repeat(2048)}`,
] as const;

/** Safe ones, redirected to as the URL parser serializes them. */
export const SAFE_RETURN_TO = [
  ['/account?tab=keys', '/account?tab=keys'],
  ['/a/../b', '/b'],
  ['/café', '/caf%C3%A9'],
] as const;

/** Route protection (S-44) and the sign-in route's `returnTo` (S-42, S-43). */
export function runProtectionContract(name: string, start: StartAuthApp): void {
  describe(`${name} route protection`, { timeout: 120_000 }, () => {
    const app = useApp(start, MEMORY_VARIANTS[1]!);

    it('S-44 a page request of a stranger gets 303 to /sign-in?returnTo=<path+query>, without the content', async () => {
      for (const [target, returnTo] of [
        ['/dashboard', '/dashboard'],
        ['/dashboard?tab=keys&x=1', '/dashboard?tab=keys&x=1'],
      ] as const) {
        for (const method of ['GET', 'HEAD']) {
          const res = await sendTarget(app.url, target, { method, headers: { accept: HTML } });
          assert.equal(res.status, 303, `${method} ${target}`);
          const location = new URL(String(res.headers.location), 'http://origin.invalid');
          assert.equal(location.origin, 'http://origin.invalid');
          assert.equal(location.pathname, '/sign-in');
          assert.equal(location.searchParams.get('returnTo'), returnTo);
          assert.equal(res.body.includes(PROTECTED_CONTENT), false);
        }
      }
    });

    it('S-44 JSON requests and POSTs of a stranger get 401 JSON, no redirect, no content', async () => {
      const requests = [
        { method: 'GET', accept: 'application/json' },
        { method: 'GET', accept: undefined },
        { method: 'POST', accept: HTML },
        { method: 'POST', accept: 'application/json' },
      ];
      for (const { method, accept } of requests) {
        const res = await sendTarget(app.url, '/dashboard', {
          method,
          headers: {
            ...(accept !== undefined ? { accept } : {}),
            ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          },
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        assert.equal(res.status, 401, `${method} ${accept}`);
        assert.equal(res.headers.location, undefined);
        assert.match(String(res.headers['content-type']), /^application\/json/);
        assert.equal(JSON.parse(res.body).error, 'NOT_SIGNED_IN');
        assert.equal(res.body.includes(PROTECTED_CONTENT), false);
      }
    });

    it('S-44 no path variant shows the page to a stranger; a signed-in user sees it', async () => {
      for (const target of PATH_VARIANTS) {
        for (const accept of [HTML, 'application/json']) {
          const res = await sendTarget(app.url, target, { headers: { accept } });
          assert.notEqual(res.status, 200, `${target} (${accept}) answered 200`);
          assert.equal(res.body.includes(PROTECTED_CONTENT), false, target);
          if (res.status === 303) {
            const location = new URL(String(res.headers.location), 'http://origin.invalid');
            assert.equal(location.origin, 'http://origin.invalid', target);
            assert.equal(location.pathname, '/sign-in', target);
          }
        }
      }
      const browser = new Browser(app.url);
      await browser.signUp();
      const cookie = browser.copy();
      const res = await sendTarget(app.url, '/dashboard', { headers: { accept: HTML, cookie } });
      assert.equal(res.status, 200, res.body);
      assert.ok(res.body.includes(PROTECTED_CONTENT));
      const post = await sendTarget(app.url, '/dashboard', {
        method: 'POST',
        headers: { accept: 'application/json', cookie, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(post.status, 200, post.body);
      // A variant the router sends to the page shows it only to the signed-in user.
      for (const target of PATH_VARIANTS) {
        const signedIn = await sendTarget(app.url, target, { headers: { accept: HTML, cookie } });
        if (signedIn.status === 200) assert.ok(signedIn.body.includes(PROTECTED_CONTENT), target);
      }
    });

    it('S-42 S-43 the sign-in route redirects a hostile returnTo to / and a safe one to itself', async () => {
      const email = await new Browser(app.url).signUp();
      const signIn = (returnTo: unknown) =>
        sendTarget(app.url, '/sign-in', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: HTML },
          body: JSON.stringify({ email, password: PASSWORD, returnTo }),
        });
      for (const returnTo of [...HOSTILE_RETURN_TO, ['/a', '/b'], 42, null]) {
        const res = await signIn(returnTo);
        assert.equal(res.status, 303, `${JSON.stringify(returnTo)}: ${res.body}`);
        assert.equal(res.headers.location, '/', JSON.stringify(returnTo));
      }
      for (const [returnTo, expected] of SAFE_RETURN_TO) {
        const res = await signIn(returnTo);
        assert.equal(res.status, 303, res.body);
        assert.equal(res.headers.location, expected);
      }
      // A failed sign-in does not redirect anywhere.
      const failed = await sendTarget(app.url, '/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: HTML },
        body: JSON.stringify({ email, password: 'not the password', returnTo: '/account' }),
      });
      assert.equal(failed.status, 401);
      assert.equal(failed.headers.location, undefined);
    });

    it('S-43 the returnTo of the refusal is validated: a hostile path is never reflected raw', async () => {
      for (const target of ['//evil.example/x', '/..//evil.example', '/dashboard?x="><script>']) {
        const res = await sendTarget(app.url, target, { headers: { accept: HTML } });
        if (res.status !== 303) continue;
        const location = String(res.headers.location);
        assert.equal(location.includes('<script>'), false, location);
        const returnTo = new URL(location, 'http://origin.invalid').searchParams.get('returnTo');
        if (returnTo !== null) assert.equal(safeReturnTo(returnTo, ''), returnTo, location);
      }
    });
  });
}
