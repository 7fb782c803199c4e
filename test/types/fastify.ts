/**
 * Type-level test of `tesserajs/fastify` (`tsc -p test/types`): `request.session.data`
 * is typed by the application's `SessionData` declaration (here `views: number`, from
 * augmentation.ts in this program), route `config.session` and the plugin's options are
 * checked, and `fastify.sessions` is there.
 */
import Fastify from 'fastify';
import { fastifySessions } from '../../src/adapters/fastify/index.js';
import type { Session } from '../../src/index.js';

export async function app(): Promise<void> {
  const app = Fastify();
  await app.register(fastifySessions, {
    secrets: ['0'.repeat(64)],
    onError: (error, request) => request.log.error({ err: error }),
  });
  // @ts-expect-error secrets are required
  await app.register(fastifySessions, {});
  // @ts-expect-error options are checked
  await app.register(fastifySessions, { secrets: ['0'.repeat(64)], onEror: () => {} });

  app.get('/', async (request) => {
    const session: Session = request.session;
    const views: number | undefined = request.session.data.views;
    request.session.data.views = (views ?? 0) + 1;
    // @ts-expect-error a view count is a number
    request.session.data.views = 'many';
    // @ts-expect-error unknown keys are refused once SessionData is declared
    request.session.data.nope = 1;
    return { views: session.data.views };
  });

  app.get('/public', { config: { session: { onStoreError: 'guest' } } }, async () => 'ok');
  // @ts-expect-error onStoreError is 'throw' or 'guest'
  app.get('/bad', { config: { session: { onStoreError: 'ignore' } } }, async () => 'ok');

  app.get('/stream', async (request, reply) => {
    await app.sessions.commit(request, reply.hijack());
    reply.raw.end('streamed');
  });
  const revoked: Promise<number> = app.sessions.engine.revokeUserSessions('alice');
  await revoked;
  await app.sessions.ready();
}
