/**
 * CSRF protection for Express 4 and 5 and Connect 3: a middleware that hands the
 * request's facts to the framework-neutral check in `auth/csrf`. No CSRF logic lives here.
 */
import type { IncomingMessage } from 'node:http';
import {
  CSRF_FIELD,
  CSRF_HEADER,
  type CsrfProtectionOptions,
  csrfCheck,
} from '../../auth/csrf/protect.js';
import { SessionStateError } from '../../errors.js';
import { Session } from '../../session/session.js';
import { withHttpFields } from './http-error.js';
import type { SessionMiddleware } from './middleware.js';
import { requestReader } from './request-facts.js';

/** Options of {@link csrfProtection} for Express. */
export interface ExpressCsrfOptions extends CsrfProtectionOptions {
  /**
   * Whether `X-Forwarded-Proto` decides if the request was HTTPS (for the request's own
   * origin). `undefined` follows Express's `trust proxy` setting (`req.secure`), as the
   * session middleware does.
   * @default undefined
   */
  readonly trustProxy?: boolean | undefined;
}

/** The `_csrf` field of a parsed body (`express.urlencoded()`, multer), if any. */
function fieldOf(req: IncomingMessage): unknown {
  const body = (req as IncomingMessage & { body?: unknown }).body;
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, CSRF_FIELD)) {
    return undefined;
  }
  return (body as Record<string, unknown>)[CSRF_FIELD];
}

/**
 * CSRF protection for Express (S-37, S-38): refuses state-changing requests from other
 * sites, and form posts without this session's token (field `_csrf` or header
 * `x-csrf-token`). Mount it after the session middleware and after body parsing
 * (`express.urlencoded()`; for multipart forms, after multer on that route). A refused
 * request goes to `next(err)` with a `CsrfError` carrying `status` 403.
 *
 * ```ts
 * const csrf = createCsrf({ engine: sessions.engine });
 * app.use(sessions, express.urlencoded({ extended: false }), csrfProtection({ csrf }));
 * app.get('/login', (req, res) => res.send(form(csrf.token(req.session))));
 * ```
 * @throws InvalidOptionsError for a bad `allowedOrigins` entry or a missing `csrf`.
 */
export function csrfProtection(options: ExpressCsrfOptions): SessionMiddleware {
  const check = csrfCheck(options);
  const read = requestReader(options.trustProxy, false);
  return function tesseraCsrf(req, _res, next) {
    const session = (req as IncomingMessage & { session?: unknown }).session;
    if (!(session instanceof Session)) {
      next(
        withHttpFields(
          new SessionStateError(
            'csrfProtection needs req.session from tesserajs/express: mount the session middleware before it',
          ),
        ),
      );
      return;
    }
    const headers = req.headers;
    try {
      check(
        {
          method: req.method ?? 'GET',
          origin: headers.origin,
          secFetchSite: headers['sec-fetch-site'] as string | undefined,
          host: headers.host,
          secure: read(req).secure,
          contentType: headers['content-type'],
          headerToken: headers[CSRF_HEADER],
          bodyToken: fieldOf(req),
        },
        session,
      );
    } catch (error) {
      next(withHttpFields(error));
      return;
    }
    next();
  };
}
