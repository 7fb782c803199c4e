/**
 * The black-box HTTP contract every native adapter passes. Each adapter's test file
 * builds the same small app the framework's own way (see the route table below) and
 * calls {@link runAdapterContract}; the suite then drives it over real HTTP and checks
 * only what a browser sees. Adapters hold no session logic, so any difference between
 * frameworks here is an adapter bug.
 *
 * Routes (all GET), each answering `{"isNew":bool,"data":{...}}` as JSON unless noted:
 *   /read          nothing
 *   /inc           data.count += 1
 *   /big?n=N       data.big = 'x'.repeat(N)
 *   /regenerate    session.regenerate()
 *   /destroy       session.destroy()
 *   /redirect      data.count += 1, then the framework's redirect to /read (302)
 *   /app-cookie    data.count += 1, and the app sets its own cookie `app=1; Path=/`
 *   /send          data.count += 1, then the framework's plain-text send of `ok`
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SessionOptions } from '../../src/index.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { type RedisStore, redisStore } from '../../src/stores/redis/index.js';
import { CookieJar, firstCookie, newSecret, send, type TestResponse } from '../support/http.js';
import { PrivateRedis } from '../support/redis-server.js';
import { freePort, probeRedisServerBinary, waitUntil } from '../support/services.js';

/** Session data of the contract app. */
export type ContractData = Record<string, unknown>;

/** A running contract app. */
export interface ContractApp {
  /** Base URL, e.g. `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Errors the adapter reported (its `onError`, or the framework's error path). */
  readonly errors: unknown[];
  close(): Promise<void>;
}

/** Starts the framework app over real HTTP on 127.0.0.1 with these session options. */
export type StartContractApp = (options: SessionOptions<ContractData>) => Promise<ContractApp>;

interface Config {
  readonly label: string;
  readonly options: () => SessionOptions<ContractData>;
  /** Whether an old cookie stops loading once the session is regenerated or destroyed. */
  readonly revocable: boolean;
}

const CONFIGS: readonly Config[] = [
  {
    label: 'cookie mode',
    options: () => ({ secrets: [newSecret()], cookie: { secure: false } }),
    // A sealed cookie is valid until it expires unless a registry is configured
    // (docs/revocation.md): the copy a client kept still opens.
    revocable: false,
  },
  {
    label: 'cookie mode with a registry',
    options: () => ({
      secrets: [newSecret()],
      cookie: { secure: false },
      registry: new MemoryStore(),
    }),
    revocable: true,
  },
  {
    label: 'store mode',
    options: () => ({
      secrets: [newSecret()],
      cookie: { secure: false },
      store: new MemoryStore(),
    }),
    revocable: true,
  },
];

interface Body {
  readonly isNew: boolean;
  readonly data: ContractData;
}

function body(response: TestResponse): Body {
  assert.match(String(response.headers['content-type']), /json/, response.body);
  return JSON.parse(response.body) as Body;
}

/** The session cookie among a response's Set-Cookie values (the app's own is `app`). */
function sessionCookies(response: TestResponse): string[] {
  return response.setCookie.filter((line) => !line.startsWith('app='));
}

function assertBareFailure(response: TestResponse, status: 500 | 503): void {
  assert.equal(response.status, status, response.body);
  assert.doesNotMatch(response.body, /\bat\s.+:\d+:\d+|Error:|SESSION_|STORE_/, 'no stack trace');
  assert.deepEqual(sessionCookies(response), [], 'no session cookie on a failure');
}

/**
 * Runs the contract against one adapter.
 * @param name - framework and variant, e.g. `express 5`.
 */
export function runAdapterContract(name: string, start: StartContractApp): void {
  for (const config of CONFIGS) {
    describe(`${name} adapter contract, ${config.label}`, { timeout: 60_000 }, () => {
      let options: SessionOptions<ContractData>;
      let app: ContractApp;

      before(async () => {
        options = config.options();
        app = await start(options);
      });
      after(async () => {
        await app?.close();
      });

      it('a new visitor is a guest; a READ sends no Set-Cookie', async () => {
        const res = await send(`${app.url}/read`);
        assert.equal(res.status, 200);
        assert.deepEqual(body(res), { isNew: true, data: {} });
        assert.deepEqual(res.setCookie, []);
      });

      it('changes persist across requests; reading a saved session sends no Set-Cookie', async () => {
        const jar = new CookieJar();
        const first = await jar.send(`${app.url}/inc`);
        assert.equal(first.status, 200);
        assert.deepEqual(body(first), { isNew: true, data: { count: 1 } });
        assert.equal(sessionCookies(first).length, 1, first.setCookie.join('\n'));
        assert.match(sessionCookies(first)[0]!, /HttpOnly/i);
        assert.match(sessionCookies(first)[0]!, /SameSite=Lax/i);
        assert.equal(
          first.headers['cache-control'],
          'no-store',
          'a response that sets a cookie is private',
        );
        assert.deepEqual(body(await jar.send(`${app.url}/inc`)).data, { count: 2 });
        const read = await jar.send(`${app.url}/read`);
        assert.deepEqual(body(read), { isNew: false, data: { count: 2 } });
        assert.deepEqual(read.setCookie, [], 'an unchanged session is not re-sent');
      });

      it('plain-text sends commit too', async () => {
        const jar = new CookieJar();
        const res = await jar.send(`${app.url}/send`);
        assert.equal(res.status, 200);
        assert.equal(res.body, 'ok');
        assert.equal(sessionCookies(res).length, 1);
        assert.deepEqual(body(await jar.send(`${app.url}/read`)).data, { count: 1 });
      });

      it('a redirect keeps its Set-Cookie', async () => {
        const jar = new CookieJar();
        const res = await jar.send(`${app.url}/redirect`);
        assert.equal(res.status, 302);
        assert.match(String(res.headers.location), /\/read$/);
        assert.equal(sessionCookies(res).length, 1, 'the session cookie rides on the 302');
        assert.deepEqual(body(await jar.send(`${app.url}/read`)).data, { count: 1 });
      });

      it("the app's own cookie and the session cookie are separate Set-Cookie values", async () => {
        const jar = new CookieJar();
        const res = await jar.send(`${app.url}/app-cookie`);
        assert.equal(res.status, 200);
        assert.equal(res.setCookie.length, 2, res.setCookie.join('\n'));
        assert.ok(
          res.setCookie.some((line) => /^app=1(;|$)/.test(line)),
          res.setCookie.join('\n'),
        );
        assert.equal(sessionCookies(res).length, 1);
        assert.deepEqual(body(await jar.send(`${app.url}/read`)).data, { count: 1 });
      });

      it('regenerate issues a new cookie and keeps the data', async () => {
        const jar = new CookieJar();
        await jar.send(`${app.url}/inc`);
        const before = jar.header()!;
        const res = await jar.send(`${app.url}/regenerate`);
        assert.equal(res.status, 200);
        assert.equal(sessionCookies(res).length, 1);
        assert.notEqual(jar.header(), before, 'a new cookie');
        assert.deepEqual(body(await jar.send(`${app.url}/read`)).data, { count: 1 });
        const old = body(await send(`${app.url}/read`, { cookie: before }));
        if (config.revocable)
          assert.deepEqual(old, { isNew: true, data: {} }, 'the old cookie is dead');
        else assert.deepEqual(old.data, { count: 1 }, 'a sealed copy opens until it expires');
      });

      it('destroy expires the cookie and ends the session', async () => {
        const jar = new CookieJar();
        await jar.send(`${app.url}/inc`);
        const before = jar.header()!;
        const res = await jar.send(`${app.url}/destroy`);
        assert.equal(res.status, 200);
        assert.match(sessionCookies(res)[0] ?? '', /Max-Age=0/i);
        assert.equal(jar.cookies.size, 0, 'the browser drops it');
        const old = body(await send(`${app.url}/read`, { cookie: before }));
        if (config.revocable)
          assert.deepEqual(old, { isNew: true, data: {} }, 'the old cookie is dead');
        else assert.deepEqual(old.data, { count: 1 }, 'a sealed copy opens until it expires');
      });

      it('a session too large for its cookie is a bare 500 before any byte of the body', async () => {
        if (options.store !== undefined) {
          // Store mode keeps data server-side: the same request succeeds.
          const res = await send(`${app.url}/big?n=12000`);
          assert.equal(res.status, 200);
          return;
        }
        const res = await send(`${app.url}/big?n=12000`);
        assertBareFailure(res, 500);
        assert.doesNotMatch(res.body, /xxxx/, "nothing of the app's body");
        assert.ok(app.errors.length > 0, 'the error was reported');
      });

      it('hostile cookies load as a guest, never a 5xx', async () => {
        const jar = new CookieJar();
        await jar.send(`${app.url}/inc`);
        const valid = firstCookie(sessionCookies(await jar.send(`${app.url}/inc`)));
        const { name, value } = valid;
        // One character changed: never to itself (1 in 64 values already has an x there).
        const altered = value[10] === 'x' ? 'y' : 'x';
        const hostile = [
          `${name}=garbage`,
          `${name}=${value.slice(0, -3)}`,
          `${name}=${value.slice(0, 10)}${altered}${value.slice(11)}`,
          `${name}=${value}A`,
          `${name}=${'A'.repeat(8000)}`,
          `${name}=%zz%E0`,
          `${name}=${value}; ${name}=${value.slice(0, -1)}`,
          '=;;;',
        ];
        for (const cookie of hostile) {
          const res = await send(`${app.url}/read`, { cookie });
          assert.equal(res.status, 200, `${cookie.slice(0, 60)}: ${res.body}`);
          const guest = body(res);
          if (cookie.startsWith(`${name}=${value};`)) continue; // the valid copy may win
          assert.deepEqual(guest, { isNew: true, data: {} }, cookie.slice(0, 60));
        }
      });

      it('rotation: an old-secret cookie loads and is re-issued, so the old secret can go', async () => {
        const jar = new CookieJar();
        await jar.send(`${app.url}/inc`);
        const current = newSecret();
        const rotated = await start({
          ...options,
          secrets: [current, ...(options.secrets as string[])],
        });
        const dropped = await start({ ...options, secrets: [current] });
        const unknown = await start({ ...options, secrets: [newSecret()] });
        try {
          const read = await jar.send(`${rotated.url}/read`);
          assert.deepEqual(body(read), { isNew: false, data: { count: 1 } });
          assert.equal(sessionCookies(read).length, 1, 're-issued under the current secret');
          assert.deepEqual(body(await jar.send(`${rotated.url}/inc`)).data, { count: 2 });
          const after = body(await jar.send(`${dropped.url}/read`));
          assert.deepEqual(
            after,
            { isNew: false, data: { count: 2 } },
            'the old secret is no longer needed',
          );
          assert.equal(
            body(await jar.send(`${unknown.url}/read`)).isNew,
            true,
            'an unknown secret: a guest',
          );
        } finally {
          await Promise.all([rotated.close(), dropped.close(), unknown.close()]);
        }
      });
    });
  }

  const skip = probeRedisServerBinary(`the ${name} outage contract`);
  describe(`${name} adapter contract, store outage`, { skip, timeout: 60_000 }, () => {
    let redis: PrivateRedis;
    let store: RedisStore;
    let app: ContractApp;

    before(async () => {
      redis = new PrivateRedis(await freePort());
      await redis.start();
      store = redisStore({ url: redis.url, commandTimeout: 300 });
      app = await start({ secrets: [newSecret()], cookie: { secure: false }, store });
    });
    after(async () => {
      await app?.close();
      await store?.close();
      await redis?.kill();
    });

    it('answers 503 with Retry-After while Redis is down, then recovers', async () => {
      const jar = new CookieJar();
      assert.equal((await jar.send(`${app.url}/inc`)).status, 200);
      await redis.kill();
      const down = await jar.send(`${app.url}/inc`);
      assertBareFailure(down, 503);
      assert.equal(down.headers['retry-after'], '5');
      assert.ok(app.errors.length > 0, 'the outage was reported');
      await redis.start();
      await waitUntil(
        async () => (await send(`${app.url}/inc`)).status === 200,
        15_000,
        'requests succeed again once Redis is back',
      );
      const fresh = new CookieJar();
      assert.deepEqual(body(await fresh.send(`${app.url}/inc`)).data, { count: 1 });
      assert.deepEqual(body(await fresh.send(`${app.url}/read`)).data, { count: 1 });
    });
  });
}
