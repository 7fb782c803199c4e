/**
 * The NestJS build of the reference app (`npm run example:nest`) as a user runs it, on
 * both platforms and in store and cookie mode: its own process with a data folder of its
 * own, driven over HTTP like a browser would. `UserGuard` refuses strangers (303 to sign
 * in with the return URL for a page, 401 JSON otherwise), the forms need their CSRF
 * token, sign-up and sign-in land on the account page or the return URL, and the JSON
 * API answers with the same statuses. The whole flow runs in Chromium in
 * test/browser/app.test.ts (Express platform).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type AppProcess, failedStart, startAppProcess } from '../support/app-process.js';
import { CookieJar, newSecret } from '../support/http.js';
import { DATABASE_URL, probePostgres, probeRedis, REDIS_URL } from '../support/services.js';

const NEST_APP = 'examples/nest/server.ts';
const PASSWORD = 'correct horse battery staple';
const PAGE = { accept: 'text/html,application/xhtml+xml' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_BODY = { 'content-type': 'application/json' };

/** The CSRF token of the page's first form. */
function tokenOf(page: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(token, 'the page carries a CSRF token');
  return token;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** Sign-up, me, sign-out, wrong and right sign-in over the JSON API, as a new user. */
async function apiFlow(url: string, email: string): Promise<void> {
  const jar = new CookieJar();
  const call = async (path: string, body?: object) => {
    const response = await jar.send(
      `${url}${path}`,
      body === undefined ? {} : { method: 'POST', headers: JSON_BODY, body: JSON.stringify(body) },
    );
    return {
      status: response.status,
      json: response.body === '' ? null : JSON.parse(response.body),
    };
  };
  const created = await call('/api/sign-up', { email, password: PASSWORD });
  assert.equal(created.status, 201);
  assert.equal(created.json.user.email, email);
  assert.equal('passwordHash' in created.json.user, false);
  const taken = await call('/api/sign-up', { email, password: PASSWORD });
  assert.deepEqual([taken.status, taken.json.error], [409, 'EMAIL_TAKEN']);
  assert.equal((await call('/api/me')).json.user.email, email);
  assert.equal((await call('/api/sign-out', {})).status, 204);
  assert.equal((await call('/api/me')).json.user, null);
  const wrong = await call('/api/sign-in', { email, password: 'not it at all' });
  assert.deepEqual([wrong.status, wrong.json.error], [401, 'INVALID_CREDENTIALS']);
  const right = await call('/api/sign-in', { email, password: PASSWORD });
  assert.equal(right.status, 200);
  assert.equal((await call('/api/me')).json.user.email, email);
  const missing = await call('/api/nothing-here');
  assert.deepEqual([missing.status, missing.json.error], [404, 'NOT_FOUND']);
}

for (const platform of ['express', 'fastify'] as const) {
  for (const mode of ['sqlite', 'cookie'] as const) {
    describe(`examples/nest/server.ts (${platform}, ${mode} mode)`, { timeout: 60_000 }, () => {
      let app: AppProcess;
      let dataDir: string;
      let people = 0;
      const newEmail = () => `nest-${++people}.${platform}.${mode}@example.com`;
      const at = (path: string) => `${app.url}${path}`;

      before(async () => {
        dataDir = mkdtempSync(join(tmpdir(), `tessera-nest-${platform}-${mode}-`));
        app = await startAppProcess(
          {
            TESSERA_DATA_DIR: dataDir,
            TESSERA_SECRETS: newSecret(),
            SESSION_MODE: mode,
            PLATFORM: platform,
          },
          NEST_APP,
        );
      });
      after(async () => {
        const code = await app?.stop();
        assert.equal(code, 0, `the app shut down cleanly:\n${app?.output()}`);
        rmSync(dataDir, { recursive: true, force: true });
      });

      /** Signs up through the form; the jar then holds the signed-in session. */
      async function signUp(jar: CookieJar, email: string) {
        const page = await jar.send(at('/sign-up'), { headers: PAGE });
        assert.equal(page.status, 200);
        return jar.send(at('/sign-up'), {
          method: 'POST',
          headers: FORM,
          body: form({ _csrf: tokenOf(page.body), email, password: PASSWORD }),
        });
      }

      it('announces the platform and the storage in its banner', () => {
        assert.match(app.output(), new RegExp(`NestJS \\(${platform}\\)`));
        assert.match(app.output(), new RegExp(`mode: +${mode === 'sqlite' ? 'store' : 'cookie'}`));
      });

      it('refuses strangers: 303 to sign in with the return URL for a page, 401 JSON otherwise', async () => {
        for (const path of ['/account', '/members']) {
          const page = await new CookieJar().send(at(path), { headers: PAGE });
          assert.equal(page.status, 303, path);
          assert.equal(page.headers.location, `/sign-in?returnTo=${encodeURIComponent(path)}`);
          assert.equal(page.body.includes('account-email'), false, 'nothing of the page');
        }
        const api = await new CookieJar().send(at('/account'), {
          headers: { accept: 'application/json' },
        });
        assert.equal(api.status, 401);
        assert.match(String(api.headers['content-type']), /application\/json/);
        assert.equal(JSON.parse(api.body).error, 'NOT_SIGNED_IN');
        const post = await new CookieJar().send(at('/account/sign-out-others'), {
          method: 'POST',
          headers: JSON_BODY,
          body: '{}',
        });
        assert.equal(post.status, 401, 'a state change by a stranger does nothing');
      });

      it('signs up through the form to the account page, with the security headers', async () => {
        const jar = new CookieJar();
        const email = newEmail();
        const created = await signUp(jar, email);
        assert.equal(created.status, 303);
        assert.equal(created.headers.location, '/account');
        assert.ok(created.setCookie.length > 0, 'the signed-in session rides on the redirect');
        const account = await jar.send(at('/account'), { headers: PAGE });
        assert.equal(account.status, 200);
        assert.match(String(account.headers['content-type']), /text\/html/);
        assert.match(String(account.headers['content-security-policy']), /default-src 'none'/);
        assert.equal(account.headers['cache-control'], 'no-store');
        assert.equal(account.headers['x-powered-by'], undefined);
        assert.match(
          account.body,
          new RegExp(`id="account-email">${email.replace(/\./g, '\\.')}<`),
        );
        assert.match(account.body, /<li data-current="true">/, 'this session is listed');
        const me = JSON.parse((await jar.send(at('/api/me'))).body);
        assert.equal(me.user.email, email);
        assert.equal('passwordHash' in me.user, false);
      });

      it('refuses a form without its CSRF token, and a sign-up that breaks the rules', async () => {
        const jar = new CookieJar();
        await jar.send(at('/sign-up'), { headers: PAGE });
        const forged = await jar.send(at('/sign-up'), {
          method: 'POST',
          headers: { ...FORM, ...PAGE },
          body: form({ email: newEmail(), password: PASSWORD }),
        });
        assert.equal(forged.status, 403);
        assert.match(forged.body, /sent from another site/);
        const page = await jar.send(at('/sign-up'), { headers: PAGE });
        const weak = await jar.send(at('/sign-up'), {
          method: 'POST',
          headers: FORM,
          body: form({ _csrf: tokenOf(page.body), email: newEmail(), password: 'short' }),
        });
        assert.equal(weak.status, 400);
        assert.match(weak.body, /at least 10 characters/);
        assert.equal(JSON.parse((await jar.send(at('/api/me'))).body).user, null);
      });

      it('signs in through the form to the return URL; a wrong password is 401', async () => {
        const email = newEmail();
        await signUp(new CookieJar(), email);
        const jar = new CookieJar();
        const page = await jar.send(at('/sign-in?returnTo=%2Fmembers'), { headers: PAGE });
        assert.equal(page.status, 200);
        assert.match(page.body, /name="returnTo" value="\/members"/);
        const token = tokenOf(page.body);
        const wrong = await jar.send(at('/sign-in'), {
          method: 'POST',
          headers: FORM,
          body: form({ _csrf: token, returnTo: '/members', email, password: 'not it, really' }),
        });
        assert.equal(wrong.status, 401);
        assert.match(wrong.body, /The email address or the password is not correct\./);
        const right = await jar.send(at('/sign-in'), {
          method: 'POST',
          headers: FORM,
          body: form({ _csrf: token, returnTo: '/members', email, password: PASSWORD }),
        });
        assert.equal(right.status, 303);
        assert.equal(right.headers.location, '/members');
        const members = await jar.send(at('/members'), { headers: PAGE });
        assert.equal(members.status, 200);
        assert.match(members.body, /Members only/);
      });

      it('runs the JSON API: sign-up, me, sign-out, wrong and right sign-in', async () => {
        await apiFlow(app.url, newEmail());
      });
    });
  }
}

describe('examples/nest/server.ts start-up and shutdown', { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-nest-'));
    dirs.push(dir);
    return dir;
  };
  const unique = (what: string) => `${what}-${randomBytes(6).toString('hex')}@example.com`;
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown PLATFORM, and production without TESSERA_SECRETS, in one line', async () => {
    const platform = await failedStart({ TESSERA_DATA_DIR: dataDir(), PLATFORM: 'koa' }, NEST_APP);
    assert.equal(platform.code, 1);
    assert.equal(
      platform.output.trim(),
      'Cannot start: PLATFORM must be express or fastify, not "koa"',
    );
    const production = await failedStart(
      { TESSERA_DATA_DIR: dataDir(), NODE_ENV: 'production' },
      NEST_APP,
    );
    assert.equal(production.code, 1);
    assert.match(production.output, /^Cannot start: TESSERA_SECRETS is not set: in production/);
    assert.equal(production.output.trim().split('\n').length, 1, production.output);
  });

  it('closes the server, then the stores, on Ctrl-C', async () => {
    const app = await startAppProcess({ TESSERA_DATA_DIR: dataDir() }, NEST_APP);
    assert.match(app.output(), /TESSERA_SECRETS is not set: generated a development secret in /);
    assert.equal(await app.stop('SIGINT'), 0);
    assert.match(app.output(), /SIGINT: shutting down\nserver closed\nstores closed\n/);
  });

  it('runs on Redis with SESSION_MODE=redis', async (t) => {
    const skip = await probeRedis();
    if (skip) return t.skip(skip);
    const env = { TESSERA_DATA_DIR: dataDir(), SESSION_MODE: 'redis', REDIS_URL };
    const app = await startAppProcess(env, NEST_APP);
    try {
      assert.match(app.output(), /sessions: +Redis redis:\/\//);
      await apiFlow(app.url, unique('redis'));
    } finally {
      assert.equal(await app.stop(), 0);
    }
  });

  it('runs on PostgreSQL with SESSION_MODE=postgres', async (t) => {
    const skip = await probePostgres();
    if (skip) return t.skip(skip);
    const env = { TESSERA_DATA_DIR: dataDir(), SESSION_MODE: 'postgres', DATABASE_URL };
    const app = await startAppProcess(env, NEST_APP);
    try {
      assert.match(app.output(), /users: +PostgreSQL postgres:\/\//);
      await apiFlow(app.url, unique('postgres'));
    } finally {
      assert.equal(await app.stop(), 0);
    }
  });
});
