/**
 * `tesserajs/node`: sessions for plain `node:http` (and anything built on its
 * `IncomingMessage`/`ServerResponse`). Thin by design: it reads the `Cookie` header,
 * hands it to the engine, and applies the engine's `Set-Cookie` values before the
 * response starts. No session logic lives here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { isSessionStoreError } from '../../errors.js';
import { SessionEngine } from '../../session/engine.js';
import type { SessionOptions } from '../../session/options.js';
import type { DefaultSessionData, Session } from '../../session/session.js';
import { armAutoCommit, commitNow, sendFailure } from './commit.js';

export type { SessionOptions } from '../../session/options.js';
export type { Session, SessionData } from '../../session/session.js';

/** Options of {@link nodeSessions}: the session options plus request handling. */
export interface NodeSessionOptions extends SessionOptions {
  /**
   * Treat `X-Forwarded-Proto: https` as HTTPS. Only enable behind a proxy you control
   * that overwrites the header (S-36). Affects only `cookie.secure: 'auto'` outside
   * production (in production cookies are always Secure).
   * @default false
   */
  trustProxy?: boolean;
  /**
   * Called with errors Tessera turned into a 500 or 503 response (store outages,
   * sessions too large for their cookies, unserializable data). Messages carry no
   * secrets. @default logs `code` and message to `console.error`
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
  /** The underlying framework-neutral engine. */
  readonly engine: SessionEngine<T>;
  /**
   * Loads the request's session and arranges for it to be committed automatically
   * before the response's headers are sent (`writeHead`, `write` or `end`).
   * @throws `SessionStoreError` when the store is unreachable (answer 503).
   */
  load(req: IncomingMessage, res: ServerResponse): Promise<Session<T>>;
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
  handle(handler: SessionHandler<T>): (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Creates sessions for `node:http`.
 *
 * ```ts
 * const sessions = nodeSessions({ secrets: [process.env.SESSION_SECRET!] });
 * http.createServer(sessions.handle((req, res, session) => {
 *   session.data.views = (session.data.views ?? 0) + 1;
 *   res.end(`views: ${session.data.views}`);
 * }));
 * ```
 */
export function nodeSessions<T extends object = DefaultSessionData>(
  options: NodeSessionOptions,
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

  const attach = (req: IncomingMessage, res: ServerResponse, session: Session<T>): Session<T> => {
    (req as Carrier)[slot] = session;
    armAutoCommit(engine, session, res, (error) => onError(error, req));
    return session;
  };

  // Synchronous when no I/O is needed (cookie mode, no session cookie).
  const loadNow = (req: IncomingMessage, res: ServerResponse): Session<T> | Promise<Session<T>> => {
    const loaded = engine.load({ cookieHeader: req.headers.cookie, secure: isSecure(req) });
    return loaded instanceof Promise
      ? loaded.then((session) => attach(req, res, session))
      : attach(req, res, loaded);
  };

  return {
    engine,
    load: async (req, res) => loadNow(req, res),
    get: (req) => (req as Carrier)[slot],
    commit: async (req, res) => {
      const session = (req as Carrier)[slot];
      if (session !== undefined) await commitNow(engine, session, res);
    },
    handle: (handler) => (req, res) => {
      const fail = (error: unknown): void => {
        onError(error, req);
        sendFailure(res, isSessionStoreError(error) ? 503 : 500);
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
        loaded = loadNow(req, res);
      } catch (error) {
        fail(error);
        return;
      }
      if (loaded instanceof Promise) loaded.then(run, fail);
      else run(loaded);
    },
  };
}

function logError(error: unknown): void {
  const { code, message } = error as { code?: string; message?: string };
  console.error(`[tessera] ${code ?? 'ERROR'}: ${message ?? String(error)}`);
}
