/**
 * S-57: events and error reports never carry session ids, cookie values or secrets;
 * sessions are named by a short keyed hash that correlates events.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TesseraEvent } from '../../src/kernel/events.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { startApp } from '../support/app.js';
import { CookieJar, newSecret, send } from '../support/http.js';

for (const mode of ['cookie', 'store'] as const) {
  describe(`${mode} mode: S-57 no secrets in events`, { timeout: 60_000 }, () => {
    it('create, regenerate, destroy, tamper and duplicate events hold no cookie value, id or secret', async (t) => {
      const secret = newSecret();
      const events: TesseraEvent[] = [];
      const store = mode === 'store' ? new MemoryStore() : undefined;
      t.after(() => store?.close());
      const app = await startApp({
        secrets: [secret],
        ...(store ? { store } : {}),
        cookie: { secure: false },
        onEvent: (e) => events.push(e), // the engine emits only session events
      });
      t.after(() => app.close());
      const jar = new CookieJar();
      const seen: string[] = [];
      await jar.send(`${app.url}/inc`);
      seen.push(...jar.cookies.values());
      await jar.send(`${app.url}/login?user=alice`);
      seen.push(...jar.cookies.values());
      const cookie = jar.header()!;
      await send(`${app.url}/read`, { cookie: `${cookie}x` });
      await send(`${app.url}/read`, { cookie: `${cookie}; ${cookie}` });
      await jar.send(`${app.url}/destroy`);

      const types = events.map((e) =>
        e.type === 'session.rejected'
          ? `rejected:${e.reason === 'malformed' ? 'tamper' : e.reason}`
          : e.type,
      );
      assert.deepEqual(types, [
        'session.created',
        'session.regenerated',
        'rejected:tamper', // or malformed: an appended character breaks the format first
        'rejected:duplicate_cookie',
        'session.destroyed',
      ]);
      const logged = JSON.stringify(events) + app.errors.map(String).join();
      for (const value of seen) {
        assert.ok(!logged.includes(value), 'a cookie value leaked into events');
        for (const part of value.split('.'))
          assert.ok(!logged.includes(part), 'a token part leaked');
      }
      assert.ok(!logged.includes(secret));
      // The regenerated session's ref names the same session that is destroyed later.
      const regenerated = events[1] as { sessionRef: string };
      const destroyed = events[4] as { sessionRef: string };
      assert.equal(regenerated.sessionRef, destroyed.sessionRef);
      assert.match(regenerated.sessionRef, /^[0-9a-f]{16}$/);
    });
  });
}
