import type { MiddlewareHandler } from 'hono';
import type { Auth, AuthUser } from '../../auth/auth.js';
import { type RequireUserOptions, refuseStranger } from '../../auth/protect.js';
import { InvalidOptionsError } from '../../errors.js';
import type { Session } from '../../session/session.js';

/** Variables `requireUser` sets: the signed-in user. */
export interface UserVariables {
  user: AuthUser;
}

/**
 * Middleware protecting the routes it is mounted on (S-44): a signed-in user continues,
 * with `c.get('user')`; a stranger asking for a page gets `303` to the sign-in page with
 * a validated `returnTo`, an API request `401`. Mount it after the session middleware.
 */
export function requireUser(
  auth: Pick<Auth, 'currentUser'>,
  options: RequireUserOptions = {},
): MiddlewareHandler<{ Variables: UserVariables }> {
  if (typeof auth?.currentUser !== 'function') {
    throw new InvalidOptionsError('requireUser(auth): pass the object createAuth() returned');
  }
  return async (c, next) => {
    const session = (c.get as (key: string) => unknown)('session') as Session<object> | undefined;
    if (session === undefined) {
      throw new InvalidOptionsError(
        'requireUser needs the tesserajs/hono session middleware before it',
      );
    }
    const user = await auth.currentUser(session);
    if (user !== null) {
      c.set('user', user);
      await next();
      return;
    }
    const url = new URL(c.req.url);
    const refusal = refuseStranger(
      { method: c.req.method, accept: c.req.header('accept'), url: url.pathname + url.search },
      options,
    );
    const headers = Object.fromEntries(refusal.headers);
    if (c.req.method === 'HEAD') return c.body(null, refusal.status, headers);
    return c.body(refusal.body, refusal.status, headers);
  };
}
