/**
 * The response plan: everything a commit decided, in the form every adapter applies the
 * same way. Adapters hold no session logic; they only do what a plan says:
 *
 * 1. add `setCookie` (appended to any the application set) and `headers`;
 * 2. wait for `pending` before the response goes out, through {@link whenWritten};
 * 3. if the writes fail, answer {@link failureResponse}`(error)` instead; if the headers
 *    already went out, abort the connection, never a half-true success.
 */
import { isCsrfError, isSessionStoreError } from '../errors.js';

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

/** A bare failure response: no details, no stack trace. */
export interface FailureResponse {
  readonly status: 403 | 500 | 503;
  readonly headers: readonly Header[];
  readonly body: string;
}

/** Seconds a client should wait after a 503 caused by the session store. */
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

const FORBIDDEN: FailureResponse = Object.freeze({
  status: 403,
  headers: Object.freeze([
    ['content-type', 'text/plain; charset=utf-8'],
    ['cache-control', 'no-store'],
  ] as const),
  body: 'Forbidden',
});

/**
 * The response for a failed load or commit: `503` with `Retry-After` when the session
 * store is unavailable (the client may retry), `403` for a request the CSRF checks
 * refused (`CsrfError`), a bare `500` for anything else (a session too large for its
 * cookies, data that is not JSON, an application error).
 */
export function failureResponse(error: unknown): FailureResponse {
  if (isSessionStoreError(error)) return UNAVAILABLE;
  return isCsrfError(error) ? FORBIDDEN : INTERNAL;
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
