import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth, AuthUser } from '../../auth/auth.js';
import { type RequireUserOptions, refuseStranger } from '../../auth/protect.js';
import { InvalidOptionsError } from '../../errors.js';
import type { Session } from '../../session/session.js';
import { withHttpFields } from './http-error.js';
import type { NextFunction, SessionMiddleware } from './middleware.js';

/**
 * Protects the routes it is mounted on (S-44): a signed-in user continues, with the
 * user in `res.locals.user`; a stranger asking for a page is redirected (`303`) to the
 * sign-in page with a validated `returnTo`; an API request (JSON, or not GET/HEAD) gets
 * `401`. Mount it on the route itself (`app.get('/account', requireUser(auth), ...)`),
 * after the session middleware.
 */
export function requireUser(
  auth: Pick<Auth, 'currentUser'>,
  options: RequireUserOptions = {},
): SessionMiddleware {
  if (typeof auth?.currentUser !== 'function') {
    throw new InvalidOptionsError('requireUser(auth): pass the object createAuth() returned');
  }
  return (req: IncomingMessage, res: ServerResponse, next: NextFunction) => {
    const session = (req as IncomingMessage & { session?: Session<object> }).session;
    if (session === undefined) {
      next(
        withHttpFields(
          new InvalidOptionsError('requireUser needs the tesserajs/express middleware before it'),
        ),
      );
      return;
    }
    auth.currentUser(session).then(
      (user: AuthUser | null) => {
        if (user !== null) {
          const locals = (res as ServerResponse & { locals?: Record<string, unknown> }).locals;
          if (locals !== undefined) locals.user = user;
          next();
          return;
        }
        const refusal = refuseStranger(
          {
            method: req.method ?? 'GET',
            accept: req.headers.accept,
            url: (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/',
          },
          options,
        );
        res.statusCode = refusal.status;
        for (const [name, value] of refusal.headers) res.setHeader(name, value);
        res.end(req.method === 'HEAD' ? undefined : refusal.body);
      },
      (error: unknown) => next(withHttpFields(error)),
    );
  };
}
