/**
 * The NestJS example (`npm run example:nest`) as a user runs it, on both platforms: its
 * own process, driven over HTTP like a browser would: count visits, sign in as the demo
 * user (a new session id, the old cookie dead), see the guarded page, sign out.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { CookieJar, newSecret, send } from '../support/http.js';

const root = new URL('../..', import.meta.url).pathname;

/** POSTs an empty form with the jar's cookies, applying the response's cookies. */
async function post(jar: CookieJar, url: string) {
  const cookie = jar.header();
  const response = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie === undefined ? {} : { cookie }),
    },
    body: '',
  });
  const setCookie = response.headers.getSetCookie();
  jar.apply(setCookie);
  return { status: response.status, location: response.headers.get('location'), setCookie };
}

const visits = (body: string): number => Number(/Visit number (\d+)/.exec(body)?.[1]);
const user = (body: string): string | undefined => /<b data-user>([^<]*)<\/b>/.exec(body)?.[1];

for (const platform of ['express', 'fastify'] as const) {
  for (const mode of ['memory', 'cookie'] as const) {
    describe(`examples/nest/server.ts (${platform}, ${mode} mode)`, { timeout: 60_000 }, () => {
      let child: ChildProcess;
      let url: string;

      before(async () => {
        child = spawn(process.execPath, ['--import', 'tsx', 'examples/nest/server.ts'], {
          cwd: root,
          env: {
            ...process.env,
            PORT: '0',
            HOST: '127.0.0.1',
            PLATFORM: platform,
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

      it('counts visits, keeps guests off the account page, signs in and out', async () => {
        const jar = new CookieJar();
        const first = await jar.send(`${url}/`);
        assert.equal(first.status, 200);
        assert.match(String(first.headers['content-type']), /text\/html/);
        assert.equal(visits(first.body), 1);
        assert.equal(user(first.body), 'nobody');
        assert.equal(visits((await jar.send(`${url}/`)).body), 2);
        assert.equal((await jar.send(`${url}/account`)).status, 401, 'guests are refused');

        const before = jar.header()!;
        const signIn = await post(jar, `${url}/sign-in`);
        assert.equal(signIn.status, 303);
        assert.equal(signIn.location, '/account');
        assert.equal(signIn.setCookie.length, 1, 'the new cookie rides on the redirect');
        assert.notEqual(jar.header(), before, 'sign-in issues a new cookie');
        const account = await jar.send(`${url}/account`);
        assert.equal(account.status, 200);
        assert.equal(user(account.body), 'demo');
        if (mode === 'memory') {
          assert.match(account.body, /<b data-sessions>1<\/b>/);
          const old = await send(`${url}/`, { cookie: before });
          assert.equal(user(old.body), 'nobody', 'the pre-sign-in cookie is not signed in');
        }
        const home = await jar.send(`${url}/`);
        assert.equal(visits(home.body), 3, 'the data survives the regeneration');

        const signOut = await post(jar, `${url}/sign-out`);
        assert.equal(signOut.status, 303);
        assert.match(signOut.setCookie[0] ?? '', /Max-Age=0/i);
        assert.equal(jar.cookies.size, 0);
        assert.equal((await jar.send(`${url}/account`)).status, 401);
        assert.equal(visits((await jar.send(`${url}/`)).body), 1);
      });
    });
  }
}
