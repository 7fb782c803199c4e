/**
 * `tesserajs/express`: sessions for Express 4 and 5 and Connect 3. One middleware reads
 * the request into the engine, sets `req.session`, and commits before the response's
 * headers go out on every response path (`res.send`, `res.json`, `res.redirect`,
 * `res.render`, `res.sendFile`, piped streams, `res.end`). No session logic lives here.
 */

export type { RequireUserOptions } from '../../auth/protect.js';
export type {
  DefaultSessionData,
  LoadOptions,
  Session,
  SessionData,
  SessionOptions,
  UserSessionInfo,
} from '../../index.js';
export { csrfProtection, type ExpressCsrfOptions } from './csrf.js';
export { type ErrorMiddleware, errorStatus } from './error-status.js';
export type { HttpErrorFields } from './http-error.js';
export {
  type ExpressSessions,
  expressSessions,
  type NextFunction,
  type SessionMiddleware,
} from './middleware.js';
export type { ExpressSessionOptions } from './options.js';
export type { RequestSession } from './request.js';
export { requireUser } from './require-user.js';
