/**
 * CSRF protection for Hono 4: a middleware that hands the request's facts to the
 * framework-neutral check in `auth/csrf`. No CSRF logic lives here.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { isSafeMethod } from '../../auth/csrf/origin.js';
import {
  CSRF_FIELD,
  CSRF_HEADER,
  type CsrfProtectionOptions,
  csrfCheck,
  isParsedFormType,
} from '../../auth/csrf/protect.js';
import { SessionStateError } from '../../errors.js';
import type { Session } from '../../session/session.js';
import { loadInput, type RequestReading } from '../fetch/request.js';
import { failWith } from './failure.js';

/** Options of {@link csrfProtection} for Hono. */
export interface HonoCsrfOptions extends CsrfProtectionOptions {
  /**
   * Treat `X-Forwarded-Proto: https` as HTTPS when computing the request's own origin.
   * Only behind a proxy you control that overwrites the header (S-36).
   * @default false
   */
  readonly trustProxy?: boolean;
}

/**
 * The `_csrf` field of a form body. `parseBody` caches the parsed form on the request,
 * so the handler's own `c.req.parseBody()` (or `c.req.formData()`) reads it again
 * without consuming the stream twice. `all: true` keeps a repeated field as an array
 * (refused) instead of its last value.
 */
async function fieldOf(c: Context, contentType: string | undefined): Promise<unknown> {
  if (!isParsedFormType(contentType)) return undefined;
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    // A body that is not the form it claims to be carries no token.
    return undefined;
  }
  return Object.hasOwn(form, CSRF_FIELD) ? form[CSRF_FIELD] : undefined;
}

/**
 * CSRF protection for Hono (S-37, S-38): refuses state-changing requests from other
 * sites, and form posts without this session's token (field `_csrf` or header
 * `x-csrf-token`; `text/plain` posts need the header). Register it after the session
 * middleware. A refused request is thrown to `app.onError` as a `CsrfError`; Hono's
 * default handler answers the bare `403` through its `getResponse()`.
 *
 * ```ts
 * const csrf = createCsrf({ engine: sessions.engine });
 * app.use(sessions, csrfProtection({ csrf }));
 * ```
 * @throws InvalidOptionsError for a bad `allowedOrigins` entry or a missing `csrf`.
 */
export function csrfProtection(options: HonoCsrfOptions): MiddlewareHandler {
  const check = csrfCheck(options);
  const reading: RequestReading<Context> = {
    trustProxy: options.trustProxy === true,
    devices: false,
    clientAddress: undefined,
  };
  return async function tesseraCsrf(c, next) {
    const method = c.req.method;
    if (isSafeMethod(method)) return next();
    const session = c.get('session') as Session<object> | undefined;
    if (session === undefined) {
      throw failWith(
        c,
        new SessionStateError(
          'csrfProtection needs the session: register the tesserajs/hono middleware before it',
        ),
      );
    }
    const request = c.req.raw;
    const headers = request.headers;
    const facts = {
      method,
      origin: headers.get('origin') ?? undefined,
      secFetchSite: headers.get('sec-fetch-site') ?? undefined,
      host: headers.get('host') ?? new URL(request.url).host,
      secure: loadInput(request, reading, c).secure,
    };
    const contentType = headers.get('content-type') ?? undefined;
    const headerToken = headers.get(CSRF_HEADER) ?? undefined;
    try {
      // A cross-site request is refused before its body is read.
      check.origin(facts, session);
      const bodyToken = headerToken === undefined ? await fieldOf(c, contentType) : undefined;
      check({ ...facts, contentType, headerToken, bodyToken }, session);
    } catch (error) {
      throw failWith(c, error);
    }
    return next();
  };
}
