/**
 * The default `writeFormat: 'sealed'` beside the original: same statuses and bodies,
 * same cookie attributes, but the value is sealed (unreadable, unforgeable) and no
 * `.sig` cookie is written; cookies the original minted (also under an older key) are
 * accepted and migrated on the first change; sealed keys rotate.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { CookieSessionOptions } from '../../../src/adapters/cookie-session/index.js';
import { attributesOf, Client, nameOf, type Running, start } from './support.js';

const key = (): string => randomBytes(24).toString('base64');
const isSig = (line: string): boolean => nameOf(line).endsWith('.sig');

const SCRIPT: ReadonlyArray<readonly [method: string, path: string]> = [
  ['GET', '/read'],
  ['POST', '/count'],
  ['GET', '/read'],
  ['POST', '/same'],
  ['POST', '/set?name=ada'],
  ['POST', '/remember'],
  ['POST', '/app-cookie'],
  ['POST', '/write-head'],
  ['POST', '/empty'],
  ['POST', '/replace'],
  ['GET', '/read'],
  ['POST', '/null'],
  ['GET', '/read'],
];

const CASES: ReadonlyArray<readonly [string, CookieSessionOptions]> = [
  ['defaults', {}],
  ['name', { name: 'sid' }],
  ['maxAge', { maxAge: 3_600_000 }],
  ['expires', { expires: new Date(Date.UTC(2040, 0, 1)) }],
  [
    'path, domain, priority, partitioned',
    { path: '/', domain: 'example.com', priority: 'low', partitioned: true },
  ],
  ['sameSite, httpOnly false', { sameSite: 'lax', httpOnly: false }],
  ['overwrite false', { overwrite: false }],
];

describe('cookie-session side by side: sealed writes', { timeout: 120_000 }, () => {
  const servers: Running[] = [];
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });
  async function run(implementation: 'original' | 'tessera', options: CookieSessionOptions) {
    const server = await start(implementation, options);
    servers.push(server);
    return new Client(server.url);
  }

  for (const [label, options] of CASES) {
    it(`${label}: same answers and attributes, sealed value, no .sig`, async () => {
      const keys = [key()];
      const original = await run('original', { keys, ...options });
      const tessera = await run('tessera', { keys, ...options });
      for (const [method, path] of SCRIPT) {
        const expected = await original.request(method, path);
        const actual = await tessera.request(method, path);
        const where = `${method} ${path}`;
        assert.equal(actual.status, expected.status, where);
        assert.equal(actual.body, expected.body, where);
        const main = (lines: string[]) =>
          lines.filter((l) => !isSig(l)).map((l) => `${nameOf(l)}:${attributesOf(l)}`);
        assert.deepEqual(main(actual.setCookie), main(expected.setCookie), where);
        // A .sig line only where the original expires one too (req.session = null).
        const sigs = actual.setCookie.filter(isSig);
        if (path === '/null') {
          assert.deepEqual(
            sigs.map(attributesOf),
            expected.setCookie.filter(isSig).map(attributesOf),
          );
        } else assert.deepEqual(sigs, [], where);
      }
    });
  }

  it('the sealed value does not show the data; altering it yields a new session', async () => {
    const tessera = await run('tessera', { keys: [key()] });
    const answer = await tessera.request('POST', '/set?name=ada-lovelace');
    const value = tessera.jar.get('session')!;
    assert.ok(value.length > 0);
    assert.doesNotMatch(Buffer.from(value, 'base64').toString('latin1'), /ada-lovelace/);
    assert.doesNotMatch(Buffer.from(value, 'base64url').toString('latin1'), /ada-lovelace/);
    assert.equal(answer.setCookie.length, 1);
    const flipped = value.slice(0, 20) + (value[20] === 'A' ? 'B' : 'A') + value.slice(21);
    tessera.jar.set('session', flipped);
    const read = JSON.parse((await tessera.request('GET', '/read')).body);
    assert.deepEqual(read.session, {});
    assert.equal(read.isNew, true);
  });

  it('req.session = null expires both cookies', async () => {
    const tessera = await run('tessera', { keys: [key()], path: '/', domain: 'example.com' });
    await tessera.request('POST', '/count');
    const { setCookie } = await tessera.request('POST', '/null');
    assert.deepEqual(setCookie.map(nameOf), ['session', 'session.sig']);
    for (const line of setCookie) {
      assert.match(
        line,
        /^[^=]+=[^;]*; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT; domain=example\.com; httponly$/,
      );
    }
  });

  it("accepts the original's cookies minted under an older key (rotation) and migrates them on the first change", async () => {
    const oldKey = key();
    const newKey = key();
    const minted = await run('original', { keys: [oldKey] });
    await minted.request('POST', '/set?name=ada');
    await minted.request('POST', '/count');
    const cookie = Object.fromEntries(minted.jar);
    assert.ok(cookie['session.sig']);

    const rotatedOriginal = await run('original', { keys: [newKey, oldKey] });
    const tessera = await run('tessera', { keys: [newKey, oldKey] });
    for (const client of [rotatedOriginal, tessera]) {
      for (const [name, value] of Object.entries(cookie)) client.jar.set(name, value);
    }
    // Reading: same data, and the same .sig re-signed under the new key.
    const expected = await rotatedOriginal.request('GET', '/read');
    const actual = await tessera.request('GET', '/read');
    assert.deepEqual(actual, expected);
    assert.deepEqual(JSON.parse(actual.body).session, { name: 'ada', views: 1 });
    assert.equal(actual.setCookie.length, 1);
    assert.match(actual.setCookie[0]!, /^session\.sig=[\w-]{27}; path=\/; httponly$/);

    // First change: sealed, and the stale .sig expired.
    const changed = await tessera.request('POST', '/count');
    assert.deepEqual(changed.setCookie.map(nameOf), ['session', 'session.sig']);
    assert.match(changed.setCookie[1]!, /^session\.sig=; path=\/; expires=Thu, 01 Jan 1970/);
    assert.deepEqual([...tessera.jar.keys()], ['session']);
    const again = JSON.parse((await tessera.request('GET', '/read')).body);
    assert.deepEqual(again.session, { name: 'ada', views: 2 });
    assert.equal(again.isNew, false);

    // Without the old key, the original's cookie is refused (the sig verifies with no key).
    const withoutOld = await run('tessera', { keys: [newKey] });
    for (const [name, value] of Object.entries(cookie)) withoutOld.jar.set(name, value);
    const refused = await withoutOld.request('GET', '/read');
    assert.equal(JSON.parse(refused.body).isNew, true);
    assert.match(refused.setCookie[0] ?? '', /^session\.sig=; path=\/; expires=Thu, 01 Jan 1970/);
  });

  it('sealed sessions rotate: an older key opens and the session is re-sealed under the new one', async () => {
    const oldKey = key();
    const newKey = key();
    const before = await run('tessera', { keys: [oldKey] });
    await before.request('POST', '/count');
    const sealed = before.jar.get('session')!;

    const rotated = await run('tessera', { keys: [newKey, oldKey] });
    rotated.jar.set('session', sealed);
    const read = await rotated.request('GET', '/read');
    assert.deepEqual(JSON.parse(read.body).session, { views: 1 });
    assert.equal(read.setCookie.length, 1, 're-sealed on read');
    const resealed = rotated.jar.get('session')!;
    assert.notEqual(resealed, sealed);

    const newOnly = await run('tessera', { keys: [newKey] });
    newOnly.jar.set('session', resealed);
    assert.deepEqual(JSON.parse((await newOnly.request('GET', '/read')).body).session, {
      views: 1,
    });
    newOnly.jar.set('session', sealed);
    assert.equal(JSON.parse((await newOnly.request('GET', '/read')).body).isNew, true);
    // Read under the current key, unchanged: nothing is written.
    newOnly.jar.set('session', resealed);
    assert.deepEqual((await newOnly.request('GET', '/read')).setCookie, []);
  });

  it("writeFormat 'cookie-session' is two-way: the original reads what the drop-in wrote, and the drop-in still reads sealed cookies", async () => {
    const keys = [key()];
    const sealedServer = await run('tessera', { keys });
    const legacy = await run('tessera', { keys, writeFormat: 'cookie-session' });
    const original = await run('original', { keys });
    await sealedServer.request('POST', '/count');
    legacy.jar.set('session', sealedServer.jar.get('session')!);
    await legacy.request('POST', '/count');
    assert.deepEqual([...legacy.jar.keys()], ['session', 'session.sig']);
    for (const [name, value] of legacy.jar) original.jar.set(name, value);
    const read = JSON.parse((await original.request('GET', '/read')).body);
    assert.deepEqual(read.session, { views: 2 });
    assert.equal(read.isNew, false);
  });

  it('a sealed cookie is bound to its cookie name', async () => {
    const keys = [key()];
    const a = await run('tessera', { keys, name: 'a' });
    const b = await run('tessera', { keys, name: 'b' });
    await a.request('POST', '/count');
    b.jar.set('b', a.jar.get('a')!);
    assert.equal(JSON.parse((await b.request('GET', '/read')).body).isNew, true);
  });
});
