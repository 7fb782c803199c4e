/**
 * The plugin: one engine per registration, `request.session` loaded in `onRequest` and
 * committed in `onSend`. Wrapped with `fastify-plugin`, so its decorations and hooks
 * belong to the scope that registers it (and that scope's children), like every session
 * plugin Fastify users know.
 */
import type { FastifyInstance } from 'fastify';
import { fastifyPlugin } from 'fastify-plugin';
import { InvalidOptionsError } from '../../errors.js';
import { SessionEngine } from '../../session/engine.js';
import type { DefaultSessionData } from '../../session/session.js';
import { withHttpFields } from '../express/http-error.js';
import { commitHook, commitNow, unsavedHook } from './commit.js';
import { loadHook } from './load.js';
import type { FastifySessionOptions, FastifySessions } from './types.js';

/** The name Fastify knows the plugin by (in errors, `printPlugins()`, dependencies). */
export const PLUGIN_NAME = 'tesserajs';

/** Refuses a second registration where `request.session` already exists. */
function checkNotRegistered(fastify: FastifyInstance): void {
  if (fastify.hasDecorator('sessions') && fastify.hasRequestDecorator('session')) {
    throw new InvalidOptionsError(
      'tesserajs/fastify is already registered in this scope or a parent scope: register it once, in the scope whose routes share sessions (two independent session setups need two sibling encapsulated scopes)',
    );
  }
  if (fastify.hasRequestDecorator('session')) {
    throw new InvalidOptionsError(
      'request.session is already decorated by another plugin (@fastify/session, @fastify/secure-session?): use one session plugin per scope',
    );
  }
}

function setUp(fastify: FastifyInstance, options: FastifySessionOptions): void {
  checkNotRegistered(fastify);
  const { onError, ...sessionOptions } = options;
  if (onError !== undefined && typeof onError !== 'function') {
    throw new InvalidOptionsError('onError must be a function');
  }
  installSessions(fastify, new SessionEngine<DefaultSessionData>(sessionOptions), onError);
}

/**
 * Decorates `fastify` and adds the hooks over an engine that already exists (the NestJS
 * module shares one engine between the plugin and its providers), as registering the
 * plugin would.
 */
export function installSessions(
  fastify: FastifyInstance,
  engine: SessionEngine<DefaultSessionData>,
  onError: FastifySessionOptions['onError'],
): void {
  checkNotRegistered(fastify);
  const sessions: FastifySessions = {
    engine,
    ready: () => engine.ready(),
    commit: (request, reply) => commitNow(engine, request, reply),
  };
  fastify.decorate('sessions', sessions);
  // Fastify 5 refuses reference-type defaults (one object shared by every request):
  // `null` here, the request's own session in the `onRequest` hook.
  fastify.decorateRequest('session', null as never);
  fastify.addHook('onRequest', loadHook(engine, onError));
  fastify.addHook('onSend', commitHook(engine, onError));
  fastify.addHook('onResponse', unsavedHook(onError));
  // Errors of the auth flows are thrown by the app's own handlers: `onError` runs before
  // the error handler, so Fastify's (or the app's) sees their status (401, 429 with
  // `Retry-After`, ...) in `statusCode` and `headers` instead of answering 500.
  fastify.addHook('onError', (_request, _reply, error, done) => {
    withHttpFields(error);
    done();
  });
}

function plugin(
  fastify: FastifyInstance,
  options: FastifySessionOptions,
  done: (error?: Error) => void,
): void {
  // Through `done`, not thrown: a throw here would escape Fastify's boot sequence as an
  // uncaught exception instead of rejecting `register()` / `ready()`.
  try {
    setUp(fastify, options);
  } catch (error) {
    done(error as Error);
    return;
  }
  done();
}

/**
 * Sessions for Fastify 5: `app.register(fastifySessions, { secrets })`, then
 * `request.session` in every route of the registering scope and its children.
 */
export const fastifySessions = fastifyPlugin<FastifySessionOptions>(plugin, {
  fastify: '5.x',
  name: PLUGIN_NAME,
});
