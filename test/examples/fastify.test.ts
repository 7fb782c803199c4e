/**
 * The Fastify example (`npm run example:fastify`) as a user runs it: its own process,
 * driven over HTTP like a browser would: count visits, sign in (a new session id, the
 * old cookie dead), sign out (the cookie expired).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { CookieJar, newSecret, send } from '../support/http.js';

const root = new URL('../..', import.meta.url).pathname;

/** POSTs a urlencoded form with the jar's cookies, applying the response's cookies. */
async function post(jar: CookieJar, url: string, form: Record<string, string> = {}) {
  const cookie = jar.header();
  const response = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie === undefined ? {} : { cookie }),
    },
    body: new URLSearchParams(form).toString(),
  });
  const setCookie = response.headers.getSetCookie();
  jar.apply(setCookie);
  return { status: response.status, location: response.headers.get('location'), setCookie };
}

const visits = (body: string): number => Number(/Visit number (\d+)/.exec(body)?.[1]);
const user = (body: string): string | undefined => /<b data-user>([^<]*)<\/b>/.exec(body)?.[1];

for (const mode of ['memory', 'cookie'] as const) {
  describe(`examples/fastify/server.ts (${mode} mode)`, { timeout: 60_000 }, () => {
    let child: ChildProcess;
    let url: string;

    before(async () => {
      child = spawn(process.execPath, ['--import', 'tsx', 'examples/fastify/server.ts'], {
        cwd: root,
        env: {
          ...process.env,
          PORT: '0',
          HOST: '127.0.0.1',
          SESSION_MODE: mode,
          SESSION_SECRET: newSecret(),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      child.stdout!.setEncoding('utf8');
      url = await new Promise<string>((resolve, reject) => {
        child.stdout!.on('data', (chunk: string) => {
          output += chunk;
          const found = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (found) resolve(found[1]!);
        });
        child.on('exit', (code) => reject(new Error(`the example exited (${code}): ${output}`)));
      });
    });
    after(async () => {
      if (child?.exitCode === null) {
        child.kill();
        await once(child, 'exit');
      }
    });

    it('counts visits, signs in on a new session id, signs out', async () => {
      const jar = new CookieJar();
      const first = await jar.send(`${url}/`);
      assert.equal(first.status, 200);
      assert.equal(visits(first.body), 1);
      assert.equal(user(first.body), 'nobody');
      assert.equal(visits((await jar.send(`${url}/`)).body), 2);

      const before = jar.header()!;
      const login = await post(jar, `${url}/login`, { name: 'alice' });
      assert.equal(login.status, 303);
      assert.equal(login.location, '/');
      assert.equal(login.setCookie.length, 1);
      assert.notEqual(jar.header(), before, 'sign-in issues a new cookie');
      const signedIn = await jar.send(`${url}/`);
      assert.equal(user(signedIn.body), 'alice');
      assert.equal(visits(signedIn.body), 3, 'the data survives the regeneration');
      if (mode === 'memory') {
        const old = await send(`${url}/`, { cookie: before });
        assert.equal(visits(old.body), 1, 'the pre-sign-in cookie no longer opens the session');
      }

      const logout = await post(jar, `${url}/logout`);
      assert.equal(logout.status, 303);
      assert.match(logout.setCookie[0] ?? '', /Max-Age=0/i);
      assert.equal(jar.cookies.size, 0);
      const after = await jar.send(`${url}/`);
      assert.equal(user(after.body), 'nobody');
      assert.equal(visits(after.body), 1);
    });

    it('refuses an empty name', async () => {
      const res = await post(new CookieJar(), `${url}/login`, { name: '  ' });
      assert.equal(res.status, 400);
      assert.deepEqual(res.setCookie, []);
    });
  });
}
