/**
 * `tesserajs/fetch`: sessions for anything that speaks web-standard `Request` and
 * `Response` (Bun.serve, Deno.serve, Next.js route handlers, `@hono/node-server`'s
 * bridge, ...). Thin by design: it reads the request into the engine's input and applies
 * the engine's response plan to the application's `Response`. No session logic here.
 *
 * Runtimes: the cryptography is `node:crypto` (Node.js, Bun, Deno). See docs/fetch.md.
 */
import { assertCryptoRuntime } from '../../crypto/runtime.js';
import type { DefaultSessionData, LoadOptions, Session, SessionOptions } from '../../index.js';
import { SessionEngine } from '../../session/engine.js';
import { logError } from '../log-error.js';
import { loadInput, type RequestReading } from './request.js';
import { applyPlanTo, discard, failureResponseFor } from './response.js';

export type { RequireUserOptions } from '../../auth/protect.js';
export type {
  LoadOptions,
  Session,
  SessionData,
  SessionOptions,
  UserSessionInfo,
} from '../../index.js';
export { requireUser } from './require-user.js';
export { applyPlanTo, failureResponseFor } from './response.js';

/** Options of {@link fetchSessions}: the session options plus request handling. */
export interface FetchSessionOptions<T extends object = DefaultSessionData>
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
   * The client's address, for `trackDevices`. A `Request` does not carry it; runtimes
   * expose it beside the request (Bun: `server.requestIP(request)?.address`, Deno: the
   * handler's `info.remoteAddr`), so pass a function that looks it up.
   * @default no address is recorded (unless `trustProxy` reads `X-Forwarded-For`)
   */
  clientAddress?: (request: Request) => string | undefined;
  /**
   * Called with errors Tessera turned into a 500 or 503 response (store outages,
   * sessions too large for their cookies, unserializable data, errors thrown by a
   * handler given to `handle`). Messages carry no secrets.
   * @default logs code, message and cause chain (and the stack of application errors)
   * to `console.error`
   */
  onError?: (error: unknown) => void;
}

/** Request handler that receives the loaded session. */
export type FetchSessionHandler<T extends object> = (
  request: Request,
  session: Session<T>,
) => Response | Promise<Response>;

/** Sessions bound to web-standard requests and responses. */
export interface FetchSessions<T extends object> {
  /** The underlying framework-neutral engine (user-level operations live there too). */
  readonly engine: SessionEngine<T>;
  /** Checks the store at start-up; see `SessionEngine.ready`. */
  ready(): Promise<void>;
  /**
   * Loads the request's session. Pass it to {@link commit} with your response.
   * @throws `SessionStoreError` when the store is unreachable (answer
   * `failureResponseFor(error)`, a 503), unless `onStoreError: 'guest'`.
   */
  load(request: Request, options?: LoadOptions): Promise<Session<T>>;
  /**
   * Commits the session and returns the response to send: `response` with the session's
   * `Set-Cookie` lines appended and its headers set, once the store writes are done. A
   * response with immutable headers (`Response.redirect()`, a `fetch()` result) comes
   * back as a copy. When the commit fails (store outage, session too large) it returns
   * the bare failure response instead (503 with `Retry-After`, or 500) and reports the
   * error to `onError`. Never rejects.
   */
  commit(session: Session<T>, response: Response): Promise<Response>;
  /**
   * Wraps a handler: loads the session, calls `handler`, commits. Errors (from loading,
   * the handler or the commit) become the bare failure response, reported to `onError`.
   */
  handle(
    handler: FetchSessionHandler<T>,
    options?: LoadOptions,
  ): (request: Request) => Promise<Response>;
}

/**
 * Creates sessions for web-standard `Request`/`Response` servers.
 *
 * ```ts
 * const sessions = fetchSessions({ secrets: secretsFromEnv('SESSION_SECRET') });
 * Bun.serve({ fetch: sessions.handle((request, session) => {
 *   session.data.views = (session.data.views ?? 0) + 1;
 *   return new Response(`views: ${session.data.views}`);
 * }) });
 * ```
 * @throws `UnsupportedRuntimeError` (`UNSUPPORTED_RUNTIME`) when the runtime's
 * `node:crypto` lacks functions Tessera needs.
 */
export function fetchSessions<T extends object = DefaultSessionData>(
  options: FetchSessionOptions<T>,
): FetchSessions<T> {
  assertCryptoRuntime();
  const engine = new SessionEngine<T>(options);
  const onError = options.onError ?? logError;
  const reading: RequestReading<Request> = {
    trustProxy: options.trustProxy === true,
    devices: options.trackDevices === true,
    clientAddress: options.clientAddress,
  };

  const fail = (error: unknown): Response => {
    onError(error);
    return failureResponseFor(error);
  };

  const commit = async (session: Session<T>, response: Response): Promise<Response> => {
    if (session.isCommitted) return response;
    try {
      const plan = engine.commit(session);
      if (plan.pending !== null) await plan.pending;
      return applyPlanTo(response, plan);
    } catch (error) {
      discard(response);
      return fail(error);
    }
  };

  return {
    engine,
    ready: () => engine.ready(),
    load: async (request, loadOptions) =>
      engine.load(loadInput(request, reading, request), loadOptions),
    commit,
    handle: (handler, loadOptions) => async (request) => {
      let session: Session<T>;
      let response: Response;
      try {
        const loaded = engine.load(loadInput(request, reading, request), loadOptions);
        // `load` is synchronous unless the store is read: no microtask hop for nothing.
        session = loaded instanceof Promise ? await loaded : loaded;
        response = await handler(request, session);
      } catch (error) {
        return fail(error);
      }
      return commit(session, response);
    },
  };
}
