import type { Auth, AuthUser } from '../../auth/auth.js';
import { type RequireUserOptions, refuseStranger } from '../../auth/protect.js';
import type { Session } from '../../session/session.js';

/**
 * Route protection for Fetch-API handlers (S-44): resolves to the signed-in user, or to
 * the `Response` that refuses the stranger (`303` to the sign-in page with a validated
 * `returnTo` for a page, `401` for an API request). Return that response as it is; the
 * session middleware adds its cookies.
 */
export async function requireUser(
  auth: Pick<Auth, 'currentUser'>,
  request: Request,
  session: Session<object>,
  options: RequireUserOptions = {},
): Promise<AuthUser | Response> {
  const user = await auth.currentUser(session);
  if (user !== null) return user;
  const url = new URL(request.url);
  const refusal = refuseStranger(
    {
      method: request.method,
      accept: request.headers.get('accept') ?? undefined,
      url: url.pathname + url.search,
    },
    options,
  );
  return new Response(request.method === 'HEAD' ? null : refusal.body, {
    status: refusal.status,
    headers: refusal.headers.map(([name, value]) => [name, value] as [string, string]),
  });
}
