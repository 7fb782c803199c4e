import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth, AuthUser } from '../../auth/auth.js';
import { type RequireUserOptions, refuseStranger } from '../../auth/protect.js';
import type { Session } from '../../session/session.js';

/**
 * Route protection for node:http handlers (S-44): resolves to the signed-in user, or
 * answers the stranger (`303` to the sign-in page with a validated `returnTo` for a
 * page, `401` for an API request) and resolves to `null`; the handler then returns.
 *
 * ```ts
 * const user = await requireUser(auth, req, res, session);
 * if (user === null) return;
 * ```
 */
export async function requireUser(
  auth: Pick<Auth, 'currentUser'>,
  req: IncomingMessage,
  res: ServerResponse,
  session: Session<object>,
  options: RequireUserOptions = {},
): Promise<AuthUser | null> {
  const user = await auth.currentUser(session);
  if (user !== null) return user;
  const refusal = refuseStranger(
    { method: req.method ?? 'GET', accept: req.headers.accept, url: req.url ?? '/' },
    options,
  );
  res.statusCode = refusal.status;
  for (const [name, value] of refusal.headers) res.setHeader(name, value);
  res.end(req.method === 'HEAD' ? undefined : refusal.body);
  return null;
}
