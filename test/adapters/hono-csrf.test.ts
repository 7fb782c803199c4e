/**
 * `tesserajs/hono` csrfProtection over real HTTP with @hono/node-server (see
 * csrf-contract.ts). The handler parses the form body again after the guard read it:
 * Hono caches the parsed body, so it is not consumed twice.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { csrfProtection, honoSessions, type SessionEnv } from '../../src/adapters/hono/index.js';
import { createCsrf } from '../../src/auth/csrf/token.js';
import { CookieJar, newSecret, type TestServer } from '../support/http.js';
import { type CsrfAppOptions, runCsrfContract } from './csrf-contract.js';

type Env = SessionEnv<Record<string, unknown>>;

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

function honoCsrfApp({ secrets, store, onEvent }: CsrfAppOptions): Hono<Env> {
  const sessions = honoSessions<Record<string, unknown>>({
    secrets,
    onEvent,
    ...(store ? { store } : {}),
    onError: () => {},
  });
  const csrf = createCsrf({ engine: sessions.engine });
  const app = new Hono<Env>();
  app.use(sessions, csrfProtection({ csrf }));
  const count = (data: Record<string, unknown>) => Number(data.count ?? 0);
  app.get('/form', (c) => c.json({ token: csrf.token(c.var.session) }));
  app.get('/count', (c) => c.json({ count: count(c.var.session.data) }));
  app.post('/transfer', async (c) => {
    const body = await c.req.parseBody();
    const data = c.var.session.data;
    data.count = count(data) + 1;
    return c.json({ count: data.count, fields: Object.keys(body) });
  });
  app.post('/login', (c) => {
    c.var.session.setUser('alice');
    return c.json({ ok: true });
  });
  return app;
}

describe('tesserajs/hono csrfProtection', { timeout: 120_000 }, () => {
  runCsrfContract('hono 4', async (options) => serveHono(honoCsrfApp(options)));

  describe('the form body stays readable after the guard', () => {
    let server: TestServer;
    before(async () => {
      server = await serveHono(
        honoCsrfApp({ secrets: [newSecret()], store: undefined, onEvent: () => {} }),
      );
    });
    after(async () => {
      await server?.close();
    });

    it('urlencoded and multipart forms reach the handler whole', async () => {
      const jar = new CookieJar();
      const form = await jar.send(`${server.url}/form`);
      const { token } = JSON.parse(form.body) as { token: string };
      const origin = { origin: server.url };
      const urlencoded = await jar.send(`${server.url}/transfer`, {
        method: 'POST',
        headers: { ...origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: `_csrf=${token}&amount=5`,
      });
      assert.equal(urlencoded.status, 200, urlencoded.body);
      assert.deepEqual(JSON.parse(urlencoded.body).fields, ['_csrf', 'amount']);
      const boundary = 'tessera-boundary';
      const multipart = await jar.send(`${server.url}/transfer`, {
        method: 'POST',
        headers: { ...origin, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: [
          `--${boundary}`,
          'Content-Disposition: form-data; name="_csrf"',
          '',
          token,
          `--${boundary}`,
          'Content-Disposition: form-data; name="amount"',
          '',
          '5',
          `--${boundary}--`,
          '',
        ].join('\r\n'),
      });
      assert.equal(multipart.status, 200, multipart.body);
      assert.deepEqual(JSON.parse(multipart.body).fields, ['_csrf', 'amount']);
    });

    it('a refusal reaches app.onError as a CsrfError and answers a bare 403', async () => {
      const app = honoCsrfApp({ secrets: [newSecret()], store: undefined, onEvent: () => {} });
      const seen: unknown[] = [];
      app.onError((error, c) => {
        seen.push((error as { code?: unknown }).code);
        return c.text('refused', 403);
      });
      const res = await app.request('http://app.example/transfer', {
        method: 'POST',
        headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
        body: 'x',
      });
      assert.equal(res.status, 403);
      assert.deepEqual(seen, ['CSRF']);
      const bare = honoCsrfApp({ secrets: [newSecret()], store: undefined, onEvent: () => {} });
      const fallback = await bare.request('http://app.example/transfer', {
        method: 'POST',
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      assert.equal(fallback.status, 403);
      assert.equal(await fallback.text(), 'Forbidden');
    });
  });
});
