/**
 * examples/express/server.ts as its users run it (`npm run example:express`): a child
 * process on a free port, driven over HTTP like a browser: count visits, sign in (a new
 * session id), sign out (the session ends), in both session modes.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CookieJar, newSecret, send, type TestResponse } from '../support/http.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Starts the example; resolves with its URL once it printed it. */
async function startExample(mode: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/express/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', SESSION_SECRET: newSecret(), SESSION_MODE: mode },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const found = /on (http:\/\/localhost:\d+)/.exec(output);
      if (found) resolve(found[1]!.replace('localhost', '127.0.0.1'));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.on('exit', (code) => reject(new Error(`example exited (${code}):\n${output}`)));
  });
  return { child, url };
}

/** POSTs a form with the jar's cookies and applies the response's cookies. */
function postForm(
  jar: CookieJar,
  url: string,
  form: Record<string, string>,
): Promise<TestResponse> {
  const body = new URLSearchParams(form).toString();
  const cookie = jar.header();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      ...(cookie === undefined ? {} : { cookie }),
    };
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const setCookie = res.headers['set-cookie'] ?? [];
        jar.apply(setCookie);
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: res.headers,
          setCookie,
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const me = async (jar: CookieJar, url: string): Promise<unknown> =>
  JSON.parse((await jar.send(`${url}/me`)).body);

for (const mode of ['memory', 'cookie'] as const) {
  describe(`examples/express/server.ts, ${mode} mode`, { timeout: 60_000 }, () => {
    let child: ChildProcess;
    let url: string;

    before(async () => {
      ({ child, url } = await startExample(mode));
    });
    after(async () => {
      if (child !== undefined && child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    });

    it('counts visits, signs in under a new session id, and signs out', async () => {
      const jar = new CookieJar();
      const home = await jar.send(`${url}/`);
      assert.equal(home.status, 200);
      assert.match(home.body, /Visit number 1/);
      assert.match(home.body, /action="\/login"/);
      assert.equal((await jar.send(`${url}/`)).body.includes('Visit number 2'), true);
      const guestCookie = jar.header()!;

      const login = await postForm(jar, `${url}/login`, { name: 'Alice <3' });
      assert.equal(login.status, 303);
      assert.equal(login.headers.location, '/');
      assert.equal(login.setCookie.length, 1, 'the signed-in session gets its own cookie');
      assert.notEqual(jar.header(), guestCookie);
      assert.deepEqual(await me(jar, url), { user: 'Alice <3', visits: 2 });
      const page = await jar.send(`${url}/`);
      assert.match(page.body, /Signed in as <b>Alice &#60;3<\/b>/, 'the name is escaped');

      const old = JSON.parse((await send(`${url}/me`, { cookie: guestCookie })).body);
      if (mode === 'memory') assert.deepEqual(old, { user: null, visits: 0 }, 'old id is dead');
      else assert.equal(old.user, null, 'the pre-sign-in cookie never carries the user');

      const logout = await postForm(jar, `${url}/logout`, {});
      assert.equal(logout.status, 303);
      assert.match(logout.setCookie[0] ?? '', /Max-Age=0/i);
      assert.equal(jar.cookies.size, 0);
      assert.deepEqual(await me(jar, url), { user: null, visits: 0 });
    });

    it('refuses a sign-in without a name', async () => {
      const res = await postForm(new CookieJar(), `${url}/login`, { name: '  ' });
      assert.equal(res.status, 400);
      assert.deepEqual(res.setCookie, []);
    });
  });
}
