/**
 * CSRF protection for Fastify 5: a `preHandler` hook (after body parsing) that hands the
 * request's facts to the framework-neutral check in `auth/csrf`. No CSRF logic lives here.
 */
import type { FastifyRequest, preHandlerHookHandler } from 'fastify';
import {
  CSRF_FIELD,
  CSRF_HEADER,
  type CsrfProtectionOptions,
  csrfCheck,
} from '../../auth/csrf/protect.js';
import { SessionStateError } from '../../errors.js';
import type { Session } from '../../session/session.js';
import { prepareFailure } from './failure.js';

/** Options of {@link csrfProtection} for Fastify. */
export interface FastifyCsrfOptions extends CsrfProtectionOptions {}

/** The `_csrf` field of a parsed body (`@fastify/formbody`, `@fastify/multipart`), if any. */
function fieldOf(request: FastifyRequest): unknown {
  const body = request.body;
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, CSRF_FIELD)) {
    return undefined;
  }
  const value = (body as Record<string, unknown>)[CSRF_FIELD];
  // @fastify/multipart with `attachFieldsToBody` wraps each field as `{ value, ... }`.
  const wrapped = value as { type?: unknown; value?: unknown } | null;
  return typeof wrapped === 'object' && wrapped !== null && wrapped.type === 'field'
    ? wrapped.value
    : value;
}

/**
 * CSRF protection for Fastify (S-37, S-38): refuses state-changing requests from other
 * sites, and form posts without this session's token (field `_csrf` or header
 * `x-csrf-token`). A `preHandler` hook, so the body is parsed; register it in the scope
 * of the session plugin. A refused request goes to the error handler as a `CsrfError`
 * with the reply prepared as a bare `403`.
 *
 * ```ts
 * const csrf = createCsrf({ engine: app.sessions.engine });
 * app.addHook('preHandler', csrfProtection({ csrf }));
 * ```
 * The request's own origin uses `request.protocol` (Fastify's `trustProxy` decides
 * whether `X-Forwarded-Proto` counts) and the `Host` header, never `X-Forwarded-Host`.
 * @throws InvalidOptionsError for a bad `allowedOrigins` entry or a missing `csrf`.
 */
export function csrfProtection(options: FastifyCsrfOptions): preHandlerHookHandler {
  const check = csrfCheck(options);
  return function tesseraCsrf(request, reply, done) {
    const session = request.session as Session<object> | null | undefined;
    if (session === null || session === undefined) {
      done(
        prepareFailure(
          reply,
          new SessionStateError(
            'csrfProtection needs request.session: register tesserajs/fastify in this scope first',
          ),
        ) as Error,
      );
      return;
    }
    const headers = request.headers;
    try {
      check(
        {
          method: request.method,
          origin: headers.origin,
          secFetchSite: headers['sec-fetch-site'] as string | undefined,
          host: headers.host,
          secure: request.protocol === 'https',
          contentType: headers['content-type'],
          headerToken: headers[CSRF_HEADER],
          bodyToken: fieldOf(request),
        },
        session,
      );
    } catch (error) {
      done(prepareFailure(reply, error) as Error);
      return;
    }
    done();
  };
}
