/**
 * The flows of `tesserajs/auth` run in the application's own route handlers, so their
 * errors (`InvalidCredentialsError`, `TooManyAttemptsError`, ...) reach `next(err)`
 * without passing through any Tessera middleware, and Express would answer them `500`.
 * This error middleware gives them the status and headers of `failureResponse` before
 * the application's error handler (or Express's own) answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withHttpFields } from './http-error.js';
import type { NextFunction } from './middleware.js';

/** An Express error middleware (four parameters). */
export type ErrorMiddleware = (
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  next: NextFunction,
) => void;

/**
 * Error middleware giving Tessera's errors their HTTP fields (`status`, `statusCode`,
 * `headers`, `expose: false`; see `HttpErrorFields`) and passing them on: mount it after
 * the routes and before your own error handler. `INVALID_CREDENTIALS` becomes `401`,
 * `TOO_MANY_ATTEMPTS` `429` with `Retry-After`, `EMAIL_TAKEN` `409`, and so on. Other
 * errors pass through untouched.
 *
 * ```ts
 * app.post('/sign-in', async (req, res, next) => {
 *   try {
 *     await auth.signIn(req.session, req.body);
 *     res.redirect(303, '/account');
 *   } catch (error) {
 *     next(error);
 *   }
 * });
 * app.use(errorStatus());
 * ```
 */
export function errorStatus(): ErrorMiddleware {
  return (error, _req, _res, next) => next(withHttpFields(error));
}
