/**
 * `tesserajs/hono`: session middleware for Hono 4. Thin by design: it reads the request
 * into the engine's input, puts the session on the context (`c.get('session')`), and
 * after the handlers ran applies the engine's response plan to `c.res`. No session
 * logic lives here.
 *
 * Runtimes: the cryptography is `node:crypto` (Node.js, Bun, Deno). See docs/hono.md.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { assertCryptoRuntime } from '../../crypto/runtime.js';
import type { DefaultSessionData, LoadOptions, Session, SessionOptions } from '../../index.js';
import { SessionEngine } from '../../session/engine.js';
import { loadInput, type RequestReading } from '../fetch/request.js';
import { applyPlanTo, discard } from '../fetch/response.js';
import { logError } from '../log-error.js';
import { failWith } from './failure.js';

export type { RequireUserOptions } from '../../auth/protect.js';
export type {
  LoadOptions,
  Session,
  SessionData,
  SessionOptions,
  UserSessionInfo,
} from '../../index.js';
export { failureResponseFor } from '../fetch/response.js';
export { csrfProtection, type HonoCsrfOptions } from './csrf.js';
export type { HonoSessionFailure } from './failure.js';
export type { UserVariables } from './require-user.js';
export { requireUser } from './require-user.js';

/** The context variables the middleware sets: `c.get('session')`, `c.var.session`. */
export interface SessionVariables<T extends object = DefaultSessionData> {
  session: Session<T>;
}

/** A Hono `Env` with the session variable: `new Hono<SessionEnv<MyData>>()`. */
export interface SessionEnv<T extends object = DefaultSessionData> {
  Variables: SessionVariables<T>;
}

declare module 'hono' {
  /**
   * `c.get('session')` is typed in every handler, as Hono's own middleware do it. The
   * data type is Tessera's `SessionData` (declare it once); apps that prefer a local
   * type use {@link SessionEnv} instead, which takes precedence.
   */
  interface ContextVariableMap extends SessionVariables {}
}

/** Options of {@link honoSessions}: the session options plus request handling. */
export interface HonoSessionOptions<T extends object = DefaultSessionData>
  extends SessionOptions<T> {
  /**
   * Treat `X-Forwarded-Proto: https` as HTTPS and `X-Forwarded-For`'s first address as
   * the client's. Only enable behind a proxy you control that overwrites the headers
   * (S-36). Affects only `cookie.secure: 'auto'` outside production (in production
   * cookies are always Secure) and the address `trackDevices` records.
   * @default false
   */
  trustProxy?: boolean;
  /**
   * The client's address, for `trackDevices`; e.g. `(c) => getConnInfo(c).remote.address`
   * with the `getConnInfo` of your runtime's Hono adapter.
   * @default no address is recorded (unless `trustProxy` reads `X-Forwarded-For`)
   */
  clientAddress?: (c: Context) => string | undefined;
  /**
   * Called with the errors the middleware turned into a failure response (store
   * outages, sessions too large for their cookies, unserializable data), before they
   * are thrown on to `app.onError`. Messages carry no secrets. Pass `() => {}` when
   * your `app.onError` logs them already.
   * @default logs code, message and cause chain to `console.error`
   */
  onError?: (error: unknown, c: Context) => void;
}

/** The session middleware, with the engine and a per-route variant. */
export interface HonoSessions<T extends object> extends MiddlewareHandler<SessionEnv<T>> {
  /** The underlying framework-neutral engine (user-level operations live there too). */
  readonly engine: SessionEngine<T>;
  /** Checks the store at start-up; see `SessionEngine.ready`. */
  ready(): Promise<void>;
  /**
   * The same middleware with per-route load options, e.g. `{ onStoreError: 'guest' }`
   * for public pages and sign-out. A request gets one session: the first of these
   * middleware that runs loads it and later ones pass, so register route-specific ones
   * before an app-wide `app.use(sessions)`.
   */
  with(options: LoadOptions): MiddlewareHandler<SessionEnv<T>>;
}

/**
 * Creates the session middleware for Hono.
 *
 * ```ts
 * const app = new Hono();
 * app.use(honoSessions({ secrets: secretsFromEnv('SESSION_SECRET') }));
 * app.get('/', (c) => {
 *   const session = c.get('session');
 *   session.data.views = (session.data.views ?? 0) + 1;
 *   return c.text(`views: ${session.data.views}`);
 * });
 * ```
 *
 * Failures (a store outage, a session too large for its cookies) replace the response
 * with the bare failure response and throw the typed error to `app.onError`; Hono's
 * default handler answers it through the error's `getResponse()`.
 * @throws `UnsupportedRuntimeError` (`UNSUPPORTED_RUNTIME`) when the runtime's
 * `node:crypto` lacks functions Tessera needs.
 */
export function honoSessions<T extends object = DefaultSessionData>(
  options: HonoSessionOptions<T>,
): HonoSessions<T> {
  assertCryptoRuntime();
  const engine = new SessionEngine<T>(options);
  const onError = options.onError ?? logError;
  const reading: RequestReading<Context> = {
    trustProxy: options.trustProxy === true,
    devices: options.trackDevices === true,
    clientAddress: options.clientAddress,
  };

  const fail = (c: Context, error: unknown): unknown => {
    onError(error, c);
    return failWith(c, error);
  };

  const middleware =
    (loadOptions: LoadOptions | undefined): MiddlewareHandler<SessionEnv<T>> =>
    async (c, next) => {
      if ((c.get('session') as Session<T> | undefined) !== undefined) return next();
      let session: Session<T>;
      try {
        const loaded = engine.load(loadInput(c.req.raw, reading, c), loadOptions);
        // `load` is synchronous unless the store is read: no microtask hop for nothing.
        session = loaded instanceof Promise ? await loaded : loaded;
      } catch (error) {
        throw fail(c, error);
      }
      c.set('session', session);
      await next();
      if (session.isCommitted) return;
      const response = c.res;
      let applied: Response;
      try {
        const plan = engine.commit(session);
        if (plan.pending !== null) await plan.pending;
        applied = applyPlanTo(response, plan);
      } catch (error) {
        discard(response);
        throw fail(c, error);
      }
      if (applied !== response) {
        // A copy of an immutable response: assigned over nothing, so that Hono does not
        // merge the original's Set-Cookie lines over ours.
        c.res = undefined;
        c.res = applied;
      }
    };

  const sessions = middleware(undefined) as HonoSessions<T> & { engine: SessionEngine<T> };
  sessions.engine = engine;
  sessions.ready = () => engine.ready();
  sessions.with = (loadOptions) => middleware(loadOptions);
  return sessions;
}
