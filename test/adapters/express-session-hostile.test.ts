/**
 * Hostile input never crashes the drop-in: forged, malformed or duplicated cookies and
 * records of the wrong shape in the store give a fresh session; store failures reach the
 * app's error handler; bad options fail at start-up.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, describe, it } from 'node:test';
import original from 'express-session';
import dropIn, { MemoryStore } from '../../src/adapters/express-session/index.js';
import { signSessionId } from '../../src/adapters/express-session/signature.js';
import { isTesseraError } from '../../src/errors.js';
import { DROP_IN, listen, makeApp, ORIGINAL, type Running } from './express-session/harness.js';

// express-session's own signer (cookie-signature 1.0), to mint cookies independently.
const signature = createRequire(createRequire(import.meta.url).resolve('express-session'))(
  'cookie-signature',
) as {
  sign(value: string, secret: string): string;
};

const SECRET = 'hostile-input test secret, 32 chars';
const OPTIONS = { secret: SECRET, resave: false, saveUninitialized: false };

const servers: Running[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

type View = { sessionID: string; views: number | null; keys: string[] | null };

async function get(
  url: string,
  cookie?: string,
): Promise<{ status: number; body: View; setCookie: string[] }> {
  const response = await fetch(url, cookie === undefined ? {} : { headers: { cookie } });
  const text = await response.text();
  let body: View;
  try {
    body = JSON.parse(text) as View;
  } catch {
    body = { sessionID: text, views: null, keys: null };
  }
  return { status: response.status, body, setCookie: response.headers.getSetCookie() };
}

const signed = (id: string, secret = SECRET): string =>
  `connect.sid=${encodeURIComponent(`s:${signature.sign(id, secret)}`)}`;

describe('hostile cookies', { timeout: 60_000 }, () => {
  it('our signer writes exactly what cookie-signature writes', () => {
    for (const id of ['a', 'abc-DEF_123', 'x'.repeat(100), 'ümlaut']) {
      assert.equal(signSessionId(id, SECRET), `s:${signature.sign(id, SECRET)}`);
    }
  });

  it('forged, malformed and oversized cookies give a fresh session, as the original does', async () => {
    const stores = {
      // express-session's typings hide `sessions`; it is a plain object of JSON texts.
      original: new original.MemoryStore() as original.MemoryStore & {
        sessions: Record<string, string>;
      },
      dropIn: new MemoryStore(),
    };
    const a = await listen(makeApp(ORIGINAL, { ...OPTIONS, store: stores.original }));
    const b = await listen(makeApp(DROP_IN, { ...OPTIONS, store: stores.dropIn }));
    servers.push(a, b);
    // One live session "victim" in both stores, then variations of its cookie.
    const record = JSON.stringify({
      cookie: { originalMaxAge: null, path: '/', httpOnly: true },
      views: 5,
    });
    stores.original.sessions.victim = record;
    stores.dropIn.sessions.victim = record;
    const good = signed('victim');
    const [name, value] = good.split('=') as [string, string];
    const hostile = [
      `${name}=s%3A`,
      `${name}=s:`,
      `${name}=s:.`,
      `${name}=s:victim`,
      `${name}=s:victim.`,
      `${name}=victim`,
      `${name}=${value.slice(0, -1)}`,
      `${name}=${value}x`,
      `${name}=${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`,
      signed('victim', 'another secret entirely, 32 chars!'),
      `${name}=%E0%A4%A`,
      `${name}=s%3A%00.%00`,
      `${name}=${'s:'.padEnd(6000, 'a')}`,
      `${name}=s:${'.'.repeat(500)}`,
      signed('__proto__'),
      signed('constructor'),
      signed('hasOwnProperty'),
      `${name}=${encodeURIComponent(`s:victim.${'A'.repeat(43)}`)}`,
    ];
    for (const cookie of hostile) {
      const [expected, actual] = await Promise.all([
        get(`${a.url}/`, cookie),
        get(`${b.url}/`, cookie),
      ]);
      assert.equal(actual.status, 200, cookie);
      assert.equal(actual.status, expected.status, cookie);
      assert.equal(actual.body.views, null, cookie);
      assert.notEqual(actual.body.sessionID, 'victim', cookie);
      assert.equal(actual.body.views, expected.body.views, cookie);
    }
    // The genuine cookie still works on both (the victim was not disturbed).
    assert.equal((await get(`${b.url}/`, good)).body.views, 5);
    assert.equal((await get(`${a.url}/`, good)).body.views, 5);
  });

  it('S-07 the session cookie sent twice is ignored (express-session takes the first)', async () => {
    const store = new MemoryStore();
    store.sessions.victim = JSON.stringify({ cookie: { path: '/' }, views: 5 });
    const b = await listen(makeApp(DROP_IN, { ...OPTIONS, store }));
    servers.push(b);
    const good = signed('victim');
    const response = await get(`${b.url}/`, `${good}; ${signed('fixated')}`);
    assert.equal(response.status, 200);
    assert.equal(response.body.views, null);
    assert.notEqual(response.body.sessionID, 'victim');
    assert.equal((await get(`${b.url}/`, good)).body.views, 5);
  });
});

describe('hostile records', { timeout: 60_000 }, () => {
  it('a record of the wrong shape is a fresh session, never a 500', async () => {
    const store = new MemoryStore();
    const b = await listen(makeApp(DROP_IN, { ...OPTIONS, store }));
    servers.push(b);
    const records = [
      'null',
      '"text"',
      '42',
      '[]',
      '{}',
      '{"views":3}',
      '{"cookie":"x","views":3}',
      '{"cookie":null,"views":3}',
      '{"cookie":{"expires":"not a date"},"views":3}',
      '{"cookie":{"expires":12},"views":3}',
      '{"cookie":{"path":5},"views":3}',
      'not json at all',
    ];
    for (const [index, text] of records.entries()) {
      const id = `bad-${index}`;
      store.sessions[id] = text;
      const response = await get(`${b.url}/inc`, signed(id));
      assert.equal(response.status, 200, text);
      assert.notEqual(response.body.sessionID, id, text);
      assert.equal(response.body.views, 1, text);
    }
  });

  it('S-33 record keys that name methods, id or prototypes stay out of the session', async () => {
    const store = new MemoryStore();
    const b = await listen(makeApp(DROP_IN, { ...OPTIONS, store }));
    servers.push(b);
    store.sessions.odd =
      '{"cookie":{"path":"/"},"views":1,"__proto__":{"polluted":true},"id":"other","req":1,"save":"x","regenerate":2,"constructor":3}';
    const response = await get(`${b.url}/inc`, signed('odd'));
    assert.equal(response.status, 200);
    assert.equal(response.body.sessionID, 'odd');
    assert.equal(response.body.views, 2, 'save() still works');
    assert.deepStrictEqual(response.body.keys, ['cookie', 'views']);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });
});

describe('store failures and options', { timeout: 60_000 }, () => {
  const failing = (overrides: Partial<Record<'get' | 'set' | 'destroy', unknown>>) => {
    const store = new MemoryStore();
    return Object.assign(store, overrides);
  };

  it('a failing get reaches the error handler (500), as in express-session; ENOENT is no session', async () => {
    const down = failing({
      get: (_sid: string, cb: (e: unknown) => void) => cb(new Error('store down')),
    });
    const missing = failing({
      get: (_sid: string, cb: (e: unknown) => void) =>
        cb(Object.assign(new Error('gone'), { code: 'ENOENT' })),
    });
    const throwing = failing({
      get: () => {
        throw new Error('thrown');
      },
    });
    const twice = failing({
      get: (_sid: string, cb: (e: unknown, s?: unknown) => void) => {
        cb(null, undefined);
        cb(new Error('second answer'));
      },
    });
    const urls = await Promise.all(
      [down, missing, throwing, twice].map((store) =>
        listen(makeApp(DROP_IN, { ...OPTIONS, store })),
      ),
    );
    servers.push(...urls);
    const cookie = signed('someone');
    assert.equal((await get(`${urls[0]!.url}/`, cookie)).status, 500);
    assert.equal((await get(`${urls[1]!.url}/inc`, cookie)).body.views, 1);
    assert.equal((await get(`${urls[2]!.url}/`, cookie)).status, 500);
    assert.equal((await get(`${urls[3]!.url}/inc`, cookie)).body.views, 1);
  });

  it('a failing save answers through the error handler, before anything was sent, with no cookie', async () => {
    const store = failing({
      set: (_sid: string, _s: unknown, cb: (e: unknown) => void) =>
        setImmediate(cb, new Error('write failed')),
    });
    const b = await listen(makeApp(DROP_IN, { ...OPTIONS, store }));
    servers.push(b);
    const response = await get(`${b.url}/inc`);
    assert.equal(response.status, 500);
    assert.deepStrictEqual(response.body, { error: 'write failed' } as unknown);
    assert.deepStrictEqual(response.setCookie, []);
  });

  it("a store that emitted 'disconnect' gives no session until 'connect', as in express-session", async () => {
    const stores = { original: new original.MemoryStore(), dropIn: new MemoryStore() };
    const a = await listen(makeApp(ORIGINAL, { ...OPTIONS, store: stores.original }));
    const b = await listen(makeApp(DROP_IN, { ...OPTIONS, store: stores.dropIn }));
    servers.push(a, b);
    const has = async (url: string) =>
      ((await get(`${url}/`)).body as unknown as { hasSession: boolean }).hasSession;
    for (const store of [stores.original, stores.dropIn]) store.emit('disconnect');
    assert.deepStrictEqual([await has(a.url), await has(b.url)], [false, false]);
    for (const store of [stores.original, stores.dropIn]) store.emit('connect');
    assert.deepStrictEqual([await has(a.url), await has(b.url)], [true, true]);
  });

  it('refuses a missing secret (express-session would run and fail every request) and bad options', () => {
    const refused = [
      {},
      { secret: '' },
      { secret: [] },
      { secret: [SECRET, undefined] },
      { secret: SECRET, genid: 'x' },
      { secret: SECRET, unset: 'forget' },
    ];
    for (const options of refused) {
      assert.throws(
        () => dropIn(options as never),
        (error: unknown) => isTesseraError(error) && error.code === 'INVALID_OPTIONS',
        JSON.stringify(options),
      );
    }
  });
});
