/**
 * The public types of `tesserajs/fastify`, and the augmentation of Fastify's own types:
 * `request.session`, `fastify.sessions` and the per-route `config.session`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LoadOptions, SessionEngine } from '../../session/engine.js';
import type { SessionOptions } from '../../session/options.js';
import type { DefaultSessionData, Session } from '../../session/session.js';

/** Options of the {@link fastifySessions} plugin: the session options plus error reporting. */
export interface FastifySessionOptions extends SessionOptions<DefaultSessionData> {
  /**
   * Called with every error Tessera turned into a failure response (store outages,
   * sessions too large for their cookies, data that is not JSON), before Fastify's error
   * handler answers; and with failures no error handler can see (a hijacked reply whose
   * session changed without `commit`). Messages carry no secrets.
   * @default none: the error goes to Fastify's error handler, which logs it (the default
   * handler logs 5xx errors through `request.log`); failures outside the error handler
   * are logged through `request.log.error`
   */
  onError?: (error: unknown, request: FastifyRequest) => void;
}

/** Per-route session settings, under the route's `config.session`. */
export interface FastifySessionRouteConfig {
  /**
   * What a store outage does to this route (S-55): `'throw'` answers 503 with
   * `Retry-After`; `'guest'` runs the handler with a read-only guest session (right for
   * public pages and sign-out).
   * @default 'throw'
   */
  readonly onStoreError?: LoadOptions['onStoreError'];
}

/** What the plugin adds to the Fastify instance, as `fastify.sessions`. */
export interface FastifySessions {
  /** The framework-neutral engine: `listSessions`, `revokeUserSessions`, ... live there. */
  readonly engine: SessionEngine<DefaultSessionData>;
  /**
   * Checks the store (driver, connection, table), so a configuration problem is one clear
   * error at start-up: `app.addHook('onReady', () => app.sessions.ready())`.
   */
  ready(): Promise<void>;
  /**
   * Commits the request's session now: for replies Fastify does not send itself
   * (`reply.hijack()`, writing to `reply.raw`). Call it before the first byte is written;
   * later changes to the session are not saved. On a hijacked reply the cookie is set on
   * `reply.raw`, otherwise on the reply. Does nothing when already committed.
   * @throws `SessionStoreError` when a store write fails, `SessionTooLargeError` or
   * `InvalidSessionDataError` when the session cannot be saved; nothing was sent then.
   */
  commit(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The request's session (`tesserajs/fastify`), loaded before your `onRequest` hooks
     * registered after the plugin. Type its data once with
     * `declare module 'tesserajs' { interface SessionData { ... } }`. Only present in
     * the scope that registered the plugin and its children.
     */
    session: Session<DefaultSessionData>;
  }
  interface FastifyInstance {
    /** Tessera's sessions for this scope (`tesserajs/fastify`). */
    sessions: FastifySessions;
  }
  interface FastifyContextConfig {
    /** Per-route session settings (`tesserajs/fastify`). */
    session?: FastifySessionRouteConfig;
  }
}
