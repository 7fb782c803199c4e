/**
 * S-55 per route, over real HTTP with a real Redis outage (a private `redis-server`
 * child that is killed and restarted): public pages load with
 * `onStoreError: 'guest'` and answer as a read-only guest; sign-out still expires the
 * cookie and reports `session.revoke_failed`; routes that need the session answer 503.
 * Runs in store mode and in cookie mode with the registry in Redis.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { nodeSessions } from '../../src/adapters/node/index.js';
import type { TesseraEvent } from '../../src/kernel/events.js';
import type { Session } from '../../src/session/session.js';
import { type RedisStore, redisStore } from '../../src/stores/redis/index.js';
import { CookieJar, newSecret, startServer, type TestServer } from '../support/http.js';
import { PrivateRedis } from '../support/redis-server.js';
import { freePort, probeRedisServerBinary, waitUntil } from '../support/services.js';

type Data = Record<string, unknown>;
const skip = probeRedisServerBinary();

for (const mode of ['store', 'cookie'] as const) {
  describe(`S-55 routes choose what a ${mode}-mode store outage does`, {
    skip,
    timeout: 60_000,
  }, () => {
    let redis: PrivateRedis;
    let store: RedisStore;
    let server: TestServer;
    const events: TesseraEvent[] = [];
    const errors: unknown[] = [];

    before(async () => {
      redis = new PrivateRedis(await freePort());
      await redis.start();
      store = redisStore({ url: redis.url, commandTimeout: 300 });
      const sessions = nodeSessions<Data>({
        secrets: [newSecret()],
        ...(mode === 'store' ? { store } : { registry: store }),
        cookie: { secure: false },
        onEvent: (event) => events.push(event as TesseraEvent),
        onError: (error) => errors.push(error),
      });
      const json = (res: ServerResponse, session: Session<Data>, extra: object = {}): void => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ isNew: session.isNew, readOnly: session.isReadOnly, ...extra }));
      };
      const publicPage = sessions.handle((_req, res, session) => json(res, session), {
        onStoreError: 'guest',
      });
      const signOut = sessions.handle(
        (_req, res, session) => {
          session.destroy();
          json(res, session);
        },
        { onStoreError: 'guest' },
      );
      const account = sessions.handle((_req, res, session) =>
        json(res, session, { user: session.userId }),
      );
      const signIn = sessions.handle((_req, res, session) => {
        session.setUser('alice');
        json(res, session);
      });
      const tryWrite = sessions.handle(
        (_req, res, session) => {
          let refused = false;
          try {
            session.data.x = 1;
          } catch {
            refused = true;
          }
          json(res, session, { refused });
        },
        { onStoreError: 'guest' },
      );
      const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
        '/public': publicPage,
        '/sign-out': signOut,
        '/account': account,
        '/sign-in': signIn,
        '/try-write': tryWrite,
      };
      server = await startServer((req, res) => routes[req.url ?? '']!(req, res));
    });

    after(async () => {
      await server?.close();
      await store?.close();
      await redis?.kill();
    });

    it('public page: read-only guest; sign-out: cookie expired + revoke_failed; account: 503; then recovery', async () => {
      const jar = new CookieJar();
      assert.equal((await jar.send(`${server.url}/sign-in`)).status, 200);
      const signedIn = jar.header()!;
      assert.equal(JSON.parse((await jar.send(`${server.url}/account`)).body).user, 'alice');

      await redis.kill();
      const account = await jar.send(`${server.url}/account`);
      assert.equal(account.status, 503, 'a route that needs the session fails closed');
      assert.equal(account.headers['retry-after'], '5');

      const page = await jar.send(`${server.url}/public`);
      assert.equal(page.status, 200, 'a public page goes on as a guest');
      assert.deepEqual(JSON.parse(page.body), { isNew: true, readOnly: true });
      assert.deepEqual(page.setCookie, [], 'a read-only guest never touches the cookie');
      assert.equal(jar.header(), signedIn, 'the browser keeps its session');

      const write = await jar.send(`${server.url}/try-write`);
      assert.equal(JSON.parse(write.body).refused, true, 'read-only guest data is frozen');

      events.length = 0;
      const out = await jar.send(`${server.url}/sign-out`);
      assert.equal(out.status, 200, 'sign-out works while the store is down');
      assert.match(out.setCookie[0] ?? '', /^sid=; .*Max-Age=0/, 'and expires the cookie');
      assert.equal(jar.cookies.size, 0);
      assert.ok(
        events.some((e) => e.type === 'session.revoke_failed'),
        `revoke_failed reported: ${events.map((e) => e.type).join(', ')}`,
      );
      assert.ok(events.some((e) => e.type === 'session.degraded'));

      await redis.start();
      const again = new CookieJar();
      await waitUntil(
        async () => (await again.send(`${server.url}/sign-in`)).status === 200,
        15_000,
        'sign-in works again once Redis is back',
      );
      assert.equal(JSON.parse((await again.send(`${server.url}/account`)).body).user, 'alice');
      assert.ok(errors.length >= 1, 'the 503 was reported to onError');
    });
  });
}
