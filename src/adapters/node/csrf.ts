/**
 * CSRF protection for `node:http`: the request's facts handed to the framework-neutral
 * check in `auth/csrf`. No CSRF logic lives here.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import {
  CSRF_FIELD,
  CSRF_HEADER,
  type CsrfProtectionOptions,
  csrfCheck,
} from '../../auth/csrf/protect.js';
import type { Session } from '../../session/session.js';

/** Options of {@link csrfProtection} for `node:http`. */
export interface NodeCsrfOptions extends CsrfProtectionOptions {
  /**
   * Treat `X-Forwarded-Proto: https` as HTTPS when computing the request's own origin.
   * Only behind a proxy you control that overwrites the header (S-36).
   * @default false
   */
  readonly trustProxy?: boolean;
}

/** A parsed form body: an object of fields, or `URLSearchParams`. */
export type CsrfBody = URLSearchParams | Readonly<Record<string, unknown>> | null | undefined;

/**
 * Checks one request; throws `CsrfError` when it fails (inside `sessions.handle()` that
 * becomes a bare `403`). Pass the parsed body of form posts so the `_csrf` field is found;
 * the `x-csrf-token` header is read from the request.
 */
export type CheckCsrf = (req: IncomingMessage, session: Session<object>, body?: CsrfBody) => void;

/** The `_csrf` field of a body; every value when repeated (then refused). */
function fieldOf(body: CsrfBody): unknown {
  if (body === null || body === undefined) return undefined;
  if (body instanceof URLSearchParams) {
    const values = body.getAll(CSRF_FIELD);
    return values.length <= 1 ? values[0] : values;
  }
  return typeof body === 'object' && Object.hasOwn(body, CSRF_FIELD) ? body[CSRF_FIELD] : undefined;
}

/**
 * CSRF protection for `node:http` (S-37, S-38): refuses state-changing requests from
 * other sites, and form posts without this session's token.
 *
 * ```ts
 * const csrf = createCsrf({ engine: sessions.engine });
 * const checkCsrf = csrfProtection({ csrf });
 * http.createServer(sessions.handle(async (req, res, session) => {
 *   const body = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : undefined;
 *   checkCsrf(req, session, body);
 *   // ... change state
 * }));
 * ```
 * @throws InvalidOptionsError for a bad `allowedOrigins` entry or a missing `csrf`.
 */
export function csrfProtection(options: NodeCsrfOptions): CheckCsrf {
  const check = csrfCheck(options);
  const trustProxy = options.trustProxy === true;
  return (req, session, body) => {
    const headers = req.headers;
    check(
      {
        method: req.method ?? 'GET',
        origin: headers.origin,
        secFetchSite: headers['sec-fetch-site'] as string | undefined,
        host: headers.host,
        secure:
          (req.socket as TLSSocket).encrypted === true ||
          (trustProxy && headers['x-forwarded-proto'] === 'https'),
        contentType: headers['content-type'],
        headerToken: headers[CSRF_HEADER],
        bodyToken: fieldOf(body),
      },
      session,
    );
  };
}
