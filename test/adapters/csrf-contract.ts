/**
 * The CSRF suite every adapter's `csrfProtection` passes, over real HTTP. Each adapter's
 * test builds the same small app and calls {@link runCsrfContract}; the suite plays a
 * browser (cookie jar, `Origin`, `Sec-Fetch-Site`) and an attacker's page.
 *
 * Routes, with the adapter's `csrfProtection` in front of all of them:
 *   GET  /form       -> `{"token": csrf.token(session)}` (a guest gets its session here)
 *   GET  /count      -> `{"count": n}`
 *   POST /transfer   -> data.count += 1, `{"count": n}`; a form post (urlencoded body with
 *                       `_csrf`, or `text/plain` with the header), or JSON (`/api` style)
 *   POST /login      -> setUser('alice') (a new session id: S-41), `{"ok": true}`
 *   GET  /transfer   -> the same state change through GET, for S-40 (an app bug the
 *                       guard does not hide; the suite only checks GET is never refused)
 *
 * The app passes `onEvent` to its session options, so the suite sees the events (S-58).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TesseraEvent } from '../../src/kernel/events.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { CookieJar, newSecret, send, type TestResponse, type TestServer } from '../support/http.js';

/** What an adapter's app is started with. */
export interface CsrfAppOptions {
  readonly secrets: string[];
  readonly store: MemoryStore | undefined;
  /** The session engine's `onEvent`. */
  readonly onEvent: (event: TesseraEvent) => void;
}

export type StartCsrfApp = (options: CsrfAppOptions) => Promise<TestServer>;

const FORM = 'application/x-www-form-urlencoded';

/** A browser on the application's own pages. */
class Browser {
  readonly jar = new CookieJar();
  constructor(readonly url: string) {}

  get origin(): string {
    return this.url;
  }

  async token(): Promise<string> {
    const res = await this.jar.send(`${this.url}/form`, {
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(res.status, 200, res.body);
    return (JSON.parse(res.body) as { token: string }).token;
  }

  async count(): Promise<number> {
    const res = await this.jar.send(`${this.url}/count`);
    assert.equal(res.status, 200, res.body);
    return (JSON.parse(res.body) as { count: number }).count;
  }

  /** A POST with this browser's cookies; headers say where it comes from. */
  post(
    path: string,
    body: string,
    headers: Record<string, string> = {},
    contentType: string | null = FORM,
  ): Promise<TestResponse> {
    const all: Record<string, string> = { ...headers };
    if (contentType !== null) all['content-type'] = contentType;
    return this.jar.send(`${this.url}${path}`, { method: 'POST', headers: all, body });
  }

  /** A same-origin form post, as a modern browser sends it. */
  sameOrigin(path: string, body: string, contentType: string | null = FORM) {
    return this.post(
      path,
      body,
      { origin: this.origin, 'sec-fetch-site': 'same-origin' },
      contentType,
    );
  }
}

const CROSS_SITE = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };

export function runCsrfContract(name: string, start: StartCsrfApp): void {
  for (const mode of ['cookie', 'store'] as const) {
    describe(`${name} csrfProtection, ${mode} mode`, { timeout: 60_000 }, () => {
      let server: TestServer;
      const events: TesseraEvent[] = [];
      before(async () => {
        server = await start({
          secrets: [newSecret()],
          store: mode === 'store' ? new MemoryStore() : undefined,
          onEvent: (event) => events.push(event),
        });
      });
      after(async () => {
        await server?.close();
      });

      it('S-37 a cross-site form post is refused (403) and changes nothing', async () => {
        const victim = new Browser(server.url);
        const token = await victim.token();
        const before = await victim.count();
        const res = await victim.post('/transfer', `_csrf=${token}`, CROSS_SITE);
        assert.equal(res.status, 403);
        assert.equal(await victim.count(), before);
      });

      it('S-37 refused without Sec-Fetch-Site: a foreign Origin, a look-alike, Origin: null', async () => {
        const victim = new Browser(server.url);
        const token = await victim.token();
        const port = new URL(server.url).port;
        for (const origin of [
          'https://evil.example',
          `http://127.0.0.1.evil.example:${port}`,
          `https://127.0.0.1:${port}`,
          'null',
        ]) {
          const res = await victim.post('/transfer', `_csrf=${token}`, { origin });
          assert.equal(res.status, 403, origin);
        }
        const sameSite = await victim.post('/transfer', `_csrf=${token}`, {
          origin: 'https://www.evil.example',
          'sec-fetch-site': 'same-site',
        });
        assert.equal(sameSite.status, 403);
        assert.equal(await victim.count(), 0);
      });

      it('S-38 a same-origin form post with the token is accepted', async () => {
        const browser = new Browser(server.url);
        const token = await browser.token();
        const res = await browser.sameOrigin('/transfer', `_csrf=${encodeURIComponent(token)}`);
        assert.equal(res.status, 200, res.body);
        assert.equal(await browser.count(), 1);
        // Origin alone (a browser without Sec-Fetch-Site) and the header form also pass.
        const viaOrigin = await browser.post('/transfer', `_csrf=${token}`, {
          origin: browser.origin,
        });
        assert.equal(viaOrigin.status, 200, viaOrigin.body);
        const viaHeader = await browser.sameOrigin('/transfer', 'amount=1');
        assert.equal(viaHeader.status, 403, 'no token at all');
        const withHeader = await browser.post('/transfer', 'amount=1', {
          origin: browser.origin,
          'x-csrf-token': token,
        });
        assert.equal(withHeader.status, 200, withHeader.body);
        assert.equal(await browser.count(), 3);
      });

      it('S-38 missing, wrong, other-session, query-string and cookie-only tokens are refused', async () => {
        const browser = new Browser(server.url);
        const token = await browser.token();
        const other = new Browser(server.url);
        const otherToken = await other.token();
        const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
        for (const body of [
          'amount=1',
          '_csrf=',
          `_csrf=${wrong}`,
          `_csrf=${otherToken}`,
          `_csrf=${token.slice(0, 40)}`,
          `_csrf=${token}&_csrf=${token}`,
          `_csrf=${'x'.repeat(5000)}`,
        ]) {
          const res = await browser.sameOrigin('/transfer', body);
          assert.equal(res.status, 403, body.slice(0, 60));
        }
        const query = await browser.sameOrigin(`/transfer?_csrf=${token}`, 'amount=1');
        assert.equal(query.status, 403, 'token in the URL');
        browser.jar.cookies.set('_csrf', token);
        const cookieOnly = await browser.sameOrigin('/transfer', 'amount=1');
        assert.equal(cookieOnly.status, 403, 'token only in a cookie');
        assert.equal(await browser.count(), 0);
      });

      it('S-38 the token differs on every render and every one verifies', async () => {
        const browser = new Browser(server.url);
        const tokens = [await browser.token(), await browser.token(), await browser.token()];
        assert.equal(new Set(tokens).size, 3);
        for (const token of tokens) {
          const res = await browser.sameOrigin('/transfer', `_csrf=${token}`);
          assert.equal(res.status, 200, res.body);
        }
        assert.equal(await browser.count(), 3);
      });

      it('S-41 login is CSRF-protected; a token from before sign-in is refused after it', async () => {
        const browser = new Browser(server.url);
        const before = await browser.token();
        const crossSite = await browser.post('/login', `_csrf=${before}`, CROSS_SITE);
        assert.equal(crossSite.status, 403);
        assert.deepEqual(crossSite.setCookie, []);
        const login = await browser.sameOrigin('/login', `_csrf=${before}`);
        assert.equal(login.status, 200, login.body);
        const stale = await browser.sameOrigin('/transfer', `_csrf=${before}`);
        assert.equal(stale.status, 403);
        const fresh = await browser.token();
        const res = await browser.sameOrigin('/transfer', `_csrf=${fresh}`);
        assert.equal(res.status, 200, res.body);
        assert.equal(await browser.count(), 1);
      });

      it('S-58 each refusal emits exactly one csrf.rejected event with its reason and method; a pass emits none', async () => {
        const rejected = () => events.filter((e) => e.type === 'csrf.rejected');
        const browser = new Browser(server.url);
        const token = await browser.token();
        const login = await browser.sameOrigin('/login', `_csrf=${token}`);
        assert.equal(login.status, 200, login.body);
        const fresh = await browser.token();
        const cases: [Promise<TestResponse>, string][] = [
          [browser.post('/transfer', `_csrf=${fresh}`, CROSS_SITE), 'cross-site'],
          [browser.sameOrigin('/transfer', 'amount=1'), 'missing-token'],
          [browser.sameOrigin('/transfer', `_csrf=${token}`), 'invalid-token'],
        ];
        for (const [request, reason] of cases) {
          const before = rejected().length;
          const res = await request;
          assert.equal(res.status, 403, reason);
          const added = rejected().slice(before);
          assert.equal(added.length, 1, `one event for ${reason}`);
          const event = added[0]!;
          assert.equal(event.reason, reason);
          assert.equal(event.method, 'POST');
          assert.equal(event.userId, 'alice');
          assert.equal(typeof event.sessionRef, mode === 'store' ? 'string' : 'object');
          assert.equal(JSON.stringify(event).includes(fresh), false, 'no token in the event');
        }
        const before = rejected().length;
        const ok = await browser.sameOrigin('/transfer', `_csrf=${fresh}`);
        assert.equal(ok.status, 200, ok.body);
        assert.equal(rejected().length, before, 'an accepted post emits none');
      });

      it('S-40 GET, HEAD and OPTIONS are never refused', async () => {
        const browser = new Browser(server.url);
        for (const method of ['GET', 'HEAD', 'OPTIONS']) {
          const res = await browser.jar.send(`${server.url}/count`, {
            method,
            headers: CROSS_SITE,
          });
          assert.notEqual(res.status, 403, method);
        }
      });

      it('JSON APIs: same-origin without a token passes; cross-site is refused whatever the type (S-39)', async () => {
        const browser = new Browser(server.url);
        await browser.token();
        const json = await browser.sameOrigin('/transfer', '{"amount":1}', 'application/json');
        assert.equal(json.status, 200, json.body);
        const viaOrigin = await browser.post(
          '/transfer',
          '{"amount":1}',
          { origin: browser.origin },
          'application/json',
        );
        assert.equal(viaOrigin.status, 200, viaOrigin.body);
        assert.equal(await browser.count(), 2);
        for (const type of [
          'Application/x-www-form-urlencoded',
          'TEXT/PLAIN',
          null,
          'multipart/form-data; boundary=x',
          'application/json',
          'text/plain;charset=UTF-8',
        ]) {
          // A body every parser accepts, so only the guard can refuse it.
          const res = await browser.post('/transfer', '{}', CROSS_SITE, type);
          assert.equal(res.status, 403, String(type));
        }
        assert.equal(await browser.count(), 2);
      });

      it('S-39 same-origin form types without a token are refused, however they are spelled', async () => {
        const browser = new Browser(server.url);
        await browser.token();
        for (const type of [
          'Application/X-WWW-Form-Urlencoded',
          'text/plain',
          'TEXT/PLAIN; charset=utf-8',
          null,
        ]) {
          const res = await browser.sameOrigin('/transfer', 'a=1', type);
          assert.equal(res.status, 403, String(type));
        }
        assert.equal(await browser.count(), 0);
      });

      it('a request with neither Origin nor Sec-Fetch-Site (not a browser) still needs the token for forms', async () => {
        const browser = new Browser(server.url);
        const token = await browser.token();
        assert.equal((await browser.post('/transfer', 'a=1')).status, 403);
        assert.equal((await browser.post('/transfer', `_csrf=${token}`)).status, 200);
        const api = await send(`${server.url}/transfer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        assert.equal(api.status, 200, api.body);
      });
    });
  }
}
