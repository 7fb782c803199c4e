/**
 * Hostile cookies: whatever a client sends, the app gets an empty new session (or, for
 * a valid session, that session), the response is a 200, and nothing reaches a
 * prototype. Values are signed with the server's real key where the point is to get past
 * the signature (as if the key had leaked, or for `signed: false`).
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type Running, start } from './support.js';

const KEY = randomBytes(24).toString('base64');
const sign = (data: string): string => createHmac('sha1', KEY).update(data).digest('base64url');
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
/** A cookie header carrying `value` and its valid keygrip signature. */
const signed = (value: string, name = 'session'): string =>
  `${name}=${value}; ${name}.sig=${sign(`${name}=${value}`)}`;

const EMPTY = { session: {}, isNew: true, isChanged: true, isPopulated: false, keys: [] };

const HOSTILE: ReadonlyArray<readonly [string, string]> = [
  ['bad base64', signed('!!!not*base64!!!')],
  ['base64 of bad JSON', signed(b64('{"views":'))],
  ['JSON array', signed(b64('[1,2,3]'))],
  ['JSON string', signed(b64('"abc"'))],
  ['JSON null', signed(b64('null'))],
  ['top-level __proto__', signed(b64('{"__proto__":{"isAdmin":true},"views":1}'))],
  ['nested __proto__', signed(b64('{"user":{"__proto__":{"isAdmin":true}}}'))],
  ['constructor key', signed(b64('{"constructor":{"prototype":{"isAdmin":true}}}'))],
  ['oversized (5 KiB)', signed(b64(JSON.stringify({ pad: 'x'.repeat(5000) })))],
  ['bad signature', `session=${b64('{"views":1}')}; session.sig=${'A'.repeat(27)}`],
  ['signature of another length', `session=${b64('{"views":1}')}; session.sig=abc`],
  ['missing signature', `session=${b64('{"views":1}')}`],
  [
    'signature for another name',
    `session=${b64('{"views":1}')}; session.sig=${sign(`other=${b64('{"views":1}')}`)}`,
  ],
  ['empty value', 'session=; session.sig='],
  ['sealed-looking garbage', `session=AQ${'A'.repeat(120)}`],
  ['non-UTF-8 bytes', signed(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'))],
];

describe('cookie-session drop-in: hostile cookies', { timeout: 60_000 }, () => {
  let sealed: Running;
  let legacy: Running;
  let original: Running;
  before(async () => {
    sealed = await start('tessera', { keys: [KEY] });
    legacy = await start('tessera', { keys: [KEY], writeFormat: 'cookie-session' });
    original = await start('original', { keys: [KEY] });
  });
  after(async () => {
    await Promise.all([sealed, legacy, original].map((server) => server?.close()));
  });

  async function read(server: Running, cookie: string) {
    const response = await fetch(`${server.url}/read`, { headers: { cookie } });
    return {
      status: response.status,
      body: (await response.json()) as { session: unknown; isNew: boolean },
      setCookie: response.headers.getSetCookie(),
    };
  }

  for (const [label, cookie] of HOSTILE) {
    it(`${label}: an empty new session, never an error`, async () => {
      for (const server of [sealed, legacy]) {
        const answer = await read(server, cookie);
        assert.equal(answer.status, 200);
        assert.deepEqual(answer.body, EMPTY);
      }
      assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
    });
  }

  it('a bad signature is expired like the original does', async () => {
    const cookie = `session=${b64('{"views":1}')}; session.sig=${'A'.repeat(27)}`;
    const expected = await read(original, cookie);
    const actual = await read(sealed, cookie);
    assert.deepEqual(actual, expected);
    assert.match(actual.setCookie[0] ?? '', /^session\.sig=; path=\/; expires=Thu, 01 Jan 1970/);
  });

  it('a valid cookie is read from the first of duplicate names, as the original does', async () => {
    const good = signed(b64('{"views":7}'));
    const cookie = `${good}; session=${b64('{"views":8}')}`;
    for (const server of [original, sealed]) {
      assert.deepEqual((await read(server, cookie)).body.session, { views: 7 });
    }
  });

  it('a quoted value is unquoted, as the original does', async () => {
    const value = b64('{"views":3}');
    const cookie = `session="${value}"; session.sig=${sign(`session=${value}`)}`;
    for (const server of [original, sealed]) {
      assert.deepEqual((await read(server, cookie)).body.session, { views: 3 });
    }
  });

  it('names the session object already has are skipped, as the original does', async () => {
    const cookie = signed(b64('{"isNew":"yes","toString":1,"views":2}'));
    for (const server of [original, sealed]) {
      const { body } = await read(server, cookie);
      assert.deepEqual(body.session, { views: 2 });
      assert.equal(body.isNew, false);
    }
  });

  it('signed: false reads unsigned cookies, hardened the same way', async () => {
    const unsigned = await start('tessera', { signed: false });
    try {
      assert.deepEqual((await read(unsigned, `session=${b64('{"views":4}')}`)).body.session, {
        views: 4,
      });
      assert.deepEqual(
        (await read(unsigned, `session=${b64('{"__proto__":{"a":1}}')}`)).body,
        EMPTY,
      );
    } finally {
      await unsigned.close();
    }
  });
});
