/**
 * `tesserajs/fetch`: the adapter contract over real HTTP (the fetch handler behind
 * `@hono/node-server`'s request listener, the bridge Node users run it on), then what is
 * specific to web-standard responses: immutable headers, several Set-Cookie lines,
 * streamed bodies, `load`/`commit` by hand, and how `secure` is read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getRequestListener } from '@hono/node-server';
import { fetchSessions } from '../../src/adapters/fetch/index.js';
import { isTesseraError } from '../../src/errors.js';
import type { Session } from '../../src/session/session.js';
import { CookieJar, newSecret, send, startServer, type TestServer } from '../support/http.js';
import { type ContractData, runAdapterContract } from './contract.js';

function json(session: Session<ContractData>): Response {
  return Response.json({ isNew: session.isNew, data: session.data });
}

function bump(session: Session<ContractData>): void {
  session.data.count = ((session.data.count as number | undefined) ?? 0) + 1;
}

/** The contract routes as a fetch handler. */
function contractRoute(request: Request, session: Session<ContractData>): Response {
  const url = new URL(request.url);
  switch (url.pathname) {
    case '/inc':
      bump(session);
      break;
    case '/big':
      session.data.big = 'x'.repeat(Number(url.searchParams.get('n')));
      break;
    case '/regenerate':
      session.regenerate();
      break;
    case '/destroy':
      session.destroy();
      break;
    case '/redirect':
      bump(session);
      // Response.redirect() has immutable headers: the adapter must copy it.
      return Response.redirect(new URL('/read', url), 302);
    case '/app-cookie': {
      bump(session);
      const response = json(session);
      response.headers.append('set-cookie', 'app=1; Path=/');
      return response;
    }
    case '/send':
      bump(session);
      return new Response('ok', { headers: { 'content-type': 'text/plain' } });
  }
  return json(session);
}

const secret = newSecret();

describe('tesserajs/fetch', { timeout: 300_000 }, () => {
  runAdapterContract('fetch', async (options) => {
    const errors: unknown[] = [];
    const sessions = fetchSessions<ContractData>({ ...options, onError: (e) => errors.push(e) });
    const server = await startServer(getRequestListener(sessions.handle(contractRoute)));
    return { ...server, errors };
  });

  describe('web-standard responses', () => {
    const errors: unknown[] = [];
    const cancelled: string[] = [];
    let upstream: TestServer;
    let server: TestServer;
    before(async () => {
      upstream = await startServer((_req, res) => {
        res.setHeader('content-type', 'text/plain');
        res.setHeader('set-cookie', 'upstream=1; Path=/');
        res.end('from upstream');
      });
      const sessions = fetchSessions<ContractData>({
        secrets: [secret],
        cookie: { secure: false },
        onError: (e) => errors.push(e),
      });
      const handler = sessions.handle(async (request, session) => {
        const url = new URL(request.url);
        bump(session);
        switch (url.pathname) {
          case '/proxied':
            // A fetch() result: immutable headers, a body still streaming from upstream.
            return fetch(`${upstream.url}/`);
          case '/two-cookies': {
            const headers = new Headers();
            headers.append('set-cookie', 'a=1; Path=/');
            headers.append('set-cookie', 'b=2; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT');
            return new Response('two', { headers });
          }
          case '/stream':
            return new Response(
              new ReadableStream({
                start(controller) {
                  controller.enqueue(new TextEncoder().encode('chunk-1,'));
                  controller.enqueue(new TextEncoder().encode('chunk-2'));
                  controller.close();
                },
              }),
            );
          case '/big-stream':
            session.data.big = 'x'.repeat(12_000);
            return new Response(
              new ReadableStream({
                pull(controller) {
                  controller.enqueue(new TextEncoder().encode('x'));
                },
                cancel() {
                  cancelled.push('/big-stream');
                },
              }),
            );
          case '/throws':
            throw new Error('handler bug');
        }
        return json(session);
      });
      server = await startServer(getRequestListener(handler));
    });
    after(async () => {
      await server?.close();
      await upstream?.close();
    });

    it('a fetch() result (immutable headers) keeps its body, status and cookies, plus ours', async () => {
      const jar = new CookieJar();
      const res = await jar.send(`${server.url}/proxied`);
      assert.equal(res.status, 200);
      assert.equal(res.body, 'from upstream');
      assert.equal(res.setCookie.length, 2, res.setCookie.join('\n'));
      assert.match(res.setCookie[0]!, /^upstream=1/);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.deepEqual(JSON.parse((await jar.send(`${server.url}/read`)).body).data, { count: 2 });
    });

    it('every Set-Cookie is its own header line, never comma-joined', async () => {
      const res = await send(`${server.url}/two-cookies`);
      assert.equal(res.setCookie.length, 3, res.setCookie.join('\n'));
      assert.match(res.setCookie[0]!, /^a=1; Path=\/$/);
      assert.match(res.setCookie[1]!, /^b=2; .*Expires=Wed, 21 Oct 2037/);
    });

    it('streamed bodies go out whole, with the cookie', async () => {
      const res = await send(`${server.url}/stream`);
      assert.equal(res.body, 'chunk-1,chunk-2');
      assert.equal(res.setCookie.length, 1);
    });

    it("a failed commit answers the bare 500 and cancels the app's stream", async () => {
      const res = await send(`${server.url}/big-stream`);
      assert.equal(res.status, 500);
      assert.equal(res.body, 'Internal Server Error');
      assert.deepEqual(res.setCookie, []);
      assert.deepEqual(cancelled, ['/big-stream']);
      assert.ok(errors.some((e) => isTesseraError(e) && e.code === 'SESSION_TOO_LARGE'));
    });

    it('a handler that throws becomes a bare 500, reported to onError', async () => {
      const before = errors.length;
      const res = await send(`${server.url}/throws`);
      assert.equal(res.status, 500);
      assert.equal(res.body, 'Internal Server Error');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal((errors[before] as Error).message, 'handler bug');
    });
  });

  describe('load and commit by hand, and how the request is read', () => {
    it('load() then commit() round-trips a session without handle()', async () => {
      const sessions = fetchSessions<ContractData>({ secrets: [secret] });
      const first = await sessions.load(new Request('http://localhost/'));
      first.data.count = 5;
      const response = await sessions.commit(first, new Response('saved'));
      const lines = response.headers.getSetCookie();
      assert.equal(lines.length, 1);
      assert.equal(await response.text(), 'saved');
      const cookie = lines[0]!.split(';')[0]!;
      const second = await sessions.load(new Request('http://localhost/', { headers: { cookie } }));
      assert.deepEqual({ ...second.data }, { count: 5 });
      assert.equal(
        await sessions
          .commit(second, new Response('same'))
          .then((r) => r.headers.getSetCookie().length),
        0,
      );
    });

    it("secure: 'auto' follows the request's scheme, and X-Forwarded-Proto only with trustProxy", async () => {
      const issue = async (
        trustProxy: boolean,
        url: string,
        headers: Record<string, string> = {},
      ) => {
        const sessions = fetchSessions<ContractData>({ secrets: [secret], trustProxy });
        const handler = sessions.handle((_request, session) => {
          bump(session);
          return new Response('ok');
        });
        const response = await handler(new Request(url, { headers }));
        return response.headers.getSetCookie()[0] ?? '';
      };
      assert.match(await issue(false, 'https://app.test/'), /; Secure/);
      assert.doesNotMatch(await issue(false, 'http://app.test/'), /; Secure/);
      const forwarded = { 'x-forwarded-proto': 'https' };
      assert.doesNotMatch(await issue(false, 'http://app.test/', forwarded), /; Secure/);
      assert.match(await issue(true, 'http://app.test/', forwarded), /; Secure/);
    });
  });
});
