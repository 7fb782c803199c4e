import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Auth } from '../../auth/auth.js';
import { type RequireUserOptions, refuseStranger } from '../../auth/protect.js';
import { InvalidOptionsError } from '../../errors.js';

/**
 * A `preHandler` hook protecting the routes it is set on (S-44): a signed-in user
 * continues; a stranger asking for a page gets `303` to the sign-in page with a
 * validated `returnTo`, an API request `401`.
 *
 * ```ts
 * app.get('/account', { preHandler: requireUser(auth) }, handler);
 * ```
 */
export function requireUser(
  auth: Pick<Auth, 'currentUser'>,
  options: RequireUserOptions = {},
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  if (typeof auth?.currentUser !== 'function') {
    throw new InvalidOptionsError('requireUser(auth): pass the object createAuth() returned');
  }
  return async (request, reply) => {
    const session = request.session;
    if (session === undefined) {
      throw new InvalidOptionsError('requireUser needs the tesserajs/fastify plugin registered');
    }
    if ((await auth.currentUser(session)) !== null) return;
    const refusal = refuseStranger(
      { method: request.method, accept: request.headers.accept, url: request.url },
      options,
    );
    for (const [name, value] of refusal.headers) reply.header(name, value);
    await reply.code(refusal.status).send(refusal.body);
  };
}
