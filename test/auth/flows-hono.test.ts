/**
 * The auth flows and route protection over real HTTP on Hono 4 with @hono/node-server
 * (see flows-contract.ts): handlers throw the flows' errors and `app.onError` answers
 * them with `failureResponseFor`, as docs/hono.md shows.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import {
  failureResponseFor,
  honoSessions,
  requireUser,
  type SessionEnv,
} from '../../src/adapters/hono/index.js';
import { InvalidCredentialsError, isTesseraError, TooManyAttemptsError } from '../../src/errors.js';
import { newSecret, send, type TestServer } from '../support/http.js';
import { runEnumerationContract } from './enumeration-contract.js';
import {
  type AuthAppOptions,
  apiRoutes,
  PROTECTED_CONTENT,
  runFlowsContract,
  runProtectionContract,
} from './flows-contract.js';

type Env = SessionEnv<object>;

async function serveHono(app: Hono<Env>): Promise<TestServer> {
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started as Server),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The contract's app on Hono. */
export function startHonoAuthApp({ sessionOptions, auth: makeAuth }: AuthAppOptions) {
  const sessions = honoSessions<object>({ ...sessionOptions, onError: () => {} });
  const auth = makeAuth(sessions.engine);
  const app = new Hono<Env>();
  app.use(sessions);
  app.onError((error, c) =>
    isTesseraError(error) ? failureResponseFor(error) : c.text('Internal Server Error', 500),
  );
  for (const route of apiRoutes(auth)) {
    app.on(route.method, route.path, async (c) => {
      const text = await c.req.text();
      let body: Record<string, unknown> = {};
      try {
        body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      } catch {}
      const result = await route.run({
        session: c.var.session,
        body,
        params:
          c.req.param('handle') === undefined ? {} : { handle: c.req.param('handle') as string },
        request: { userAgent: c.req.header('user-agent') },
      });
      if ('redirect' in result) return c.redirect(result.redirect, 303);
      return c.json(result.json as object, result.status as 200);
    });
  }
  const page = (c: Context) => c.html(`<p>${PROTECTED_CONTENT}</p>`);
  app.get('/dashboard', requireUser(auth), page);
  app.post('/dashboard', requireUser(auth), page);
  return serveHono(app);
}

describe('tesserajs/hono with tesserajs/auth over HTTP', { timeout: 300_000 }, () => {
  runFlowsContract('hono 4', startHonoAuthApp);
  runProtectionContract('hono 4', startHonoAuthApp);
  runEnumerationContract('hono 4', startHonoAuthApp);
});

describe('the flows’ errors in app.onError', { timeout: 60_000 }, () => {
  it('failureResponseFor answers InvalidCredentialsError 401 and TooManyAttemptsError 429 + Retry-After', async (t) => {
    const app = new Hono<Env>();
    app.use(honoSessions<object>({ secrets: [newSecret()], onError: () => {} }));
    app.onError((error) => failureResponseFor(error));
    app.get('/credentials', () => {
      throw new InvalidCredentialsError();
    });
    app.get('/throttled', () => {
      throw new TooManyAttemptsError('account', 7);
    });
    const server = await serveHono(app);
    t.after(() => server.close());
    const credentials = await send(`${server.url}/credentials`);
    assert.equal(credentials.status, 401);
    assert.equal(credentials.headers['cache-control'], 'no-store');
    const throttled = await send(`${server.url}/throttled`);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['retry-after'], '7');
  });
});
