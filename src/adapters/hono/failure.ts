/**
 * How a failed load or commit reaches Hono's error handling: the response becomes the
 * bare failure response, and the typed error is thrown so that `app.onError` sees it
 * (with its `code`). The error also gets a `getResponse()` method, the protocol of
 * Hono's `HTTPException`, so Hono's default error handler (and any `onError` that
 * honours it) answers with the failure response (503 + `Retry-After`, or 500).
 */
import type { Context } from 'hono';
import { failureResponseFor } from '../fetch/response.js';

/** A Tessera error as thrown to Hono's error handling. */
export type HonoSessionFailure = Error & {
  /** The bare failure response (a new `Response` per call). */
  getResponse(): Response;
};

/**
 * Replaces `c.res` with the failure response and returns the error to throw.
 * Setting `c.res` to `undefined` first matters: Hono merges the previous response's
 * headers (its `Set-Cookie` lines among them) into any response assigned over it.
 */
export function failWith(c: Context, error: unknown): unknown {
  c.res = undefined;
  c.res = failureResponseFor(error);
  if (error instanceof Error && Object.isExtensible(error) && !('getResponse' in error)) {
    Object.defineProperty(error, 'getResponse', {
      value: () => failureResponseFor(error),
      configurable: true,
      writable: true,
    });
  }
  return error;
}
