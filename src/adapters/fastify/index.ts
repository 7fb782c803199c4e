/**
 * `tesserajs/fastify`: sessions for Fastify 5, as a plugin. Thin by design: the
 * `onRequest` hook hands the request to the engine, the `onSend` hook applies the
 * engine's response plan, and failures go to Fastify's error handler as typed errors.
 * No session logic lives here.
 *
 * ```ts
 * import Fastify from 'fastify';
 * import { secretsFromEnv } from 'tesserajs';
 * import { fastifySessions } from 'tesserajs/fastify';
 *
 * const app = Fastify();
 * await app.register(fastifySessions, { secrets: secretsFromEnv('SESSION_SECRET') });
 * app.get('/', async (request) => {
 *   request.session.data.views = (Number(request.session.data.views) || 0) + 1;
 *   return { views: request.session.data.views };
 * });
 * ```
 */

export type { RequireUserOptions } from '../../auth/protect.js';
export type {
  LoadOptions,
  Session,
  SessionData,
  SessionOptions,
  UserSessionInfo,
} from '../../index.js';
export { csrfProtection, type FastifyCsrfOptions } from './csrf.js';
export { fastifySessions, PLUGIN_NAME } from './plugin.js';
export { requireUser } from './require-user.js';
export type { FastifySessionOptions, FastifySessionRouteConfig, FastifySessions } from './types.js';
