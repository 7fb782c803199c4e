/**
 * Hostile and malformed cookies over real HTTP (S-32 and the A, D, E requirements they
 * exercise): every case is answered as a guest, never a 5xx, never a stack trace, and
 * an event names the reason.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { TesseraEvent } from '../../src/kernel/events.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { startApp, type TestApp } from '../support/app.js';
import { CookieJar, firstCookie, newSecret, send, sendRaw } from '../support/http.js';

function flipChar(value: string, at: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const c = value[at]!;
  const next = alphabet[(alphabet.indexOf(c) + 1) % 64]!;
  return value.slice(0, at) + next + value.slice(at + 1);
}

/** At least 40 kinds of hostile Cookie headers built around a valid cookie. */
function corpus(name: string, valid: string): [string, string | string[]][] {
  const rnd = randomBytes(32).toString('base64url');
  return [
    ['empty header', ''],
    ['only separators', ';;; ;'],
    ['name without value', name],
    ['empty value', `${name}=`],
    ['equals only', '='],
    ['value is spaces', `${name}=   `],
    ['random 43-char id (S-03)', `${name}=${rnd}`],
    ['random id with fake signature', `${name}=${rnd}.${rnd}`],
    ['truncated by one char', `${name}=${valid.slice(0, -1)}`],
    ['truncated to half', `${name}=${valid.slice(0, valid.length >> 1)}`],
    ['extended by one char', `${name}=${valid}A`],
    ['extended with padding =', `${name}=${valid}=`],
    ['extended with ==', `${name}=${valid}==`],
    ['first char changed', `${name}=${flipChar(valid, 0)}`],
    ['middle char changed', `${name}=${flipChar(valid, valid.length >> 1)}`],
    ['last char changed (S-26 unused bits)', `${name}=${flipChar(valid, valid.length - 1)}`],
    ['inserted !', `${name}=${valid.slice(0, 5)}!${valid.slice(5)}`],
    ['inserted space', `${name}=${valid.slice(0, 5)} ${valid.slice(5)}`],
    ['inserted dot', `${name}=${valid.slice(0, 7)}.${valid.slice(7)}`],
    ['inserted %', `${name}=${valid.slice(0, 5)}%${valid.slice(5)}`],
    ['percent-encoded first char', `${name}=%${valid.charCodeAt(0).toString(16)}${valid.slice(1)}`],
    ['percent garbage', `${name}=%zz%E0%A4%A`],
    ['quoted value', `${name}="${valid}x"`],
    ['non-ASCII latin1', `${name}=${valid.slice(0, 4)}\u00e9\u00ff${valid.slice(4)}`],
    ['base64 standard alphabet', `${name}=${valid.replace(/-/g, '+').replace(/_/g, '/')}x`],
    ['over-long value (8 KB)', `${name}=${'A'.repeat(8192)}`],
    ['many cookies (500)', Array.from({ length: 500 }, (_, i) => `c${i}=${i}`).join('; ')],
    ['unknown version prefix', `${name}=v9.${valid}`],
    ['duplicate name (S-07)', `${name}=${valid}; ${name}=${valid}`],
    ['duplicate over two header lines (S-07)', [`${name}=${valid}`, `${name}=${rnd}`]],
    ['duplicate with garbage second (S-07)', `${name}=${valid}; ${name}=x`],
    ['chunk 0 without chunk 1', `${name}.0=${valid.slice(0, 20)}`],
    ['chunks with a gap', `${name}.0=${valid.slice(0, 20)}; ${name}.2=${valid.slice(20)}`],
    ['duplicated chunk', `${name}.0=${valid}; ${name}.0=${valid}`],
    ['chunk index huge', `${name}.999999=${valid}`],
    ['JSON instead of token', `${name}={"userId":"admin"}`],
    ['__proto__ name', `__proto__=${valid}; ${name}=${rnd}`],
    ['constructor name', `constructor=${valid}`],
    ['tab inside value', `${name}=${valid.slice(0, 3)}\t${valid.slice(3)}`],
    [
      'value is the SHA-256 store key (S-02)',
      `${name}=${createHash('sha256').update(valid.split('.')[0]!).digest('base64url')}`,
    ],
    ['signature only', `${name}=.${valid.split('.')[1] ?? rnd}`],
    ['id and dot only', `${name}=${valid.split('.')[0]}.`],
  ];
}

for (const mode of ['cookie', 'store'] as const) {
  describe(`${mode} mode: S-32 hostile cookie headers never cause a 5xx`, {
    timeout: 60_000,
  }, () => {
    const events: TesseraEvent[] = [];
    const store = mode === 'store' ? new MemoryStore() : undefined;
    after(() => store?.close());
    let app: TestApp | undefined;
    let url: string;
    let valid: string;
    let name: string;
    before(async () => {
      app = await startApp({
        secrets: [newSecret()],
        ...(store ? { store } : {}),
        cookie: { secure: false },
        onEvent: (e) => events.push(e), // the engine emits only session events
      });
      url = app.url;
      const jar = new CookieJar();
      const res = await jar.send(`${url}/set?k=role&v=%22user%22`);
      ({ name, value: valid } = firstCookie(res.setCookie));
    });
    after(() => app?.close());

    it('the valid cookie is accepted (control case)', async () => {
      const res = await send(`${url}/read`, { cookie: `${name}=${valid}` });
      assert.deepEqual(JSON.parse(res.body).data, { role: 'user' });
    });

    if (mode === 'cookie') {
      it('guest for: plain and chunked cookies together (cookie mode)', async () => {
        const cookie = `${name}=${valid}; ${name}.0=${valid}; ${name}.1=x`;
        const res = await send(`${url}/read`, { cookie });
        assert.equal(JSON.parse(res.body).isNew, true);
        // Every cookie of the broken family is expired, so the next write starts clean.
        const expired = res.setCookie.map((l) => l.split('=')[0]).sort();
        assert.deepEqual(expired, [name, `${name}.0`, `${name}.1`]);
      });
    }

    if (mode === 'cookie') {
      it('S-21 a hostile family of 1,000 chunk names expires only names Tessera could write', async () => {
        // Default maxChunks is 4: the plain name and .0 to .3 are all Tessera ever writes.
        const cookie = Array.from({ length: 1000 }, (_, i) => `${name}.${i}=x`).join('; ');
        const res = await send(`${url}/read`, { cookie: `${name}=${valid}; ${cookie}` });
        assert.equal(res.status, 200);
        assert.equal(JSON.parse(res.body).isNew, true);
        const expired = res.setCookie.map((l) => l.split('=')[0]).sort();
        assert.deepEqual(expired, [name, `${name}.0`, `${name}.1`, `${name}.2`, `${name}.3`]);
        assert.ok(res.setCookie.every((l) => /Max-Age=0/.test(l)));
      });

      it('S-21 chunk names beyond maxChunks alone are ignored, not expired', async () => {
        const res = await send(`${url}/read`, { cookie: `${name}.4=x; ${name}.99=y` });
        assert.equal(JSON.parse(res.body).isNew, true);
        assert.deepEqual(res.setCookie, []);
      });
    }

    for (const [label, bytes] of [
      ['control characters', '\u0001\u0002'],
      ['bare CR', '\r'],
      ['NUL', '\u0000'],
      ['DEL and high bytes', '\u007f\u00ff'],
    ] as const) {
      it(`raw ${label} in the Cookie header: Node's own 400 or a guest, never a 5xx`, async () => {
        const res = await sendRaw(`${url}/read`, [
          `Cookie: ${name}=${valid.slice(0, 3)}${bytes}${valid.slice(3)}`,
        ]);
        assert.ok(res.status === 400 || res.status === 200, `status ${res.status}`);
        if (res.status === 200) assert.equal(JSON.parse(res.body).isNew, true);
        assert.doesNotMatch(res.body, /at .*:\d+:\d+/);
      });
    }

    it('every hostile header is named once and differs from the valid cookie', () => {
      const entries = corpus(name, valid);
      const labels = entries.map(([label]) => label);
      assert.deepEqual(labels, [...new Set(labels)], 'a repeated label would hide a case');
      const validHeader = `${name}=${valid}`;
      const same = entries.filter(([, header]) => String(header) === validHeader);
      assert.deepEqual(same, [], 'a case equal to the valid cookie tests nothing');
    });

    for (const [label] of corpus('sid', 'placeholder')) {
      it(`guest for: ${label}`, async () => {
        const entry = corpus(name, valid).find(([l]) => l === label)!;
        events.length = 0;
        const res = await send(`${url}/read`, { cookie: entry[1] });
        assert.ok(res.status < 500, `status ${res.status}`);
        assert.doesNotMatch(res.body, /at .*\(.*:\d+:\d+\)|Error:/, 'no stack trace');
        assert.equal(JSON.parse(res.body).isNew, true, 'must be a guest');
        assert.deepEqual(JSON.parse(res.body).data, {});
        assert.deepEqual(app?.errors, []);
      });
    }

    it('S-26 the issued value in double quotes is malformed: guest, event, cookie expired', async () => {
      events.length = 0;
      const res = await send(`${url}/read`, { cookie: `${name}="${valid}"` });
      assert.equal(JSON.parse(res.body).isNew, true);
      assert.deepEqual(JSON.parse(res.body).data, {});
      assert.deepEqual(
        events.filter((e) => e.type === 'session.rejected'),
        [{ type: 'session.rejected', reason: 'malformed' }],
      );
      assert.equal(res.setCookie.length, 1);
      assert.match(res.setCookie[0]!, new RegExp(`^${name}=; .*Max-Age=0`));
    });

    it('S-07 duplicate cookies emit one duplicate_cookie event and no deletion', async () => {
      events.length = 0;
      const res = await send(`${url}/read`, { cookie: `${name}=${valid}; ${name}=${valid}` });
      assert.deepEqual(events, [{ type: 'session.rejected', reason: 'duplicate_cookie' }]);
      assert.deepEqual(res.setCookie, []);
    });

    it('S-07 a differently-cased name is a different cookie and is ignored', async () => {
      const upper = name.toUpperCase();
      const res = await send(`${url}/read`, { cookie: `${name}=${valid}; ${upper}=junk` });
      assert.deepEqual(JSON.parse(res.body).data, { role: 'user' });
    });

    it('S-25 every single-character change of the cookie is rejected as tamper or malformed', async () => {
      const reasons = new Set<string>();
      // Every position for short values; a spread of 64 positions for long sealed ones.
      const step = Math.max(1, Math.floor(valid.length / 64));
      for (let at = 0; at < valid.length; at += step) {
        events.length = 0;
        const res = await send(`${url}/read`, { cookie: `${name}=${flipChar(valid, at)}` });
        assert.equal(JSON.parse(res.body).isNew, true, `position ${at}`);
        const rejected = events.find((e) => e.type === 'session.rejected');
        assert.ok(rejected, `an event for position ${at}`);
        reasons.add((rejected as { reason: string }).reason);
      }
      assert.ok(
        [...reasons].every((r) => r === 'tamper' || r === 'malformed'),
        [...reasons].join(),
      );
    });

    it('a rejected cookie is expired so the browser stops sending it', async () => {
      const res = await send(`${url}/read`, { cookie: `${name}=${flipChar(valid, 3)}` });
      assert.equal(res.setCookie.length, 1);
      assert.match(res.setCookie[0]!, /^sid=; .*Max-Age=0/);
    });
  });
}
