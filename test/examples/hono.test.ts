/**
 * examples/hono/server.ts, run as `npm run example:hono` runs it (its own process) and
 * driven over HTTP like a browser: visits count, sign-in regenerates the id and keeps
 * the count, sign-out ends the session and the old cookie stops working.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newSecret } from '../support/http.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A tiny browser: one cookie jar, no redirects followed. */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async request(path: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0)
      headers.cookie = [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
    const response = await fetch(`${this.base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
    });
    const setCookie = response.headers.getSetCookie();
    for (const line of setCookie) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (/;\s*max-age=0/i.test(line)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return { status: response.status, body: await response.text(), setCookie, response };
  }

  header(): string {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }
}

describe('examples/hono/server.ts over HTTP', { timeout: 60_000 }, () => {
  let child: ChildProcess;
  let base: string;

  before(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'examples/hono/server.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SESSION_SECRET: newSecret() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    base = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
        if (url !== undefined) resolve(url);
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk;
      });
      child.once('exit', (code) => reject(new Error(`example exited (${code}):\n${output}`)));
    });
  });
  after(async () => {
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('counts visits, signs in with a new id, signs out for good', async () => {
    const browser = new Browser(base);
    const first = await browser.request('/');
    assert.equal(first.status, 200);
    assert.match(first.body, /Visit number 1</);
    assert.match(first.body, /Sign in/);
    assert.match((await browser.request('/')).body, /Visit number 2</);

    const guestCookie = browser.header();
    const login = await browser.request('/login', { method: 'POST', form: { name: 'Alice <3' } });
    assert.equal(login.status, 303);
    assert.equal(login.response.headers.get('location'), '/');
    assert.equal(login.setCookie.length, 1, login.setCookie.join('\n'));
    assert.notEqual(browser.header(), guestCookie, 'sign-in regenerates the session id');

    const home = await browser.request('/');
    assert.match(home.body, /Signed in as <b>Alice &#60;3<\/b>/, 'the name is escaped');
    assert.match(home.body, /Visit number 3</, 'the data survives the regeneration');

    const stale = await fetch(`${base}/`, { headers: { cookie: guestCookie } });
    assert.doesNotMatch(await stale.text(), /Signed in/, 'the pre-sign-in cookie is dead');

    const signedIn = browser.header();
    const logout = await browser.request('/logout', { method: 'POST' });
    assert.equal(logout.status, 303);
    assert.match(logout.setCookie[0] ?? '', /Max-Age=0/i);
    assert.equal(browser.cookies.size, 0);
    const replay = await fetch(`${base}/`, { headers: { cookie: signedIn } });
    const replayed = await replay.text();
    assert.match(replayed, /Visit number 1</, 'the old cookie opens nothing');
    assert.doesNotMatch(replayed, /Signed in/);
  });

  it('refuses a sign-in without a name', async () => {
    const res = await new Browser(base).request('/login', { method: 'POST', form: { name: ' ' } });
    assert.equal(res.status, 400);
  });
});
