/**
 * Session lifecycle over real HTTP on loopback, in both modes: creation only when there
 * is something to keep, READs that write nothing, nested mutation, regeneration,
 * destruction, idle and absolute expiry (injected clock), lazy touch.
 *
 * Three configurations: store mode, cookie mode with a registry, and plain cookie mode.
 * Replays of a signed-out or pre-sign-in cookie are refused by the first two; plain
 * cookie mode keeps nothing on the server and so cannot refuse them (the tests assert
 * exactly that, and docs/security.md says so).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { startApp, type TestApp } from '../support/app.js';
import { CookieJar, FakeClock, firstCookie, newSecret, send } from '../support/http.js';

const MINUTE = 60_000;

const CONFIGS = [
  { label: 'store mode', mode: 'store', revocable: true },
  { label: 'cookie mode with a registry', mode: 'cookie', revocable: true },
  { label: 'cookie mode', mode: 'cookie', revocable: false },
] as const;

for (const { label, mode, revocable } of CONFIGS) {
  describe(`${label}: lifecycle`, { timeout: 60_000 }, () => {
    const clock = new FakeClock();
    const store = revocable ? new MemoryStore({ clock: clock.read }) : undefined;
    let app: TestApp;
    before(async () => {
      app = await startApp({
        secrets: [newSecret()],
        ...(store ? (mode === 'store' ? { store } : { registry: store }) : {}),
        cookie: { secure: false },
        idleTimeout: 30 * MINUTE,
        absoluteTimeout: 12 * 60 * MINUTE,
        touchAfter: 5 * MINUTE,
        clock: clock.read,
      });
    });
    after(async () => {
      await app?.close();
      await store?.close();
      assert.deepEqual(app?.errors, []);
    });

    it('a guest costs nothing: no Set-Cookie until something is stored', async () => {
      const res = await send(`${app.url}/read`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.setCookie, []);
      assert.deepEqual(JSON.parse(res.body), { isNew: true, userId: null, data: {} });
    });

    it('counts visits; a READ sends no Set-Cookie and writes nothing', async () => {
      const jar = new CookieJar();
      for (let i = 1; i <= 3; i++) {
        const res = await jar.send(`${app.url}/inc`);
        assert.equal(JSON.parse(res.body).data.count, i);
        // Cookie mode re-seals on every change; store mode sends the id once and then
        // only patches the store.
        assert.equal(res.setCookie.length, mode === 'cookie' || i === 1 ? 1 : 0);
        if (res.setCookie.length > 0) {
          assert.match(res.headers['cache-control'] ?? '', /no-store/, 'S-24');
        }
      }
      const read = await jar.send(`${app.url}/read`);
      assert.deepEqual(JSON.parse(read.body), { isNew: false, userId: null, data: { count: 3 } });
      assert.deepEqual(read.setCookie, [], 'an unchanged session must not be re-sent');
    });

    it('sees nested mutation (pushing into an array) as a change', async () => {
      const jar = new CookieJar();
      await jar.send(`${app.url}/push?v=a`);
      await jar.send(`${app.url}/push?v=b`);
      const res = await jar.send(`${app.url}/read`);
      assert.deepEqual(JSON.parse(res.body).data.list, ['a', 'b']);
    });

    it(`S-05 regenerate issues a new cookie; the old one is ${revocable ? 'refused' : 'still accepted (no server state)'}`, async () => {
      const jar = new CookieJar();
      await jar.send(`${app.url}/inc`);
      const before = jar.header()!;
      const res = await jar.send(`${app.url}/login?user=alice`);
      const after = jar.header()!;
      assert.notEqual(after, before);
      assert.equal(res.setCookie.length, 1, 'S-22 one Set-Cookie per name');
      assert.deepEqual(JSON.parse((await jar.send(`${app.url}/read`)).body), {
        isNew: false,
        userId: 'alice',
        data: { count: 1 },
      });
      const replay = await send(`${app.url}/read`, { cookie: before });
      assert.equal(JSON.parse(replay.body).isNew, revocable);
      if (revocable) assert.match(replay.setCookie[0] ?? '', /Max-Age=0/, 'refused cookie expired');
    });

    it("S-05 setUser() alone rotates the id: a planted pre-sign-in cookie never becomes the victim's session", async () => {
      const jar = new CookieJar();
      await jar.send(`${app.url}/inc`);
      const planted = jar.header()!;
      const res = await jar.send(`${app.url}/bind?user=victim`);
      assert.equal(res.setCookie.length, 1);
      assert.notEqual(jar.header(), planted, 'a new id/nonce was issued');
      const attacker = JSON.parse((await send(`${app.url}/read`, { cookie: planted })).body);
      assert.equal(attacker.userId, null, 'the planted cookie is not bound to the victim');
      assert.equal(attacker.isNew, revocable);
      const victim = JSON.parse((await jar.send(`${app.url}/read`)).body);
      assert.deepEqual(victim, { isNew: false, userId: 'victim', data: { count: 1 } });
    });

    it(`S-10 destroy expires the cookie; a replayed copy is ${revocable ? 'a guest' : 'still accepted (no server state)'}`, async () => {
      const jar = new CookieJar();
      await jar.send(`${app.url}/login?user=bob`);
      const copy = jar.header()!;
      const res = await jar.send(`${app.url}/destroy`);
      assert.equal(res.setCookie.length, 1);
      assert.match(res.setCookie[0]!, /Max-Age=0/);
      assert.equal(jar.cookies.size, 0);
      const replay = JSON.parse((await send(`${app.url}/read`, { cookie: copy })).body);
      assert.equal(replay.isNew, revocable);
      assert.equal(replay.userId, revocable ? null : 'bob');
    });

    it('S-08 idle timeout is enforced by the server: 29 min slides, 31 min idle is a guest', async () => {
      const jar = new CookieJar();
      await jar.send(`${app.url}/inc`);
      clock.advance(29 * MINUTE);
      const alive = await jar.send(`${app.url}/read`);
      assert.equal(JSON.parse(alive.body).isNew, false);
      clock.advance(29 * MINUTE);
      assert.equal(JSON.parse((await jar.send(`${app.url}/read`)).body).isNew, false, 'slid');
      const copy = jar.header()!;
      clock.advance(31 * MINUTE);
      const expired = await send(`${app.url}/read`, { cookie: copy });
      assert.equal(JSON.parse(expired.body).isNew, true);
    });

    it('S-09 absolute timeout: activity every 5 minutes still ends after 12 hours', async () => {
      const jar = new CookieJar();
      await jar.send(`${app.url}/inc`);
      const start = clock.now;
      let rotated = false;
      while (clock.now - start < 12 * 60 * MINUTE - 5 * MINUTE) {
        clock.advance(5 * MINUTE);
        const res = await jar.send(`${app.url}/${rotated ? 'read' : 'regenerate'}`);
        rotated = true;
        assert.equal(JSON.parse(res.body).isNew, false);
      }
      clock.advance(6 * MINUTE);
      const res = await jar.send(`${app.url}/read`);
      assert.equal(JSON.parse(res.body).isNew, true);
    });

    it('lazy touch: no write within touchAfter, one after it, explicit touch() forces one', async () => {
      const jar = new CookieJar();
      await jar.send(`${app.url}/inc`);
      clock.advance(2 * MINUTE);
      const quiet = await jar.send(`${app.url}/read`);
      assert.deepEqual(quiet.setCookie, []);
      clock.advance(4 * MINUTE);
      const touched = await jar.send(`${app.url}/read`);
      if (mode === 'cookie') assert.equal(touched.setCookie.length, 1, 'cookie mode re-seals');
      else assert.deepEqual(touched.setCookie, [], 'store mode touches the store only');
      const forced = await jar.send(`${app.url}/touch`);
      if (mode === 'cookie') assert.equal(forced.setCookie.length, 1);
      // After the touch the session lives a full idle timeout from now.
      clock.advance(29 * MINUTE);
      assert.equal(JSON.parse((await jar.send(`${app.url}/read`)).body).isNew, false);
    });

    it('lazy touch: an active session lives until its absolute limit, not touchAfter before it', async () => {
      const jar = new CookieJar();
      await jar.send(`${app.url}/inc`);
      // A read every 4 minutes: touches land every 8; the last full one (at 688 min)
      // reaches 718 min, and the next extension is capped at the 720-minute limit.
      for (let minute = 4; minute <= 716; minute += 4) {
        clock.advance(4 * MINUTE);
        const res = await jar.send(`${app.url}/read`);
        assert.equal(JSON.parse(res.body).isNew, false, `alive at ${minute} min`);
      }
      clock.advance(3 * MINUTE); // 719 min: one minute before the absolute limit
      assert.equal(JSON.parse((await jar.send(`${app.url}/read`)).body).isNew, false);
      clock.advance(MINUTE + 1); // past it
      assert.equal(JSON.parse((await jar.send(`${app.url}/read`)).body).isNew, true);
    });

    it('writeHead path and streaming explicit commit both carry the cookie', async () => {
      const jar = new CookieJar();
      const direct = await jar.send(`${app.url}/writehead`);
      assert.equal(direct.setCookie.length, 1);
      const streamed = await jar.send(`${app.url}/stream`);
      assert.equal(streamed.body, 'abc');
      assert.equal(streamed.setCookie.length, mode === 'cookie' ? 1 : 0);
      const read = await jar.send(`${app.url}/read`);
      assert.equal(JSON.parse(read.body).data.count, 2);
      assert.equal(firstCookie(direct.setCookie).name, 'sid');
    });
  });
}
