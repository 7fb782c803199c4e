/** `tesserajs/fastify` csrfProtection over real HTTP on Fastify 5 (see csrf-contract.ts). */
import { parse } from 'node:querystring';
import { describe } from 'node:test';
import Fastify from 'fastify';
import { csrfProtection, fastifySessions } from '../../src/adapters/fastify/index.js';
import { createCsrf } from '../../src/auth/csrf/token.js';
import { listen } from '../support/fastify.js';
import { type CsrfAppOptions, runCsrfContract } from './csrf-contract.js';

async function startFastifyCsrfApp({ secrets, store, onEvent }: CsrfAppOptions) {
  const app = Fastify();
  await app.register(fastifySessions, { secrets, onEvent, ...(store ? { store } : {}) });
  // What @fastify/formbody does: a repeated field becomes an array.
  app.addContentTypeParser(FORM, { parseAs: 'string' }, (_request, body, done) => {
    done(null, parse(body as string));
  });
  // Any other type (multipart without a plugin, a missing type) is kept as text here,
  // so that the guard, not a 415, answers.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });
  const csrf = createCsrf({ engine: app.sessions.engine });
  app.addHook('preHandler', csrfProtection({ csrf }));
  const count = (request: { session: { data: Record<string, unknown> } }) =>
    Number(request.session.data.count ?? 0);
  app.get('/form', async (request) => ({ token: csrf.token(request.session) }));
  app.get('/count', async (request) => ({ count: count(request) }));
  app.post('/transfer', async (request) => {
    request.session.data.count = count(request) + 1;
    return { count: request.session.data.count };
  });
  app.post('/login', async (request) => {
    request.session.setUser('alice');
    return { ok: true };
  });
  const url = await listen(app);
  return { url, close: () => app.close() };
}

const FORM = 'application/x-www-form-urlencoded';

describe('tesserajs/fastify csrfProtection', { timeout: 120_000 }, () => {
  runCsrfContract('fastify 5', startFastifyCsrfApp);
});
