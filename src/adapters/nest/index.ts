/**
 * `tesserajs/nest`: sessions for NestJS 11 and 12, on the Express and the Fastify
 * platform. `SessionModule.forRoot()` installs the `tesserajs/express` middleware or the
 * `tesserajs/fastify` hooks (so Nest's own `@Session()` gives the Tessera session),
 * provides the engine as `TESSERA_SESSIONS`, and answers session failures through an
 * exception filter (503 with `Retry-After` for a store outage). No session logic lives
 * here.
 */

export type { Auth, AuthUser } from '../../auth/auth.js';
export type { RequireUserOptions } from '../../auth/protect.js';
export type {
  DefaultSessionData,
  LoadOptions,
  SessionData,
  SessionOptions,
  UserSessionInfo,
} from '../../index.js';
// Values, not only types: a decorated parameter typed `Session` or `SessionEngine` is
// emitted as a reference under `emitDecoratorMetadata`, and `isolatedModules` (Nest's
// starter sets both) refuses a type-only import there.
export { Session, SessionEngine } from '../../index.js';
export {
  CurrentUser,
  provideAuth,
  SignInRequiredException,
  TESSERA_AUTH,
  TESSERA_REQUIRE_USER_OPTIONS,
  UserGuard,
} from './auth.js';
export { CurrentSession, CurrentUserId, Sess } from './decorators.js';
export { SessionErrorFilter } from './filter.js';
export { SignedInGuard } from './guard.js';
export { SessionModule } from './module.js';
export type {
  SessionModuleAdapterOptions,
  SessionModuleAsyncOptions,
  SessionModuleConfig,
  SessionModuleEngineOptions,
  SessionModuleOptions,
} from './options.js';
export { TESSERA_SESSION_OPTIONS, TESSERA_SESSIONS } from './tokens.js';
