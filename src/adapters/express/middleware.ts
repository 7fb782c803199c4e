import type { IncomingMessage, ServerResponse } from 'node:http';
import { SessionStateError } from '../../errors.js';
import type { DefaultSessionData, LoadOptions, Session } from '../../index.js';
import { SessionEngine } from '../../session/engine.js';
import { whenReady } from '../../session/plan.js';
import { logError } from '../log-error.js';
import { armAutoCommit, commitNow } from '../node/commit.js';
import { withHttpFields } from './http-error.js';
import { checkExpressOptions, type ExpressSessionOptions } from './options.js';
import { requestReader } from './request-facts.js';

/** Express's and Connect's `next`: no argument continues, an error skips to error handlers. */
export type NextFunction = (error?: unknown) => void;

/**
 * A middleware for Express 4 and 5 and Connect 3. Typed by Node's request and response
 * so that it fits all three without importing any of them.
 */
export type SessionMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: NextFunction,
) => void;

/** The session middleware (`app.use(sessions)`) and what goes with it. */
export interface ExpressSessions<T extends object> extends SessionMiddleware {
  /** The underlying framework-neutral engine (user-level operations live there too). */
  readonly engine: SessionEngine<T>;
  /** Checks the store at start-up; see `SessionEngine.ready`. Call before `listen`. */
  ready(): Promise<void>;
  /**
   * The same middleware with per-route load options, for routes mounted instead of the
   * app-wide one: `app.post('/logout', sessions.with({ onStoreError: 'guest' }), ...)`
   * keeps sign-out working while the store is down. A request may pass through only one
   * session middleware.
   */
  with(options: LoadOptions): SessionMiddleware;
  /**
   * The session this middleware loaded for `req`, typed with this instance's data type
   * (`req.session` is typed through `SessionData`). Works under Connect too.
   */
  get(req: IncomingMessage): Session<T> | undefined;
  /**
   * Commits now, for streaming responses: sets `Set-Cookie` and waits for store writes.
   * Call before the first `write`. Later changes to the session are not saved.
   * @throws `SessionStoreError` when a store write fails (nothing has been sent yet),
   * carrying `status` 503 and `headers` for `next(err)`.
   */
  commit(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

type Carrier<T extends object> = IncomingMessage & { session?: unknown } & {
  [slot: symbol]: Session<T> | undefined;
};

/**
 * Creates the session middleware for Express 4 and 5 and Connect 3.
 *
 * ```ts
 * const sessions = expressSessions({ secrets: secretsFromEnv('SESSION_SECRET') });
 * app.use(sessions);
 * app.get('/', (req, res) => {
 *   req.session.data.views = (req.session.data.views ?? 0) + 1;
 *   res.send(`views: ${req.session.data.views}`);
 * });
 * ```
 * Failures while loading go to `next(err)` with `status` 503 (store outage, with
 * `Retry-After`) or 500; failures at commit answer that status themselves.
 */
export function expressSessions<T extends object = DefaultSessionData>(
  options: ExpressSessionOptions<T>,
): ExpressSessions<T> {
  checkExpressOptions(options);
  return expressSessionsOn(new SessionEngine<T>(options), options);
}

/**
 * The middleware over an engine that already exists (the NestJS module shares one engine
 * between its middleware and its providers). Only the adapter's own options are read.
 */
export function expressSessionsOn<T extends object>(
  engine: SessionEngine<T>,
  options: {
    readonly trustProxy?: boolean | undefined;
    readonly trackDevices?: boolean | undefined;
    readonly onError?: ExpressSessionOptions<T>['onError'] | undefined;
  },
): ExpressSessions<T> {
  const read = requestReader(options.trustProxy, options.trackDevices === true);
  const onError = options.onError ?? logError;
  // A symbol-keyed property rather than a WeakMap: no ephemeron work for the GC per request.
  const slot: unique symbol = Symbol('tessera.express.session');

  const alreadyLoaded = (req: Carrier<T>): SessionStateError =>
    new SessionStateError(
      req[slot] !== undefined
        ? 'the session middleware ran twice for this request (mounted on the app and again on a router or route?): mount it once per request'
        : 'req.session is already set by another session middleware (express-session, cookie-session or a second expressSessions()): use one session middleware per request',
    );

  const middleware = (loadOptions: LoadOptions | undefined): SessionMiddleware =>
    function tesseraSession(req, res, next) {
      const carrier = req as Carrier<T>;
      if (carrier.session !== undefined) {
        next(withHttpFields(alreadyLoaded(carrier)));
        return;
      }
      let loaded: Session<T> | Promise<Session<T>>;
      try {
        loaded = engine.load(read(req), loadOptions);
      } catch (error) {
        next(withHttpFields(error));
        return;
      }
      whenReady(
        loaded,
        (session) => {
          carrier[slot] = session;
          carrier.session = session;
          armAutoCommit(engine, session, res, (error) => onError(error, req));
          next();
        },
        (error) => next(withHttpFields(error)),
      );
    };

  const sessions = middleware(undefined) as SessionMiddleware & {
    -readonly [K in keyof ExpressSessions<T>]: ExpressSessions<T>[K];
  };
  sessions.engine = engine;
  sessions.ready = () => engine.ready();
  sessions.with = (loadOptions) => middleware(loadOptions);
  sessions.get = (req) => (req as Carrier<T>)[slot];
  sessions.commit = async (req, res) => {
    const session = (req as Carrier<T>)[slot];
    if (session === undefined) return;
    try {
      await commitNow(engine, session, res);
    } catch (error) {
      // Nothing was sent: the error can still go to next(err) and become a 503.
      throw withHttpFields(error);
    }
  };
  return sessions;
}
