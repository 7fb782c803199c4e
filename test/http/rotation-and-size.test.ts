/**
 * Key rotation (S-29), purpose binding (S-27), cookie-mode chunking and size limits
 * (S-21, S-22) over real HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { startApp } from '../support/app.js';
import { CookieJar, firstCookie, newSecret, send } from '../support/http.js';

for (const mode of ['cookie', 'store'] as const) {
  describe(`${mode} mode: S-29 key rotation`, { timeout: 60_000 }, () => {
    it('a cookie made under K1 works under [K2, K1], is re-issued under K2, and dies under [K2]', async (t) => {
      const k1 = newSecret();
      const k2 = newSecret();
      const store = mode === 'store' ? new MemoryStore() : undefined;
      t.after(() => store?.close());
      const base = { ...(store ? { store } : {}), cookie: { secure: false } };
      const app1 = await startApp({ ...base, secrets: [k1] });
      t.after(() => app1.close());
      const jar = new CookieJar();
      await jar.send(`${app1.url}/inc`);
      const underK1 = jar.header()!;

      const app2 = await startApp({ ...base, secrets: [k2, k1] });
      t.after(() => app2.close());
      const rotated = await send(`${app2.url}/read`, { cookie: underK1 });
      assert.equal(JSON.parse(rotated.body).data.count, 1);
      assert.equal(rotated.setCookie.length, 1, 're-issued with the current key');
      jar.apply(rotated.setCookie);
      const underK2 = jar.header()!;
      assert.notEqual(underK2, underK1);
      const again = await send(`${app2.url}/read`, { cookie: underK2 });
      assert.deepEqual(again.setCookie, [], 'no re-issue once current');

      const app3 = await startApp({ ...base, secrets: [k2] });
      t.after(() => app3.close());
      assert.equal(
        JSON.parse((await send(`${app3.url}/read`, { cookie: underK1 })).body).isNew,
        true,
      );
      assert.equal(
        JSON.parse((await send(`${app3.url}/read`, { cookie: underK2 })).body).isNew,
        false,
      );

      const app4 = await startApp({ ...base, secrets: [k1] });
      t.after(() => app4.close());
      assert.equal(
        JSON.parse((await send(`${app4.url}/read`, { cookie: underK2 })).body).isNew,
        true,
      );
    });

    it('S-27 a session cookie value is rejected under another cookie name', async (t) => {
      const secret = newSecret();
      const store = mode === 'store' ? new MemoryStore() : undefined;
      t.after(() => store?.close());
      const base = { secrets: [secret], ...(store ? { store } : {}) };
      const a = await startApp({ ...base, cookie: { secure: false, name: 'a' } });
      t.after(() => a.close());
      const b = await startApp({ ...base, cookie: { secure: false, name: 'b' } });
      t.after(() => b.close());
      const made = await send(`${a.url}/inc`);
      const { value } = firstCookie(made.setCookie);
      assert.equal(
        JSON.parse((await send(`${a.url}/read`, { cookie: `a=${value}` })).body).isNew,
        false,
      );
      assert.equal(
        JSON.parse((await send(`${b.url}/read`, { cookie: `b=${value}` })).body).isNew,
        true,
      );
    });
  });
}

describe('cookie mode: chunking and S-21 size limits', { timeout: 60_000 }, () => {
  it('spreads a large session over numbered cookies, each line <= 4096 bytes, and reads it back', async (t) => {
    const app = await startApp({ secrets: [newSecret()], cookie: { secure: false } });
    t.after(() => app.close());
    const jar = new CookieJar();
    const res = await jar.send(`${app.url}/big?n=5000`);
    assert.ok(res.setCookie.length >= 2, `${res.setCookie.length} cookies`);
    for (const line of res.setCookie) assert.ok(Buffer.byteLength(line) <= 4096, `${line.length}`);
    const names = res.setCookie.map((l) => l.split('=')[0]);
    assert.equal(new Set(names).size, names.length, 'S-22 one Set-Cookie per name');
    assert.deepEqual(
      names,
      names.map((_, i) => `sid.${i}`),
    );
    const read = await jar.send(`${app.url}/read`);
    assert.equal((JSON.parse(read.body).data.big as string).length, 5000);

    // Shrinking back to one cookie expires the stale chunks.
    const small = await jar.send(`${app.url}/set?k=big&v=%22x%22`);
    const written = small.setCookie.filter((l) => !/Max-Age=0/.test(l)).map((l) => l.split('=')[0]);
    const expired = small.setCookie.filter((l) => /Max-Age=0/.test(l)).map((l) => l.split('=')[0]);
    assert.deepEqual(written, ['sid']);
    assert.deepEqual(expired.sort(), names.slice().sort());
    assert.deepEqual([...jar.cookies.keys()], ['sid']);
    assert.deepEqual(JSON.parse((await jar.send(`${app.url}/read`)).body).data.big, 'x');
  });

  it('S-21 2,000 bytes fit in one cookie; 5,000 beyond maxChunks: 1 fail before any header', async (t) => {
    const app = await startApp({ secrets: [newSecret()], cookie: { secure: false }, maxChunks: 1 });
    t.after(() => app.close());
    const ok = await send(`${app.url}/big?n=2000`);
    assert.equal(ok.status, 200);
    assert.equal(ok.setCookie.length, 1);
    assert.ok(Buffer.byteLength(ok.setCookie[0]!.split(';')[0]!) <= 4096);
    const tooBig = await send(`${app.url}/big?n=5000`);
    assert.equal(tooBig.status, 500);
    assert.deepEqual(tooBig.setCookie, []);
    assert.equal(tooBig.body, 'Internal Server Error');
    assert.equal((app.errors[0] as { code?: string }).code, 'SESSION_TOO_LARGE');
  });
});

/** The bytes a browser sends back for these Set-Cookie lines: `name=value` joined by `; `. */
function cookieHeaderFor(lines: readonly string[]): string {
  return lines.map((line) => line.slice(0, line.indexOf(';'))).join('; ');
}

describe('cookie mode: maxCookieBytes bounds all session cookies together', {
  timeout: 60_000,
}, () => {
  it('a ~7 KB session fits; a ~12 KB one fails with SESSION_TOO_LARGE, a 500 and no Set-Cookie', async () => {
    const app = await startApp({ secrets: [newSecret()], cookie: { secure: false } });
    const ok = await send(`${app.url}/big?n=5000`);
    assert.equal(ok.status, 200);
    const header = cookieHeaderFor(ok.setCookie);
    assert.ok(header.length > 6500 && header.length <= 8192, `${header.length} bytes`);
    const tooBig = await send(`${app.url}/big?n=9000`);
    assert.equal(tooBig.status, 500);
    assert.deepEqual(tooBig.setCookie, []);
    assert.equal(tooBig.body, 'Internal Server Error');
    assert.equal((app.errors[0] as { code?: string }).code, 'SESSION_TOO_LARGE');
    await app.close();
  });

  it('the largest session written under the default bound is accepted back by a default node:http server', async () => {
    const app = await startApp({ secrets: [newSecret()], cookie: { secure: false } });
    // Walk down to the largest session the default 8192-byte bound lets through.
    let n = 6400;
    let res = await send(`${app.url}/big?n=${n}`);
    while (res.status !== 200) {
      n -= 25;
      res = await send(`${app.url}/big?n=${n}`);
    }
    const header = cookieHeaderFor(res.setCookie);
    assert.ok(header.length > 8192 - 200 && header.length <= 8192, `${header.length} bytes`);
    // The app is a node:http server with Node's default header limits.
    const back = await send(`${app.url}/read`, { cookie: header });
    assert.equal(back.status, 200);
    assert.equal((JSON.parse(back.body).data.big as string).length, n);
    await app.close();
  });

  it('the smaller bound wins: maxChunks 1 refuses what maxCookieBytes would allow, and vice versa', async () => {
    const oneChunk = await startApp({
      secrets: [newSecret()],
      cookie: { secure: false },
      maxChunks: 1,
      maxCookieBytes: 100_000,
    });
    assert.equal((await send(`${oneChunk.url}/big?n=5000`)).status, 500);
    await oneChunk.close();
    const small = await startApp({
      secrets: [newSecret()],
      cookie: { secure: false },
      maxChunks: 20,
      maxCookieBytes: 2000,
    });
    assert.equal((await send(`${small.url}/big?n=1000`)).status, 200);
    assert.equal((await send(`${small.url}/big?n=2000`)).status, 500);
    await small.close();
  });
});
