/**
 * The response plan: everything a commit decided, in the form every adapter applies the
 * same way. Adapters hold no session logic; they only do what a plan says:
 *
 * 1. add `setCookie` (appended to any the application set) and `headers`;
 * 2. wait for `pending` before the response goes out, through {@link whenWritten};
 * 3. if the writes fail, answer {@link failureResponse}`(error)` instead; if the headers
 *    already went out, abort the connection, never a half-true success.
 */
import { ErrorCode, isTesseraError } from '../errors.js';

/** One response header. */
export type Header = readonly [name: string, value: string];

/** What a commit asks of the response. */
export interface ResponsePlan {
  /** `Set-Cookie` values to append (empty when nothing changed). */
  readonly setCookie: readonly string[];
  /** Headers to set, e.g. `Cache-Control: no-store` when a cookie is sent (S-24). */
  readonly headers: readonly Header[];
  /**
   * Store writes still in flight, or `null` when there are none (cookie mode, a READ).
   * Rejects with `SessionStoreError`: the response must then not report success.
   */
  readonly pending: Promise<void> | null;
}

/** The statuses a failure is answered with (see {@link failureResponse}). */
export type FailureStatus = 400 | 401 | 403 | 409 | 429 | 500 | 503;

/** A bare failure response: no details, no stack trace. */
export interface FailureResponse {
  readonly status: FailureStatus;
  readonly headers: readonly Header[];
  readonly body: string;
}

/** Seconds a client should wait after a 503 caused by the session store or user repository. */
export const RETRY_AFTER_SECONDS = 5;

const NO_HEADERS: readonly Header[] = Object.freeze([]);
const NO_STORE: readonly Header[] = Object.freeze([['cache-control', 'no-store'] as const]);

/** Builds a plan; the headers follow from the cookies (a response that sets one is private). */
export function responsePlan(
  setCookie: readonly string[],
  pending: Promise<void> | null,
): ResponsePlan {
  return { setCookie, headers: setCookie.length === 0 ? NO_HEADERS : NO_STORE, pending };
}

const UNAVAILABLE: FailureResponse = Object.freeze({
  status: 503,
  headers: Object.freeze([
    ['content-type', 'text/plain; charset=utf-8'],
    ['cache-control', 'no-store'],
    ['retry-after', String(RETRY_AFTER_SECONDS)],
  ] as const),
  body: 'Service Unavailable',
});

const INTERNAL: FailureResponse = Object.freeze({
  status: 500,
  headers: Object.freeze([
    ['content-type', 'text/plain; charset=utf-8'],
    ['cache-control', 'no-store'],
  ] as const),
  body: 'Internal Server Error',
});

/** A throttled attempt: `429` with the error's own wait as `Retry-After` (RFC 6585 §4). */
function tooManyRequests(retryAfterSeconds: unknown): FailureResponse {
  // Whole seconds of at least 1, whatever a foreign copy of the error carries.
  const seconds = Number.isSafeInteger(retryAfterSeconds)
    ? Math.max(1, retryAfterSeconds as number)
    : 1;
  return {
    status: 429,
    headers: [
      ['content-type', 'text/plain; charset=utf-8'],
      ['cache-control', 'no-store'],
      ['retry-after', String(seconds)],
    ],
    body: 'Too Many Requests',
  };
}

function bare(status: FailureStatus, body: string, extra: readonly Header[] = []): FailureResponse {
  return Object.freeze({
    status,
    headers: Object.freeze([
      ['content-type', 'text/plain; charset=utf-8'] as const,
      ['cache-control', 'no-store'] as const,
      ...extra,
    ]),
    body,
  });
}

/** The fixed response of each error code that is not a bare 500. */
const BY_CODE: ReadonlyMap<string, FailureResponse> = new Map([
  [ErrorCode.STORE_UNAVAILABLE, UNAVAILABLE],
  [ErrorCode.USER_STORE, UNAVAILABLE],
  [ErrorCode.HASHER_BUSY, UNAVAILABLE],
  [ErrorCode.CSRF, bare(403, 'Forbidden')],
  [ErrorCode.INVALID_CREDENTIALS, bare(401, 'Unauthorized')],
  [ErrorCode.NOT_SIGNED_IN, bare(401, 'Unauthorized')],
  [ErrorCode.INVALID_EMAIL, bare(400, 'Bad Request')],
  [ErrorCode.PASSWORD_POLICY, bare(400, 'Bad Request')],
  [ErrorCode.CURRENT_PASSWORD_REQUIRED, bare(400, 'Bad Request')],
  [ErrorCode.EMAIL_TAKEN, bare(409, 'Conflict')],
]);

/**
 * The response for a failure, by the error's `code` (from any copy of Tessera):
 * - `503` with `Retry-After` for an outage the client may retry after: the session
 *   store, the throttle's store, the user repository, an overloaded password hasher;
 * - `429` with the error's own wait as `Retry-After` for a throttled attempt;
 * - `403` for a request the CSRF checks refused;
 * - `401` for failed credentials and for a missing sign-in, `400` for an invalid email
 *   or a password the policy refuses or a missing current password, `409` for an email that is taken;
 * - a bare `500` for anything else (a session too large for its cookies, data that is
 *   not JSON, an application error).
 * Bodies are one short phrase: never the error's message or a stack trace.
 */
export function failureResponse(error: unknown): FailureResponse {
  if (!isTesseraError(error)) return INTERNAL;
  if (error.code === ErrorCode.TOO_MANY_ATTEMPTS) {
    return tooManyRequests((error as { retryAfterSeconds?: unknown }).retryAfterSeconds);
  }
  return BY_CODE.get(error.code) ?? INTERNAL;
}

/**
 * Runs `written` once the plan's writes are done, or `failed` with the first error.
 * Synchronous when nothing is pending, so a READ costs no microtask.
 */
export function whenWritten(
  plan: ResponsePlan,
  written: () => void,
  failed: (error: unknown) => void,
): void {
  if (plan.pending === null) written();
  else plan.pending.then(written, failed);
}

/**
 * Runs `use` with a value that may or may not be a promise (`engine.load` is
 * synchronous when it needs no I/O), and `failed` with any error, thrown or rejected.
 */
export function whenReady<V>(
  value: V | Promise<V>,
  use: (value: V) => void,
  failed: (error: unknown) => void,
): void {
  if (value instanceof Promise) value.then(use, failed);
  else use(value);
}
