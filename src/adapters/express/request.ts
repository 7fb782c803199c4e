/**
 * `req.session` on Express's own request type, by declaration merging on the global
 * `Express` namespace (the way Express's type definitions invite middleware to extend
 * requests). The data is typed once, through the `SessionData` interface applications
 * augment:
 *
 * ```ts
 * declare module 'tesserajs' {
 *   interface SessionData { views: number }
 * }
 * // req.session.data.views is `number | undefined` in every handler
 * ```
 */
import type { DefaultSessionData, Session } from '../../index.js';

/**
 * The type of `req.session` under Express: the request's {@link Session}, with the data
 * declared in `SessionData` (an open record of JSON values when nothing is declared).
 */
export type RequestSession = Session<DefaultSessionData>;

declare global {
  namespace Express {
    interface Request {
      /**
       * This request's session, set by the `tesserajs/express` middleware (absent on
       * routes it does not cover). Changes are saved before the response's headers go out.
       */
      session: RequestSession;
    }
  }
}
