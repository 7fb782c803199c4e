/**
 * `tesserajs/node`: sessions for plain `node:http` (and anything built on its
 * `IncomingMessage`/`ServerResponse`). Thin by design: it reads the request, hands it to
 * the engine, and applies the engine's response plan before the response starts. No
 * session logic lives here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { DefaultSessionData, LoadOptions, Session, SessionOptions } from '../../index.js';
import { SessionEngine } from '../../session/engine.js';
import { whenReady } from '../../session/plan.js';
import { logError } from '../log-error.js';
import { armAutoCommit, commitNow, sendFailure } from './commit.js';

export type { RequireUserOptions } from '../../auth/protect.js';
export type {
  LoadOptions,
  Session,
  SessionData,
  SessionOptions,
  UserSessionInfo,
} from '../../index.js';
export { type CheckCsrf, type CsrfBody, csrfProtection, type NodeCsrfOptions } from './csrf.js';
export { requireUser } from './require-user.js';

/** Options of {@link nodeSessions}: the session options plus request handling. */
export interface NodeSessionOptions<T extends object = DefaultSessionData>
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
   * Called with errors Tessera turned into a 500 or 503 response (store outages,
   * sessions too large for their cookies, unserializable data, errors thrown by a
   * handler). Messages carry no secrets.
   * @default logs code, message and cause chain (and the stack of application errors)
   * to `console.error`
   */
  onError?: (error: unknown, req: IncomingMessage) => void;
}

/** Request handler that receives the loaded session. */
export type SessionHandler<T extends object> = (
  req: IncomingMessage,
  res: ServerResponse,
  session: Session<T>,
) => unknown;

/** Sessions bound to `node:http` requests and responses. */
export interface NodeSessions<T extends object> {
  /** The underlying framework-neutral engine (user-level operations live there too). */
  readonly engine: SessionEngine<T>;
  /** Checks the store at start-up; see `SessionEngine.ready`. */
  ready(): Promise<void>;
  /**
   * Loads the request's session and arranges for it to be committed automatically
   * before the response's headers are sent (`writeHead`, `write` or `end`).
   * @throws `SessionStoreError` when the store is unreachable (answer 503), unless
   * `onStoreError: 'guest'`.
   */
  load(req: IncomingMessage, res: ServerResponse, options?: LoadOptions): Promise<Session<T>>;
  /** The session {@link load} produced for `req`, if any. */
  get(req: IncomingMessage): Session<T> | undefined;
  /**
   * Commits now, for streaming responses: sets `Set-Cookie` and waits for store writes.
   * Call before the first `write`. Later changes to the session are not saved.
   * @throws `SessionStoreError` when a store write fails (nothing has been sent yet).
   */
  commit(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * Wraps a handler: loads the session, passes it as third argument, and turns store
   * outages into `503` with `Retry-After` and other failures into a bare `500` (no
   * stack trace in the body).
   */
  handle(
    handler: SessionHandler<T>,
    options?: LoadOptions,
  ): (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Creates sessions for `node:http`.
 *
 * ```ts
 * const sessions = nodeSessions({ secrets: secretsFromEnv('SESSION_SECRET') });
 * http.createServer(sessions.handle((req, res, session) => {
 *   session.data.views = (session.data.views ?? 0) + 1;
 *   res.end(`views: ${session.data.views}`);
 * }));
 * ```
 */
export function nodeSessions<T extends object = DefaultSessionData>(
  options: NodeSessionOptions<T>,
): NodeSessions<T> {
  const engine = new SessionEngine<T>(options);
  const trustProxy = options.trustProxy === true;
  const onError = options.onError ?? logError;
  // A symbol-keyed property rather than a WeakMap: no ephemeron work for the GC per request.
  const slot: unique symbol = Symbol('tessera.session');
  type Carrier = IncomingMessage & { [slot]?: Session<T> };

  const isSecure = (req: IncomingMessage): boolean =>
    (req.socket as TLSSocket).encrypted === true ||
    (trustProxy && req.headers['x-forwarded-proto'] === 'https');
  const clientAddress = (req: IncomingMessage): string | undefined => {
    const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
    return typeof forwarded === 'string'
      ? forwarded.split(',')[0]!.trim()
      : req.socket.remoteAddress;
  };

  const attach = (req: IncomingMessage, res: ServerResponse, session: Session<T>): Session<T> => {
    (req as Carrier)[slot] = session;
    armAutoCommit(engine, session, res, (error) => onError(error, req));
    return session;
  };

  // Synchronous when no I/O is needed (cookie mode, no session cookie).
  const loadNow = (
    req: IncomingMessage,
    res: ServerResponse,
    loadOptions: LoadOptions | undefined,
  ): Session<T> | Promise<Session<T>> => {
    const loaded = engine.load(
      {
        cookieHeader: req.headers.cookie,
        secure: isSecure(req),
        userAgent: req.headers['user-agent'],
        clientAddress: clientAddress(req),
      },
      loadOptions,
    );
    return loaded instanceof Promise
      ? loaded.then((session) => attach(req, res, session))
      : attach(req, res, loaded);
  };

  return {
    engine,
    ready: () => engine.ready(),
    load: async (req, res, loadOptions) => loadNow(req, res, loadOptions),
    get: (req) => (req as Carrier)[slot],
    commit: async (req, res) => {
      const session = (req as Carrier)[slot];
      if (session !== undefined) await commitNow(engine, session, res);
    },
    handle: (handler, loadOptions) => (req, res) => {
      const fail = (error: unknown): void => {
        onError(error, req);
        sendFailure(res, error);
      };
      const run = (session: Session<T>): void => {
        try {
          const result = handler(req, res, session) as { then?: unknown } | undefined;
          if (result !== undefined && typeof result?.then === 'function') {
            (result as Promise<unknown>).then(undefined, fail);
          }
        } catch (error) {
          fail(error);
        }
      };
      let loaded: Session<T> | Promise<Session<T>>;
      try {
        loaded = loadNow(req, res, loadOptions);
      } catch (error) {
        fail(error);
        return;
      }
      whenReady(loaded, run, fail);
    },
  };
}
