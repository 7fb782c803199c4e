/**
 * examples/app/server.ts as a process (what `npm start` runs), driven over HTTP: the
 * start-up banner, the development secret generated once into the data folder (so
 * sessions survive a restart), the production start-up error without secrets, a clean
 * Ctrl-C, and the JSON API on every store the environment can choose (Redis and
 * PostgreSQL when reachable). The pages are tested in Chromium (test/browser).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type AppProcess, failedStart, startAppProcess } from '../support/app-process.js';
import { newSecret } from '../support/http.js';
import { DATABASE_URL, probePostgres, probeRedis, REDIS_URL } from '../support/services.js';

/** What the API answers: `{ user }` or `{ error, message }`. */
interface ApiBody {
  readonly user?: { readonly email: string } | null;
  readonly error?: string;
}

/** A client with a cookie jar, sending JSON the way a single-page app would. */
class ApiClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async call(path: string, body?: object): Promise<{ status: number; json: ApiBody }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    const response = await fetch(`${this.base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (/;\s*max-age=0/i.test(line)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const text = await response.text();
    return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as ApiBody) };
  }
}

const PASSWORD = 'correct horse battery staple';
const email = (what: string) => `${what}-${randomBytes(6).toString('hex')}@example.com`;

/** Sign-up, me, sign-out, wrong and right sign-in over the JSON API. */
async function apiFlow(base: string): Promise<void> {
  const client = new ApiClient(base);
  const address = email('api');
  assert.equal(
    (await client.call('/api/sign-up', { email: address, password: PASSWORD })).status,
    201,
  );
  assert.equal((await client.call('/api/me')).json.user?.email, address);
  assert.equal((await client.call('/api/sign-out', {})).status, 204);
  assert.equal((await client.call('/api/me')).json.user, null);
  const wrong = await client.call('/api/sign-in', { email: address, password: 'not it at all' });
  assert.deepEqual([wrong.status, wrong.json.error], [401, 'INVALID_CREDENTIALS']);
  assert.equal(
    (await client.call('/api/sign-in', { email: address, password: PASSWORD })).status,
    200,
  );
  assert.equal((await client.call('/api/me')).json.user?.email, address);
}

describe('examples/app/server.ts as a process', { timeout: 120_000 }, () => {
  const dirs: string[] = [];
  const running: AppProcess[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-app-'));
    dirs.push(dir);
    return dir;
  };
  const start = async (env: Record<string, string>) => {
    const app = await startAppProcess(env);
    running.push(app);
    return app;
  };
  after(async () => {
    for (const app of running) await app.stop('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('prints URL, mode and store; generates the development secret once; sessions survive a restart; Ctrl-C closes everything', async () => {
    const dir = join(dataDir(), 'nested', 'data');
    const first = await start({ TESSERA_DATA_DIR: dir });
    const banner = first.output();
    assert.match(banner, /Tessera reference app on http:\/\/localhost:\d+/);
    assert.match(banner, /mode: +store/);
    assert.match(banner, /sessions: +SQLite .*tessera\.sqlite/);
    assert.match(banner, /TESSERA_SECRETS is not set: generated a development secret in /);
    const secretFile = join(dir, 'secret');
    const secret = readFileSync(secretFile, 'utf8');
    assert.equal(statSync(secretFile).mode & 0o777, 0o600, 'only the owner reads the secret');
    assert.doesNotMatch(banner, new RegExp(secret.trim()), 'the secret is never printed');
    assert.ok(existsSync(join(dir, 'tessera.sqlite')), 'sessions and users share one file');

    const client = new ApiClient(first.url);
    const address = email('restart');
    assert.equal(
      (await client.call('/api/sign-up', { email: address, password: PASSWORD })).status,
      201,
    );

    assert.equal(await first.stop('SIGINT'), 0);
    assert.match(first.output(), /SIGINT: shutting down\nserver closed\nstores closed\n/);

    const second = await start({ TESSERA_DATA_DIR: dir });
    assert.match(second.output(), /using the development secret in /);
    assert.equal(readFileSync(secretFile, 'utf8'), secret, 'the secret is kept');
    const again = new ApiClient(second.url);
    for (const [name, value] of client.cookies) again.cookies.set(name, value);
    assert.equal((await again.call('/api/me')).json.user?.email, address, 'still signed in');
    assert.equal(await second.stop('SIGTERM'), 0);
  });

  it('refuses to start in production without TESSERA_SECRETS, in one clear line', async () => {
    const dir = dataDir();
    const { code, output } = await failedStart({ TESSERA_DATA_DIR: dir, NODE_ENV: 'production' });
    assert.equal(code, 1);
    assert.match(output, /^Cannot start: TESSERA_SECRETS is not set: in production/);
    assert.equal(output.trim().split('\n').length, 1, output);
    assert.equal(existsSync(join(dir, 'secret')), false, 'no secret is generated');
  });

  it('takes TESSERA_SECRETS (newest first) without a warning; refuses an unknown mode', async () => {
    const dir = dataDir();
    const app = await start({
      TESSERA_DATA_DIR: dir,
      TESSERA_SECRETS: `${newSecret()},${newSecret()}`,
      SESSION_MODE: 'cookie',
    });
    assert.doesNotMatch(app.output(), /TESSERA_SECRETS is not set/);
    assert.match(app.output(), /mode: +cookie/);
    assert.equal(existsSync(join(dir, 'secret')), false);
    await apiFlow(app.url);
    assert.equal(await app.stop(), 0);

    const bad = await failedStart({ TESSERA_DATA_DIR: dir, SESSION_MODE: 'memcached' });
    assert.equal(bad.code, 1);
    assert.match(bad.output, /SESSION_MODE must be one of sqlite, cookie, redis, postgres/);
  });

  it('runs on Redis with SESSION_MODE=redis', async (t) => {
    const skip = await probeRedis();
    if (skip) return t.skip(skip);
    const app = await start({ TESSERA_DATA_DIR: dataDir(), SESSION_MODE: 'redis', REDIS_URL });
    assert.match(app.output(), /sessions: +Redis redis:\/\//);
    await apiFlow(app.url);
    assert.equal(await app.stop(), 0);
  });

  it('runs on PostgreSQL with SESSION_MODE=postgres', async (t) => {
    const skip = await probePostgres();
    if (skip) return t.skip(skip);
    const app = await start({
      TESSERA_DATA_DIR: dataDir(),
      SESSION_MODE: 'postgres',
      DATABASE_URL,
    });
    assert.match(app.output(), /sessions: +PostgreSQL postgres:\/\//);
    assert.match(app.output(), /users: +PostgreSQL postgres:\/\//);
    await apiFlow(app.url);
    assert.equal(await app.stop(), 0);
  });
});
