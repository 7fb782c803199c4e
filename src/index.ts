/**
 * `tesserajs`: the framework-neutral core. Adapters live in their own subpaths
 * (`tesserajs/node`, ...) and stores in `tesserajs/stores/*`, so importing the core never
 * loads a framework or a database driver.
 */
export {
  CorruptRecordError,
  ErrorCode,
  InvalidCookieError,
  InvalidOptionsError,
  InvalidSessionDataError,
  isSessionStoreError,
  isTesseraError,
  SessionStateError,
  SessionStoreError,
  SessionTooLargeError,
  TesseraError,
  UnsealError,
  WeakSecretError,
} from './errors.js';
export type { LoadInput, PreparedCommit } from './session/engine.js';
export { SessionEngine } from './session/engine.js';
export type { RejectionReason, SessionEvent, SessionEventType } from './session/events.js';
export type { SessionOptions } from './session/options.js';
export { strictTimeouts } from './session/options.js';
export type { DefaultSessionData, SessionData } from './session/session.js';
export { Session } from './session/session.js';
export type {
  SessionPatch,
  SessionRecord,
  SessionStore,
  UserSessionEntry,
} from './stores/contract.js';
