/**
 * Errors handed to `next(err)` speak Express's error convention (the one `http-errors`
 * and Express's default handler use): `status`/`statusCode` pick the response status and
 * `headers` are set on it. A store outage thus becomes `503` with `Retry-After` even
 * with no error handler of the application's own, and no stack trace leaves the server
 * in production (Express prints `err.stack` only outside production).
 */
import { isTesseraError } from '../../errors.js';
import { type FailureStatus, failureResponse } from '../../session/plan.js';

/** What a Tessera error passed to `next(err)` carries for Express's error handling. */
export interface HttpErrorFields {
  /**
   * The status {@link failureResponse} gives the error: `503` for an outage
   * (`STORE_UNAVAILABLE`, `USER_STORE`, `HASHER_BUSY`), `429` for a throttled attempt,
   * `403` for a CSRF refusal, `401`/`400`/`409` for the authentication errors, `500`
   * for anything else.
   */
  readonly status: FailureStatus;
  /** Same as `status`, for handlers that read `statusCode`. */
  readonly statusCode: FailureStatus;
  /** `false`: the message is for the server log, not for the client. */
  readonly expose: false;
  /** Headers the response should carry: `Retry-After` (429, 503) and `Cache-Control: no-store`. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Adds {@link HttpErrorFields} to a Tessera error (non-enumerable, so logs stay as
 * they were) and returns it; other errors (an application's `validate` throwing) pass
 * through untouched.
 */
export function withHttpFields(error: unknown): unknown {
  if (!isTesseraError(error) || Object.hasOwn(error, 'status')) return error;
  const failure = failureResponse(error);
  const headers: Record<string, string> = {};
  for (const [name, value] of failure.headers) {
    if (name !== 'content-type') headers[name] = value;
  }
  const fields: HttpErrorFields = {
    status: failure.status,
    statusCode: failure.status,
    expose: false,
    headers: Object.freeze(headers),
  };
  for (const [name, value] of Object.entries(fields)) {
    Object.defineProperty(error, name, { value, enumerable: false, configurable: true });
  }
  return error;
}
