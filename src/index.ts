/**
 * `tesserajs`: the framework-neutral core. Adapters live in their own subpaths
 * (`tesserajs/node`, ...) and stores in `tesserajs/stores/*`, so importing the core never
 * loads a framework or a database driver.
 */

export { secretsFromEnv } from './crypto/env.js';
export {
  CorruptRecordError,
  CsrfError,
  type CsrfReason,
  ErrorCode,
  InvalidCookieError,
  InvalidOptionsError,
  InvalidSessionDataError,
  isCsrfError,
  isSessionStoreError,
  isTesseraError,
  NotSupportedError,
  SessionStateError,
  SessionStoreError,
  SessionTooLargeError,
  TesseraError,
  UnsealError,
  UnsupportedRuntimeError,
  WeakSecretError,
} from './errors.js';
export type { Kernel, KernelOptions } from './kernel/context.js';
export { createKernel } from './kernel/context.js';
export type {
  EventListener,
  TesseraEvent,
  TesseraEventMap,
  TesseraEventType,
} from './kernel/events.js';
export type { LoadInput, LoadOptions, UserSessionInfo } from './session/engine.js';
export { SessionEngine } from './session/engine.js';
export type { RejectionReason, SessionEvent, SessionEventType } from './session/events.js';
export type { JsonValue } from './session/json.js';
export type { Phase } from './session/lifecycle.js';
export type { SessionOptions } from './session/options.js';
export { strictTimeouts } from './session/options.js';
export type { FailureResponse, Header, ResponsePlan } from './session/plan.js';
export { failureResponse, RETRY_AFTER_SECONDS, whenReady, whenWritten } from './session/plan.js';
export type { DefaultSessionData, SessionData } from './session/session.js';
export { Session } from './session/session.js';
export type { VerifiedCacheStats } from './session/verified-cache.js';
export type {
  PruneOptions,
  PruneProgress,
  SessionPatch,
  SessionRecord,
  SessionStore,
  UserSessionEntry,
} from './stores/contract.js';
