/**
 * Side by side, option by option (cookie-session's README as the checklist): the same
 * Express 5 app on the original `cookie-session` and on `tesserajs/cookie-session` with
 * `writeFormat: 'cookie-session'`, driven by the same script. Statuses, bodies and every
 * `Set-Cookie` line (values included: same base64 JSON, same keygrip signature) must be
 * equal. The sealed default is compared in sealed.test.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { CookieSessionOptions } from '../../../src/adapters/cookie-session/index.js';
import { type Answer, Client, normalizeExpires, type Running, start } from './support.js';

const key = (): string => randomBytes(24).toString('base64');

/** The script both servers run, with optional request headers. */
const SCRIPT: ReadonlyArray<readonly [method: string, path: string]> = [
  ['GET', '/read'],
  ['GET', '/untouched'],
  ['POST', '/count'],
  ['GET', '/read'],
  ['POST', '/same'],
  ['POST', '/count'],
  ['POST', '/set?name=ada&role=admin'],
  ['POST', '/remember'],
  ['POST', '/app-cookie'],
  ['POST', '/write-head'],
  ['POST', '/invalid'],
  ['POST', '/cyclic'],
  ['POST', '/empty'],
  ['GET', '/read'],
  ['POST', '/replace'],
  ['GET', '/read'],
  ['POST', '/null'],
  ['GET', '/read'],
  ['POST', '/empty'],
  ['POST', '/count'],
];

function comparable(answer: Answer): Answer {
  return { ...answer, setCookie: answer.setCookie.map((line) => normalizeExpires(line)) };
}

const CASES: ReadonlyArray<readonly [string, CookieSessionOptions]> = [
  ['defaults', {}],
  ['name', { name: 'sid' }],
  ['secret instead of keys', { secret: 'a single secret' }],
  ['maxAge', { maxAge: 24 * 60 * 60 * 1000 }],
  ['expires', { expires: new Date(Date.UTC(2040, 0, 1)) }],
  ['path', { path: '/app' }],
  ['domain', { domain: 'example.com' }],
  ['partitioned', { partitioned: true, secure: false }],
  ['priority', { priority: 'high' }],
  ['sameSite true', { sameSite: true }],
  ['sameSite lax', { sameSite: 'lax' }],
  ['sameSite none', { sameSite: 'none' }],
  ['sameSite strict', { sameSite: 'strict' }],
  ['secure over plain HTTP (cookie dropped)', { secure: true }],
  ['secure false', { secure: false }],
  ['httpOnly false', { httpOnly: false }],
  ['signed false', { signed: false }],
  ['overwrite false', { overwrite: false }],
  ['invalid sameSite (cookie dropped)', { sameSite: 'sideways' as never }],
];

describe('cookie-session side by side: writeFormat cookie-session', { timeout: 120_000 }, () => {
  const servers: Running[] = [];
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  async function pair(options: CookieSessionOptions, trustProxy = false) {
    const keys = [key(), key()];
    const withKeys =
      'secret' in options || options.signed === false ? options : { keys, ...options };
    const original = await start('original', { ...withKeys }, trustProxy);
    const tessera = await start(
      'tessera',
      { ...withKeys, writeFormat: 'cookie-session' },
      trustProxy,
    );
    servers.push(original, tessera);
    return { original: new Client(original.url), tessera: new Client(tessera.url) };
  }

  for (const [label, options] of CASES) {
    it(label, async () => {
      const { original, tessera } = await pair(options);
      for (const [method, path] of SCRIPT) {
        const expected = comparable(await original.request(method, path));
        const actual = comparable(await tessera.request(method, path));
        assert.deepEqual(actual, expected, `${method} ${path}`);
      }
      assert.deepEqual([...tessera.jar], [...original.jar]);
    });
  }

  it('secure by default on HTTPS (trust proxy + X-Forwarded-Proto)', async () => {
    const { original, tessera } = await pair({}, true);
    const https = { 'x-forwarded-proto': 'https' };
    for (const [method, path] of SCRIPT) {
      const expected = comparable(await original.request(method, path, https));
      const actual = comparable(await tessera.request(method, path, https));
      assert.deepEqual(actual, expected, `${method} ${path}`);
    }
    const answer = await tessera.request('POST', '/count', https);
    assert.match(answer.setCookie[0] ?? '', /; secure; httponly$/);
  });

  it('per-request sessionOptions do not leak into the next request', async () => {
    const { original, tessera } = await pair({});
    for (const client of [original, tessera]) {
      await client.request('POST', '/remember');
      const next = await client.request('POST', '/count');
      assert.doesNotMatch(next.setCookie[0] ?? '', /expires/);
    }
  });

  it('both refuse to start without keys when signed', async () => {
    const { originalCookieSession } = await import('./support.js');
    const { default: cookieSession } = await import(
      '../../../src/adapters/cookie-session/index.js'
    );
    assert.throws(() => originalCookieSession({}), /keys required/);
    assert.throws(() => cookieSession({}), { code: 'INVALID_OPTIONS' });
    assert.doesNotThrow(() => cookieSession({ signed: false }));
    // Where the original starts and fails (or signs with an empty key) later, the drop-in
    // refuses at once: an unset environment variable is the usual cause.
    assert.throws(() => cookieSession({ keys: [] }), { code: 'INVALID_OPTIONS' });
    assert.throws(() => cookieSession({ keys: [''] }), { code: 'INVALID_OPTIONS' });
    assert.throws(() => cookieSession({ keys: ['k', undefined as never] }), /keys\[1\]/);
    assert.throws(() => cookieSession({ keys: ['k'], writeFormat: 'json' as never }), {
      code: 'INVALID_OPTIONS',
    });
  });
});
