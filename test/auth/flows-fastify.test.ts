/**
 * The auth flows and route protection over real HTTP on Fastify 5 (see flows-contract.ts):
 * handlers throw the flows' errors and Fastify's own error handler answers them, with
 * the status the plugin's `onError` hook gave them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { fastifySessions, requireUser } from '../../src/adapters/fastify/index.js';
import { InvalidCredentialsError, TooManyAttemptsError } from '../../src/errors.js';
import { listen } from '../support/fastify.js';
import { newSecret, send } from '../support/http.js';
import { runEnumerationContract } from './enumeration-contract.js';
import {
  type AuthAppOptions,
  apiRoutes,
  PROTECTED_CONTENT,
  runFlowsContract,
  runProtectionContract,
} from './flows-contract.js';

/** The contract's app on Fastify. */
export async function startFastifyAuthApp({ sessionOptions, auth: makeAuth }: AuthAppOptions) {
  const app = Fastify();
  await app.register(fastifySessions, sessionOptions);
  const auth = makeAuth(app.sessions.engine as never);
  for (const route of apiRoutes(auth)) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const result = await route.run({
          session: request.session,
          body: (request.body ?? {}) as Record<string, unknown>,
          params: request.params as { handle?: string },
          request: { address: request.ip, userAgent: request.headers['user-agent'] },
        });
        if ('redirect' in result) return reply.redirect(result.redirect, 303);
        return reply.code(result.status).send(result.json);
      },
    });
  }
  const page = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type('text/html').send(`<p>${PROTECTED_CONTENT}</p>`);
  app.get('/dashboard', { preHandler: requireUser(auth) }, page);
  app.post('/dashboard', { preHandler: requireUser(auth) }, page);
  const url = await listen(app);
  return { url, close: () => app.close() };
}

describe('tesserajs/fastify with tesserajs/auth over HTTP', { timeout: 300_000 }, () => {
  runFlowsContract('fastify 5', startFastifyAuthApp);
  runProtectionContract('fastify 5', startFastifyAuthApp);
  runEnumerationContract('fastify 5', startFastifyAuthApp);
});

describe('the flows’ errors in Fastify’s error path', { timeout: 60_000 }, () => {
  it('a thrown InvalidCredentialsError answers 401, TooManyAttemptsError 429 + Retry-After, others 500', async (t) => {
    const app = Fastify();
    await app.register(fastifySessions, { secrets: [newSecret()] });
    app.get('/credentials', async () => {
      throw new InvalidCredentialsError();
    });
    app.get('/throttled', async () => {
      throw new TooManyAttemptsError('account', 7);
    });
    app.get('/other', async () => {
      throw new Error('application bug');
    });
    const url = await listen(app);
    t.after(() => app.close());
    const credentials = await send(`${url}/credentials`);
    assert.equal(credentials.status, 401, credentials.body);
    assert.equal(credentials.headers['cache-control'], 'no-store');
    assert.equal(JSON.parse(credentials.body).code, 'INVALID_CREDENTIALS');
    const throttled = await send(`${url}/throttled`);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['retry-after'], '7');
    assert.equal((await send(`${url}/other`)).status, 500);
  });

  it("an app's setErrorHandler sees the status in statusCode", async (t) => {
    const app = Fastify();
    await app.register(fastifySessions, { secrets: [newSecret()] });
    app.setErrorHandler((error: { statusCode?: number; code?: string }, _request, reply) =>
      reply.code(error.statusCode ?? 500).send({ failed: error.code }),
    );
    app.get('/credentials', async () => {
      throw new InvalidCredentialsError();
    });
    const url = await listen(app);
    t.after(() => app.close());
    const res = await send(`${url}/credentials`);
    assert.equal(res.status, 401);
    assert.deepEqual(JSON.parse(res.body), { failed: 'INVALID_CREDENTIALS' });
  });
});
