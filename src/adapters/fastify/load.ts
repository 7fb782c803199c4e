/**
 * Loading in Fastify's `onRequest` hook, the first hook of every request (404s
 * included), so the session is there for every hook that follows: access checks in
 * `onRequest`, `preValidation` or `preHandler`, as `@fastify/session` and
 * `@fastify/secure-session` users expect. The cost: a store read happens even for a
 * request that body parsing or validation will refuse; loading in `preHandler` would
 * save that read but leave guards in the earlier hooks without a session.
 */
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { LoadOptions, SessionEngine } from '../../session/engine.js';
import type { DefaultSessionData, Session } from '../../session/session.js';
import { prepareFailure } from './failure.js';

type Report = (error: unknown, request: FastifyRequest) => void;

const GUEST: LoadOptions = Object.freeze({ onStoreError: 'guest' });

/** The route's load options from its `config.session`, if any. */
function loadOptionsOf(request: FastifyRequest): LoadOptions | undefined {
  const config = request.routeOptions.config.session;
  return config?.onStoreError === 'guest' ? GUEST : undefined;
}

/** The `onRequest` hook: loads `request.session`; a failure goes to the error handler. */
export function loadHook(
  engine: SessionEngine<DefaultSessionData>,
  report: Report | undefined,
): onRequestHookHandler {
  const hook: onRequestHookHandler = (request, reply, done) => {
    const fail = (error: unknown): void => {
      report?.(error, request);
      done(prepareFailure(reply, error) as Error);
    };
    let loaded: Session<DefaultSessionData> | Promise<Session<DefaultSessionData>>;
    try {
      loaded = engine.load(
        {
          cookieHeader: request.headers.cookie,
          // Fastify's `trustProxy` decides whether X-Forwarded-Proto counts.
          secure: request.protocol === 'https',
          userAgent: request.headers['user-agent'],
          clientAddress: request.ip,
        },
        loadOptionsOf(request),
      );
    } catch (error) {
      fail(error);
      return;
    }
    // Synchronous when no I/O is needed (cookie mode, no session cookie): no microtask.
    if (!(loaded instanceof Promise)) {
      request.session = loaded;
      done();
      return;
    }
    loaded.then((session) => {
      request.session = session;
      done();
    }, fail);
  };
  return hook;
}
