import type { ExecutionContext } from '@nestjs/common';
import { SessionStateError } from '../../errors.js';
import type { DefaultSessionData } from '../../session/session.js';
import { Session } from '../../session/session.js';

/**
 * The request's session (`req.session` on both platforms), or a clear error when the
 * module does not cover the request: a guard or decorator must never run on `undefined`.
 */
export function sessionOf(context: ExecutionContext): Session<DefaultSessionData> {
  const request = context.switchToHttp().getRequest<{ session?: unknown }>();
  const session = request?.session;
  if (!(session instanceof Session)) {
    throw new SessionStateError(
      session === undefined || session === null
        ? 'no Tessera session on this request: import SessionModule.forRoot() (or forRootAsync()) in the root module'
        : 'req.session is not a Tessera session (another session middleware or plugin is installed?): use one session middleware per request',
    );
  }
  return session as Session<DefaultSessionData>;
}
