/**
 * `tesserajs/hono`: the adapter contract over real HTTP (`@hono/node-server`), then what
 * is specific to Hono: its response helpers (redirect, json, text, body, streams), its
 * `setCookie` helper beside our cookie, handlers returning immutable responses,
 * in-process `app.request()`, errors reaching `app.onError` with their code, and the
 * per-route `onStoreError: 'guest'`.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { stream } from 'hono/streaming';
import {
  type HonoSessionFailure,
  honoSessions,
  type SessionEnv,
} from '../../src/adapters/hono/index.js';
import { isTesseraError, SessionStoreError, type TesseraError } from '../../src/errors.js';
import type { Session } from '../../src/session/session.js';
import type { SessionRecord } from '../../src/stores/contract.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { CookieJar, newSecret, send, startServer, type TestServer } from '../support/http.js';
import { type ContractData, runAdapterContract } from './contract.js';

type Env = SessionEnv<ContractData>;

/** Serves a Hono app with @hono/node-server on 127.0.0.1 and an ephemeral port. */
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

function bump(session: Session<ContractData>): void {
  session.data.count = ((session.data.count as number | undefined) ?? 0) + 1;
}

function contractApp(sessions: ReturnType<typeof honoSessions<ContractData>>): Hono<Env> {
  const app = new Hono<Env>();
  app.use(sessions);
  const json = (session: Session<ContractData>) => ({ isNew: session.isNew, data: session.data });
  app.get('/read', (c) => c.json(json(c.get('session'))));
  app.get('/inc', (c) => {
    bump(c.var.session);
    return c.json(json(c.var.session));
  });
  app.get('/big', (c) => {
    c.var.session.data.big = 'x'.repeat(Number(c.req.query('n')));
    return c.json(json(c.var.session));
  });
  app.get('/regenerate', (c) => {
    c.var.session.regenerate();
    return c.json(json(c.var.session));
  });
  app.get('/destroy', (c) => {
    c.var.session.destroy();
    return c.json(json(c.var.session));
  });
  app.get('/redirect', (c) => {
    bump(c.var.session);
    return c.redirect('/read');
  });
  app.get('/app-cookie', (c) => {
    bump(c.var.session);
    setCookie(c, 'app', '1', { path: '/' });
    return c.json(json(c.var.session));
  });
  app.get('/send', (c) => {
    bump(c.var.session);
    return c.text('ok');
  });
  return app;
}

const secret = newSecret();
const encoder = new TextEncoder();

/** A memory store that can be switched off, as a store outage. */
class SwitchableStore extends MemoryStore {
  down = false;
  override get(key: string): Promise<SessionRecord | null> {
    if (this.down) return Promise.reject(new SessionStoreError('get'));
    return super.get(key);
  }
}

describe('tesserajs/hono', { timeout: 300_000 }, () => {
  runAdapterContract('hono', async (options) => {
    const errors: unknown[] = [];
    const sessions = honoSessions<ContractData>({ ...options, onError: (e) => errors.push(e) });
    const server = await serveHono(contractApp(sessions));
    return { ...server, errors };
  });

  describe("Hono's response helpers", () => {
    let upstream: TestServer;
    let server: TestServer;
    before(async () => {
      upstream = await startServer((_req, res) => {
        res.setHeader('set-cookie', 'upstream=1; Path=/');
        res.end('from upstream');
      });
      const app = new Hono<Env>();
      app.use(honoSessions<ContractData>({ secrets: [secret], cookie: { secure: false } }));
      app.use(async (c, next) => {
        bump(c.var.session);
        await next();
      });
      app.get('/json', (c) => c.json({ ok: true }));
      app.get('/text', (c) => c.text('plain'));
      app.get('/body', (c) =>
        c.body(
          new ReadableStream({
            start(controller) {
              controller.enqueue(encoder.encode('part-1,'));
              controller.enqueue(encoder.encode('part-2'));
              controller.close();
            },
          }),
        ),
      );
      app.get('/stream', (c) =>
        stream(c, async (s) => {
          await s.write('s-1,');
          await s.write('s-2');
        }),
      );
      app.get('/cookies-and-redirect', (c) => {
        setCookie(c, 'a', '1', { path: '/' });
        setCookie(c, 'b', '2', { path: '/', expires: new Date(Date.now() + 86_400_000) });
        return c.redirect('/json', 303);
      });
      app.get('/web-redirect', () => Response.redirect('http://127.0.0.1/json', 302));
      app.get('/proxied', () => fetch(`${upstream.url}/`));
      server = await serveHono(app);
    });
    after(async () => {
      await server?.close();
      await upstream?.close();
    });

    for (const [path, body] of [
      ['/json', '{"ok":true}'],
      ['/text', 'plain'],
      ['/body', 'part-1,part-2'],
      ['/stream', 's-1,s-2'],
    ] as const) {
      it(`${path}: the whole body, with the session cookie`, async () => {
        const jar = new CookieJar();
        const res = await jar.send(`${server.url}${path}`);
        assert.equal(res.status, 200);
        assert.equal(res.body, body);
        assert.equal(res.setCookie.length, 1, res.setCookie.join('\n'));
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.equal((await jar.send(`${server.url}${path}`)).setCookie.length, 1, 'count 2');
      });
    }

    it("c.redirect keeps setCookie's cookies and ours as separate header lines", async () => {
      const res = await send(`${server.url}/cookies-and-redirect`);
      assert.equal(res.status, 303);
      assert.equal(res.headers.location, '/json');
      assert.equal(res.setCookie.length, 3, res.setCookie.join('\n'));
      assert.equal(res.setCookie[0], 'a=1; Path=/');
      // An Expires date holds a comma: joined lines would split there.
      assert.match(res.setCookie[1]!, /^b=2; .*Expires=\w{3}, \d{2} \w{3} \d{4} /);
      assert.match(res.setCookie[2]!, /HttpOnly/);
    });

    it('a handler returning Response.redirect() (immutable headers) gets the cookie', async () => {
      const res = await send(`${server.url}/web-redirect`);
      assert.equal(res.status, 302);
      assert.equal(res.headers.location, 'http://127.0.0.1/json');
      assert.equal(res.setCookie.length, 1);
    });

    it('a handler returning a fetch() result keeps its body and cookie, plus ours', async () => {
      const res = await send(`${server.url}/proxied`);
      assert.equal(res.body, 'from upstream');
      assert.equal(res.setCookie.length, 2, res.setCookie.join('\n'));
      assert.match(res.setCookie[0]!, /^upstream=1/);
    });
  });

  describe('in-process app.request()', () => {
    it('works without a server: the cookie round-trips', async () => {
      const app = contractApp(honoSessions<ContractData>({ secrets: [secret] }));
      const first = await app.request('/inc');
      const lines = first.headers.getSetCookie();
      assert.equal(lines.length, 1);
      // 'auto': app.request() URLs are http://localhost, so no Secure outside production.
      assert.doesNotMatch(lines[0]!, /Secure/);
      const cookie = lines[0]!.split(';')[0]!;
      const second = await app.request('/inc', { headers: { cookie } });
      assert.deepEqual(((await second.json()) as { data: ContractData }).data, { count: 2 });
      const https = await app.request('https://app.test/inc');
      assert.match(https.headers.getSetCookie()[0]!, /; Secure/);
    });
  });

  describe('errors', () => {
    it('app.onError receives the typed error with its code; the response is bare', async () => {
      const seen: TesseraError[] = [];
      const reported: unknown[] = [];
      const app = contractApp(
        honoSessions<ContractData>({ secrets: [secret], onError: (e) => reported.push(e) }),
      );
      app.get('/big-with-extras', (c) => {
        setCookie(c, 'app', '1');
        c.header('x-app', 'yes');
        c.var.session.data.big = 'x'.repeat(12_000);
        return c.text('x'.repeat(100));
      });
      app.onError((error, c) => {
        if (isTesseraError(error)) seen.push(error);
        return c.text('custom failure', 500);
      });
      const res = await app.request('/big-with-extras');
      assert.equal(res.status, 500);
      assert.equal(await res.text(), 'custom failure');
      assert.deepEqual(res.headers.getSetCookie(), [], "neither ours nor the app's");
      assert.equal(res.headers.get('x-app'), null);
      assert.deepEqual(
        seen.map((e) => e.code),
        ['SESSION_TOO_LARGE'],
      );
      assert.equal(reported[0], seen[0]);
      assert.equal((seen[0] as unknown as HonoSessionFailure).getResponse().status, 500);
    });

    it("Hono's default error handler answers the bare failure response", async () => {
      const app = contractApp(honoSessions<ContractData>({ secrets: [secret], onError: () => {} }));
      app.get('/big-with-extras', (c) => {
        setCookie(c, 'app', '1');
        c.header('x-app', 'yes');
        c.var.session.data.big = 'x'.repeat(12_000);
        return c.text('x'.repeat(100));
      });
      const res = await app.request('/big-with-extras');
      assert.equal(res.status, 500);
      assert.equal(await res.text(), 'Internal Server Error');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.deepEqual(res.headers.getSetCookie(), []);
      assert.equal(res.headers.get('x-app'), null);
    });

    it("a route with onStoreError: 'guest' serves a guest during an outage; others answer 503", async () => {
      const store = new SwitchableStore();
      const sessions = honoSessions<ContractData>({
        secrets: [secret],
        store,
        onError: () => {},
      });
      const app = new Hono<Env>();
      app.use('/public/*', sessions.with({ onStoreError: 'guest' }));
      app.use(sessions);
      const body = (c: { var: { session: Session<ContractData> } }) => ({
        isNew: c.var.session.isNew,
        data: c.var.session.data,
      });
      app.get('/inc', (c) => {
        bump(c.var.session);
        return c.json(body(c));
      });
      app.get('/public/read', (c) => c.json(body(c)));
      const codes: string[] = [];
      app.onError((error, c) => {
        if (isTesseraError(error)) codes.push(error.code);
        return (error as Partial<HonoSessionFailure>).getResponse?.() ?? c.text('bug', 500);
      });
      const cookie = (await app.request('/inc')).headers.getSetCookie()[0]!.split(';')[0]!;
      const headers = { cookie };
      assert.deepEqual(
        await (await app.request('/public/read', { headers })).json(),
        { isNew: false, data: { count: 1 } },
        'one session per request: the route-specific middleware loaded it, the app-wide one passed',
      );
      store.down = true;
      const down = await app.request('/inc', { headers });
      assert.equal(down.status, 503);
      assert.equal(down.headers.get('retry-after'), '5');
      assert.deepEqual(codes, ['STORE_UNAVAILABLE'], 'app.onError saw the load failure');
      const guest = await app.request('/public/read', { headers });
      assert.equal(guest.status, 200);
      assert.deepEqual(await guest.json(), { isNew: true, data: {} });
      assert.deepEqual(guest.headers.getSetCookie(), [], 'a read-only guest sets no cookie');
    });
  });
});
