/**
 * The throttle's event (S-58): one per refused attempt. It names neither the identifier
 * nor the address; the application logs those itself, encoded, if it wants them.
 */
import type { ThrottleScope } from '../../errors.js';

declare module '../../kernel/events.js' {
  interface TesseraEventMap {
    /** A sign-in attempt was refused by the throttle before any password was checked. */
    'auth.throttled': {
      readonly scope: ThrottleScope;
      /** The account reached its lockout: only `throttle.reset()` admits it again. */
      readonly locked: boolean;
      readonly retryAfterSeconds: number;
    };
  }
}
