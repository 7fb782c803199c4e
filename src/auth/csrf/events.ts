/**
 * The CSRF defences' event (S-58): one per request that `csrfProtection` refuses, on
 * every adapter, emitted by the framework-neutral check. It carries no token and no
 * header value: the reason, the method, and who the session belongs to.
 */
import type { CsrfReason } from '../../errors.js';

declare module '../../kernel/events.js' {
  interface TesseraEventMap {
    /** A state-changing request was refused by the origin guard or the token check. */
    'csrf.rejected': {
      readonly reason: CsrfReason;
      /** The request's method, upper-cased (`POST`, `DELETE`, ...). */
      readonly method: string;
      /** The session's user, when it has one. */
      readonly userId: string | null;
      /** The session's `sessionRef` in store mode, when it has an id; else null. */
      readonly sessionRef: string | null;
    };
  }
}
