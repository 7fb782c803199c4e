/**
 * What the reference app does that does not depend on the web framework: the session
 * and authentication options, the facts each page shows, the JSON API's answers and the
 * answer to a failure. examples/app (Express) and examples/nest (NestJS) both build on
 * it, so the two serve the same pages under the same rules; each only wires requests
 * and responses.
 */
import { readFileSync } from 'node:fs';
import {
  type Auth,
  type AuthOptions,
  type AuthUser,
  type Csrf,
  createThrottle,
} from '../../src/auth/index.js';
import type { Session, SessionOptions } from '../../src/index.js';
import type { Kernel } from '../../src/kernel/context.js';
import type { Backends } from './backends.js';
import type { AppConfig } from './config.js';
import { describeError, MIN_PASSWORD_LENGTH, type UserFacingError } from './messages.js';
import { errorPage, NOTICES, type PageContext } from './pages.js';

/** The stylesheet every page links to (`/style.css`). */
export const STYLESHEET = readFileSync(new URL('./style.css', import.meta.url), 'utf8');

/** Headers on every response: no scripts at all, no framing, no sniffing. */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  [
    'content-security-policy',
    "default-src 'none'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  ],
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'same-origin'],
];

/** The answer to an address with no page. */
export const NOT_FOUND_MESSAGE = 'There is no page at this address.';

/** The session options, for `expressSessions` or a `SessionEngine`. */
export function sessionOptions(config: AppConfig, backends: Backends): SessionOptions<object> {
  return {
    secrets: config.secrets,
    ...(backends.store !== undefined ? { store: backends.store } : {}),
    ...(backends.registry !== undefined ? { registry: backends.registry } : {}),
    // The device list shows each session's browser and address.
    trackDevices: true,
    // The cookie outlives a browser restart, until the session's absolute expiry.
    cookie: { persistent: true },
  };
}

/** The options of `createAuth`, but `sessions`: users, the throttle, the password policy. */
export function authOptions(
  engine: { readonly kernel: Kernel },
  backends: Backends,
): Omit<AuthOptions, 'sessions'> {
  return {
    users: backends.users,
    throttle: createThrottle({ kernel: engine.kernel, store: backends.attempts }),
    passwordPolicy: { minLength: MIN_PASSWORD_LENGTH, context: ['tessera'] },
  };
}

/** A form or JSON field as the flows take it (`undefined` when the body has none). */
export function fieldOf(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

/** A submitted value to show again in a form (the email), bounded. */
export function echoed(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 254) : '';
}

/**
 * Who is signed in, and a CSRF token when the page has forms: a signed-in user always
 * (the sign-out button), a guest only on the sign-in and sign-up pages, so browsing
 * the home page creates no session.
 */
export async function pageContext(
  site: { readonly auth: Auth; readonly csrf: Csrf; readonly storage: string },
  session: Session<object>,
  forms = false,
): Promise<PageContext> {
  const user = await site.auth.currentUser(session);
  return {
    user,
    csrfToken: user !== null || forms ? site.csrf.token(session) : '',
    storage: site.storage,
  };
}

/** What the account page shows besides the context: this session, the list, a notice. */
export async function accountFacts(
  auth: Auth,
  session: Session<object>,
  notice: unknown,
  passwordError: UserFacingError | null,
) {
  let sessions = null;
  try {
    sessions = await auth.listSessions(session);
  } catch (failure) {
    // A mode without a session list (none here, but a plain cookie mode has none).
    if (describeError(failure)?.code !== 'NOT_SUPPORTED') throw failure;
  }
  return {
    session: {
      createdAt: session.createdAt,
      lastSeenAt: Date.now(),
      expiresAt: session.expiresAt,
      absoluteExpiresAt: session.absoluteExpiresAt,
    },
    sessions,
    notice: typeof notice === 'string' ? (NOTICES[notice] ?? null) : null,
    passwordError,
  };
}

/** A user as the JSON API shows it: never the password hash. */
export function publicUser(user: AuthUser) {
  return { id: user.id, email: user.email, createdAt: user.createdAt };
}

/** `GET /api/me`: the signed-in user and this session's times, or `{ user: null }`. */
export async function apiMe(auth: Auth, session: Session<object>) {
  const user = await auth.currentUser(session);
  return user === null
    ? { user: null }
    : {
        user: publicUser(user),
        session: { createdAt: session.createdAt, expiresAt: session.expiresAt },
      };
}

/** A failure's answer, ready to send: JSON for the API (or a client not asking for HTML). */
export interface FailureAnswer {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly type: 'json' | 'html';
  readonly body: string;
}

/**
 * The answer to an error no route handled: the user-facing message and status of a
 * Tessera error, or a 500 (logged) for anything else. A page carries no user or token:
 * the session may be the thing that failed.
 */
export function failureAnswer(failure: unknown, json: boolean, storage: string): FailureAnswer {
  const error = describeError(failure);
  if (error === null) console.error('[app] unexpected error:', failure);
  const status = error?.status ?? 500;
  const message = error?.message ?? 'The server failed to answer. Try again later.';
  const headers: Array<readonly [string, string]> = [['cache-control', 'no-store']];
  if (error?.retryAfterSeconds != null)
    headers.push(['retry-after', String(error.retryAfterSeconds)]);
  if (json) {
    const body = {
      error: error?.code ?? 'INTERNAL',
      message,
      ...(error?.retryAfterSeconds != null ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
    return { status, headers, type: 'json', body: JSON.stringify(body) };
  }
  return {
    status,
    headers,
    type: 'html',
    body: errorPage({ user: null, csrfToken: '', storage }, status, message),
  };
}
