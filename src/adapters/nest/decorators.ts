/**
 * Parameter decorators giving handlers the Tessera session, typed, under names that do
 * not collide with Nest's own `@Session()` (which also works: it reads `req.session`).
 */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { sessionOf } from './request-session.js';

/**
 * The request's `Session`: `@CurrentSession() session: Session`. Throws
 * `SessionStateError` (a bare 500) when `SessionModule` does not cover the request.
 */
export const CurrentSession: () => ParameterDecorator = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => sessionOf(context),
);

/** Short alias of {@link CurrentSession}: `@Sess() session: Session`. */
export const Sess: () => ParameterDecorator = CurrentSession;

/**
 * The signed-in user's id (`session.userId`: `string`, or `null` for a guest):
 * `@CurrentUserId() userId: string` behind {@link SignedInGuard}.
 */
export const CurrentUserId: () => ParameterDecorator = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => sessionOf(context).userId,
);
