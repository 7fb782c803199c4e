/**
 * `tesserajs/express` over real HTTP: the adapter contract on Express 5, Express 4 and
 * Connect 3, then what is Express's own: every response helper commits, errors reach
 * `next(err)` as 503/500 with the HTTP fields Express's handlers read, routers under a
 * sub-path, per-route outage choices, proxy trust, and misuse.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFile, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import connect from 'connect';
import express from 'express';
import express4 from 'express4';
import { expressSessions } from '../../src/adapters/express/index.js';
import {
  ErrorCode,
  InvalidOptionsError,
  isSessionStoreError,
  SessionStateError,
} from '../../src/index.js';
import type { SessionPatch, SessionRecord } from '../../src/stores/contract.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { CookieJar, newSecret, send, startServer, type TestServer } from '../support/http.js';
import { runAdapterContract } from './contract.js';
import {
  type ErrorHandler,
  type ExpressFactory,
  startConnectContractApp,
  startExpressContractApp,
} from './express-apps.js';

describe('tesserajs/express on Express 5', { timeout: 300_000 }, () => {
  runAdapterContract('express 5', (options) => startExpressContractApp(express, options));
});

describe('tesserajs/express on Express 4', { timeout: 300_000 }, () => {
  runAdapterContract('express 4', (options) => startExpressContractApp(express4, options));
});

describe('tesserajs/express on Connect 3', { timeout: 300_000 }, () => {
  runAdapterContract('connect 3', startConnectContractApp);
});

/** A memory store that can be taken down, and whose writes land a little later. */
class FlakyStore extends MemoryStore {
  down = false;
  /** Only writes fail (the store went down between the load and the commit). */
  writesDown = false;
  #check(write = false): void {
    if (this.down || (write && this.writesDown)) {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    }
  }
  #later(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 15));
  }
  override async get(key: string): Promise<SessionRecord | null> {
    this.#check();
    return super.get(key);
  }
  override async set(key: string, record: SessionRecord): Promise<void> {
    this.#check(true);
    await this.#later();
    return super.set(key, record);
  }
  override async patch(key: string, patch: SessionPatch): Promise<boolean> {
    this.#check(true);
    await this.#later();
    return super.patch(key, patch);
  }
}

type Data = Record<string, unknown>;

const sessionCookie = (lines: readonly string[]): string[] =>
  lines.filter((line) => line.startsWith('sid='));

for (const [version, createApp] of [
  ['5', express],
  ['4', express4],
] as const satisfies readonly (readonly [string, ExpressFactory])[]) {
  describe(`Express ${version}: every response helper commits before headers go out`, {
    timeout: 60_000,
  }, () => {
    let server: TestServer;
    let dir: string;
    const store = new FlakyStore();

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tessera-express-'));
      writeFileSync(join(dir, 'page.tpl'), 'count is {{count}}');
      writeFileSync(join(dir, 'file.txt'), 'file body');
      const sessions = expressSessions<Data>({
        secrets: [newSecret()],
        store,
        cookie: { secure: false },
      });
      const app = createApp();
      // A tiny template engine: `{{name}}` from the locals.
      app.engine('tpl', (path, locals, callback) => {
        readFile(path, 'utf8', (error, text) => {
          if (error) return callback(error);
          const values = locals as Record<string, unknown>;
          callback(
            null,
            text.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(values[name])),
          );
        });
      });
      app.set('views', dir);
      app.set('view engine', 'tpl');
      app.use(sessions);
      app.use((req, _res, next) => {
        req.session.data.count = ((req.session.data.count as number | undefined) ?? 0) + 1;
        next();
      });
      app.get('/json', (req, res) => {
        res.json({ count: req.session.data.count });
      });
      app.get('/redirect', (_req, res) => {
        res.redirect(303, '/json');
      });
      app.get('/render', (req, res) => {
        res.render('page', { count: req.session.data.count });
      });
      app.get('/send-file', (_req, res) => {
        res.sendFile(join(dir, 'file.txt'));
      });
      app.get('/pipe', (_req, res) => {
        res.type('text/plain');
        Readable.from(['one ', 'two']).pipe(res);
      });
      app.get('/stream-after-commit', async (req, res) => {
        await sessions.commit(req, res);
        res.type('text/plain');
        res.write('first ');
        setTimeout(() => res.end('last'), 5);
      });
      app.get('/end', (_req, res) => {
        res.end();
      });
      app.get('/read', (req, res) => {
        req.session.data.count = (req.session.data.count as number) - 1; // undo the bump
        res.json({ count: req.session.data.count });
      });
      server = await startServer(app);
    });
    after(async () => {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const paths: readonly (readonly [string, number, RegExp])[] = [
      ['/json', 200, /^\{"count":1\}$/],
      ['/redirect', 303, /./],
      ['/render', 200, /^count is 1$/],
      ['/send-file', 200, /^file body$/],
      ['/pipe', 200, /^one two$/],
      ['/stream-after-commit', 200, /^first last$/],
      ['/end', 200, /^$/],
    ];
    for (const [path, status, body] of paths) {
      it(`${path} carries the session cookie and the change is saved`, async () => {
        const jar = new CookieJar();
        const res = await jar.send(`${server.url}${path}`);
        assert.equal(res.status, status, res.body);
        assert.match(res.body, body);
        assert.equal(sessionCookie(res.setCookie).length, 1, res.setCookie.join('\n'));
        assert.equal(res.headers['cache-control'], 'no-store');
        const read = await jar.send(`${server.url}/read`);
        assert.equal(read.body, '{"count":1}', 'the first request saved count = 1');
      });
    }
  });
}

describe('Express: errors while loading go to next(err)', { timeout: 60_000 }, () => {
  let server: TestServer;
  let handled: TestServer;
  const store = new FlakyStore();
  const seen: unknown[] = [];

  before(async () => {
    const sessions = expressSessions<Data>({
      secrets: [newSecret()],
      store,
      cookie: { secure: false },
    });
    // Express takes its environment from NODE_ENV when the app is created.
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    const bare = express();
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
    assert.equal(bare.get('env'), 'production');
    bare.use(sessions);
    bare.get('/inc', (req, res) => {
      req.session.data.n = 1;
      res.json(req.session.data);
    });
    bare.get('/stream', async (req, res, next) => {
      req.session.data.n = 2;
      try {
        await sessions.commit(req, res);
      } catch (error) {
        next(error);
        return;
      }
      res.write('streamed');
      res.end();
    });
    server = await startServer(bare);

    const app = express();
    app.use(sessions);
    app.get('/inc', (req, res) => {
      req.session.data.n = 1;
      res.json(req.session.data);
    });
    const onError: ErrorHandler = (err, _req, res, _next) => {
      seen.push(err);
      const { status, headers, code } = err as { status: number; headers: object; code: string };
      res
        .status(status)
        .set(headers)
        .json({ code, store: isSessionStoreError(err) });
    };
    app.use(onError);
    handled = await startServer(app);
  });
  after(async () => {
    await server?.close();
    await handled?.close();
  });

  it('a store outage with no error handler: 503, Retry-After, no stack trace', async () => {
    const jar = new CookieJar();
    assert.equal((await jar.send(`${server.url}/inc`)).status, 200);
    store.down = true;
    try {
      const res = await jar.send(`${server.url}/inc`);
      assert.equal(res.status, 503, res.body);
      assert.equal(res.headers['retry-after'], '5');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.body, /Service Unavailable/);
      assert.doesNotMatch(res.body, /\bat\s.+:\d+:\d+|Error:|STORE_|ECONNREFUSED/);
      assert.deepEqual(res.setCookie, []);
    } finally {
      store.down = false;
    }
  });

  it('sessions.commit() rejecting before a stream starts still becomes a 503 through next(err)', async () => {
    const jar = new CookieJar();
    assert.equal((await jar.send(`${server.url}/inc`)).status, 200);
    store.writesDown = true;
    try {
      const res = await jar.send(`${server.url}/stream`);
      assert.equal(res.status, 503, res.body);
      assert.equal(res.headers['retry-after'], '5');
      assert.doesNotMatch(res.body, /streamed|\bat\s.+:\d+:\d+|Error:/);
    } finally {
      store.writesDown = false;
    }
  });

  it("the app's error handler receives the typed error with its code and HTTP fields", async () => {
    const jar = new CookieJar();
    assert.equal((await jar.send(`${handled.url}/inc`)).status, 200);
    store.down = true;
    try {
      const res = await jar.send(`${handled.url}/inc`);
      assert.equal(res.status, 503);
      assert.equal(res.headers['retry-after'], '5');
      assert.deepEqual(JSON.parse(res.body), { code: ErrorCode.STORE_UNAVAILABLE, store: true });
      const error = seen.at(-1) as Record<string, unknown>;
      assert.equal(error.statusCode, 503);
      assert.equal(error.expose, false);
      for (const field of ['status', 'statusCode', 'expose', 'headers']) {
        assert.ok(!Object.keys(error).includes(field), `${field} is not enumerable`);
      }
    } finally {
      store.down = false;
    }
  });
});

describe('Express: per-route outage choice with sessions.with()', { timeout: 60_000 }, () => {
  let server: TestServer;
  const store = new FlakyStore();

  before(async () => {
    const sessions = expressSessions<Data>({
      secrets: [newSecret()],
      store,
      cookie: { secure: false },
    });
    const app = express();
    app.set('env', 'production');
    // Registered before the app-wide middleware, so sign-out never meets it.
    app.post('/logout', sessions.with({ onStoreError: 'guest' }), (req, res) => {
      const readOnly = req.session.isReadOnly;
      req.session.destroy();
      res.json({ readOnly });
    });
    app.use(sessions);
    app.get('/inc', (req, res) => {
      req.session.data.n = 1;
      res.json(req.session.data);
    });
    server = await startServer(app);
  });
  after(async () => server?.close());

  it('sign-out still expires the cookie while the store is down; other routes answer 503', async () => {
    const jar = new CookieJar();
    await jar.send(`${server.url}/inc`);
    store.down = true;
    try {
      assert.equal((await jar.send(`${server.url}/inc`)).status, 503);
      const res = await jar.send(`${server.url}/logout`, { method: 'POST' });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(JSON.parse(res.body), { readOnly: true });
      assert.match(sessionCookie(res.setCookie)[0] ?? '', /Max-Age=0/i);
    } finally {
      store.down = false;
    }
  });
});

describe('Express: routers, sub-paths and misuse', { timeout: 60_000 }, () => {
  let server: TestServer;
  const seen: unknown[] = [];

  before(async () => {
    const sessions = expressSessions<Data>({ secrets: [newSecret()], cookie: { secure: false } });
    const other = expressSessions<Data>({ secrets: [newSecret()], cookie: { secure: false } });
    const app = express();
    app.set('env', 'production');
    const api = express.Router();
    api.use(sessions);
    api.get('/me', (req, res) => {
      req.session.data.visits = ((req.session.data.visits as number | undefined) ?? 0) + 1;
      res.json({ visits: req.session.data.visits, url: req.url, base: req.baseUrl });
    });
    app.use('/api/v1', api);
    app.get('/public', (req, res) => {
      res.json({ hasSession: req.session !== undefined });
    });
    app.get('/twice', sessions, sessions, (_req, res) => {
      res.send('unreachable');
    });
    app.get('/two-instances', sessions, other, (_req, res) => {
      res.send('unreachable');
    });
    const record: ErrorHandler = (err, _req, _res, next) => {
      seen.push(err);
      next(err);
    };
    app.use(record);
    server = await startServer(app);
  });
  after(async () => server?.close());

  it('a router under a sub-path: cookie for the whole site, session across requests', async () => {
    const jar = new CookieJar();
    const first = await jar.send(`${server.url}/api/v1/me`);
    assert.deepEqual(JSON.parse(first.body), { visits: 1, url: '/me', base: '/api/v1' });
    assert.match(sessionCookie(first.setCookie)[0] ?? '', /Path=\/(;|$)/);
    assert.deepEqual(JSON.parse((await jar.send(`${server.url}/api/v1/me`)).body).visits, 2);
    const outside = await jar.send(`${server.url}/public`);
    assert.deepEqual(JSON.parse(outside.body), { hasSession: false }, 'not mounted there');
  });

  it('the same middleware twice on one request is a clear typed error, a bare 500', async () => {
    const res = await new CookieJar().send(`${server.url}/twice`);
    assert.equal(res.status, 500);
    assert.doesNotMatch(res.body, /unreachable|SESSION_STATE|\bat\s/);
    const error = seen.at(-1);
    assert.ok(error instanceof SessionStateError);
    assert.equal(error.code, ErrorCode.SESSION_STATE);
    assert.match(error.message, /ran twice for this request.*mount it once/);
  });

  it('two session middlewares on one request are refused the same way', async () => {
    const res = await new CookieJar().send(`${server.url}/two-instances`);
    assert.equal(res.status, 500);
    const error = seen.at(-1);
    assert.ok(error instanceof SessionStateError);
    assert.match(error.message, /already set by another session middleware/);
  });
});

describe('Express and Connect: which requests count as HTTPS', { timeout: 60_000 }, () => {
  const servers: TestServer[] = [];
  const secret = newSecret();
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' };

  async function secureCookie(
    app: (req: IncomingMessage, res: ServerResponse) => void,
  ): Promise<boolean> {
    const server = await startServer(app);
    servers.push(server);
    const res = await send(`${server.url}/`, { headers: forwarded });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.setCookie.length, 1, res.setCookie.join('\n'));
    return /;\s*Secure/i.test(res.setCookie[0]!);
  }

  function expressApp(trustProxySetting: boolean, trustProxy?: boolean): express.Express {
    const sessions = expressSessions<Data>({
      secrets: [secret],
      ...(trustProxy === undefined ? {} : { trustProxy }),
    });
    const app = express();
    app.set('trust proxy', trustProxySetting);
    app.use(sessions);
    app.get('/', (req, res) => {
      req.session.data.n = 1;
      res.send('ok');
    });
    return app;
  }

  function connectApp(trustProxy?: boolean): connect.Server {
    const sessions = expressSessions<Data>({
      secrets: [secret],
      ...(trustProxy === undefined ? {} : { trustProxy }),
    });
    const app = connect();
    app.use(sessions);
    app.use((req: IncomingMessage, res: ServerResponse) => {
      sessions.get(req)!.data.n = 1;
      res.end('ok');
    });
    return app;
  }

  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it("by default, Express's own 'trust proxy' setting decides", async () => {
    assert.equal(await secureCookie(expressApp(true)), true);
    assert.equal(await secureCookie(expressApp(false)), false);
  });

  it('trustProxy: false ignores forwarded headers whatever Express trusts; true believes them', async () => {
    assert.equal(await secureCookie(expressApp(true, false)), false);
    assert.equal(await secureCookie(expressApp(false, true)), true);
  });

  it('under Connect the socket decides unless trustProxy is true', async () => {
    assert.equal(await secureCookie(connectApp()), false);
    assert.equal(await secureCookie(connectApp(true)), true);
  });

  it('trackDevices records the address Express trusts, or the socket with trustProxy: false', async () => {
    const recorded = async (trustProxy?: boolean): Promise<string | null> => {
      const sessions = expressSessions<Data>({
        secrets: [secret],
        store: new MemoryStore(),
        trackDevices: true,
        cookie: { secure: false },
        ...(trustProxy === undefined ? {} : { trustProxy }),
      });
      const app = express();
      app.set('trust proxy', true);
      app.use(sessions);
      app.get('/', (req, res) => {
        req.session.setUser('u1');
        res.send('ok');
      });
      const server = await startServer(app);
      servers.push(server);
      await send(`${server.url}/`, { headers: { ...forwarded, 'user-agent': 'test-agent' } });
      const [info] = await sessions.engine.listSessions('u1');
      assert.equal(info?.userAgent, 'test-agent');
      return info?.address ?? null;
    };
    assert.equal(await recorded(), '203.0.113.9');
    assert.equal(await recorded(false), '127.0.0.1');
  });

  it('refuses adapter options of the wrong type at start-up', () => {
    assert.throws(
      () => expressSessions({ secrets: [secret], trustProxy: 'yes' as unknown as boolean }),
      (error) => error instanceof InvalidOptionsError && /trustProxy/.test(error.message),
    );
    assert.throws(
      () => expressSessions({ secrets: [secret], onError: 1 as unknown as () => void }),
      (error) => error instanceof InvalidOptionsError && /onError/.test(error.message),
    );
  });
});
