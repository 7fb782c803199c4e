/**
 * `tesserajs/fastify`: the shared adapter contract over real HTTP, then what is specific
 * to Fastify: every way of sending, the 404 handler, errors thrown by handlers, async and
 * callback handlers, `inject()`, the error handler's view of session failures, per-route
 * outage choices, encapsulation, hijacked replies and trustProxy.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { fastifyPlugin } from 'fastify-plugin';
import { fastifySessions, PLUGIN_NAME } from '../../src/adapters/fastify/index.js';
import { isTesseraError } from '../../src/errors.js';
import { listen, SwitchableStore } from '../support/fastify.js';
import { CookieJar, newSecret } from '../support/http.js';
import { runAdapterContract } from './contract.js';

type Data = Record<string, unknown>;

function state(request: FastifyRequest): { isNew: boolean; data: Data } {
  return { isNew: request.session.isNew, data: request.session.data as Data };
}

function bump(request: FastifyRequest): void {
  const data = request.session.data as Data;
  data.count = ((data.count as number | undefined) ?? 0) + 1;
}

describe('tesserajs/fastify', { timeout: 300_000 }, () => {
  runAdapterContract('fastify 5', async (options) => {
    const errors: unknown[] = [];
    const app = Fastify();
    await app.register(fastifySessions, { ...options, onError: (e) => errors.push(e) });
    app.get('/read', async (request) => state(request));
    app.get('/inc', async (request) => {
      bump(request);
      return state(request);
    });
    app.get<{ Querystring: { n: string } }>('/big', async (request) => {
      (request.session.data as Data).big = 'x'.repeat(Number(request.query.n));
      return state(request);
    });
    app.get('/regenerate', async (request) => {
      request.session.regenerate();
      return state(request);
    });
    app.get('/destroy', async (request) => {
      request.session.destroy();
      return state(request);
    });
    app.get('/redirect', async (request, reply) => {
      bump(request);
      return reply.redirect('/read');
    });
    app.get('/app-cookie', async (request, reply) => {
      bump(request);
      reply.header('set-cookie', 'app=1; Path=/');
      return state(request);
    });
    app.get('/send', (request, reply) => {
      bump(request);
      reply.type('text/plain').send('ok');
    });
    const url = await listen(app);
    return { url, errors, close: () => app.close() };
  });
});

/** A Fastify app with the plugin, cookie mode unless `store` is given. */
async function appWith(
  build: (app: FastifyInstance) => void | Promise<void>,
  extra: { store?: SwitchableStore; errors?: unknown[]; trustProxy?: boolean } = {},
): Promise<FastifyInstance> {
  const app = Fastify(extra.trustProxy ? { trustProxy: true } : {});
  await app.register(fastifySessions, {
    secrets: [newSecret()],
    cookie: { secure: false },
    ...(extra.store ? { store: extra.store } : {}),
    onError: (error) => extra.errors?.push(error),
  });
  await build(app);
  return app;
}

describe('tesserajs/fastify: every way of sending commits', { timeout: 60_000 }, () => {
  let app: FastifyInstance;
  let url: string;

  before(async () => {
    app = await appWith((app) => {
      app.get('/count', async (request) => ({ count: request.session.data.count ?? 0 }));
      app.get('/object', async (request) => {
        bump(request);
        return { sent: 'object' };
      });
      app.get('/string', async (request, reply) => {
        bump(request);
        return reply.type('text/plain').send('a string');
      });
      app.get('/buffer', async (request, reply) => {
        bump(request);
        return reply.type('application/octet-stream').send(Buffer.from('a buffer'));
      });
      app.get('/stream', async (request, reply) => {
        bump(request);
        return reply.type('text/plain').send(Readable.from(['a ', 'stream']));
      });
      app.get('/redirect-303', async (request, reply) => {
        bump(request);
        return reply.redirect('/count', 303);
      });
      app.get('/callback', (request, reply) => {
        setImmediate(() => {
          bump(request);
          reply.send({ sent: 'callback' });
        });
      });
      app.get('/throws', async (request) => {
        bump(request);
        const error = new Error('not allowed') as Error & { statusCode: number };
        error.statusCode = 403;
        throw error;
      });
      app.get('/raw-cookie', async (request, reply) => {
        bump(request);
        reply.raw.setHeader('set-cookie', 'raw=1; Path=/');
        return { sent: 'raw cookie' };
      });
      app.setNotFoundHandler(async (request, reply) => {
        (request.session.data as Data).missed = request.url;
        return reply.code(404).send({ missing: request.url });
      });
    });
    url = await listen(app);
  });
  after(async () => {
    await app?.close();
  });

  const cases: Array<[string, number, RegExp]> = [
    ['/object', 200, /"sent":"object"/],
    ['/string', 200, /^a string$/],
    ['/buffer', 200, /^a buffer$/],
    ['/stream', 200, /^a stream$/],
    ['/redirect-303', 303, /^$/],
    ['/callback', 200, /"sent":"callback"/],
  ];
  for (const [path, status, body] of cases) {
    it(`${path}: the session cookie rides on the response and the change persists`, async () => {
      const jar = new CookieJar();
      const res = await jar.send(`${url}${path}`);
      assert.equal(res.status, status, res.body);
      assert.match(res.body, body);
      assert.equal(res.setCookie.length, 1, res.setCookie.join('\n'));
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal((await jar.send(`${url}/count`)).body, '{"count":1}');
    });
  }

  it('the 404 handler has the session and commits it', async () => {
    const jar = new CookieJar();
    const res = await jar.send(`${url}/nowhere`);
    assert.equal(res.status, 404);
    assert.equal(res.setCookie.length, 1);
    const again = await jar.send(`${url}/nowhere-else`);
    assert.equal(again.setCookie.length, 1, 'the change (missed) is saved again');
  });

  it("an error thrown by a handler is Fastify's answer, and the session changes are saved", async () => {
    const jar = new CookieJar();
    const res = await jar.send(`${url}/throws`);
    assert.equal(res.status, 403);
    assert.match(res.body, /not allowed/, "Fastify's own error body for application errors");
    assert.equal(res.setCookie.length, 1, 'committed like any response');
    assert.equal((await jar.send(`${url}/count`)).body, '{"count":1}');
  });

  it("a cookie the app set on reply.raw is kept beside the session's", async () => {
    const res = await new CookieJar().send(`${url}/raw-cookie`);
    assert.equal(res.setCookie.length, 2, res.setCookie.join('\n'));
    assert.ok(res.setCookie.some((line) => line.startsWith('raw=1')));
  });

  it('inject() goes through the same hooks', async () => {
    const first = await app.inject({ url: '/object' });
    assert.equal(first.statusCode, 200);
    const cookie = first.cookies[0];
    assert.ok(cookie !== undefined, 'a session cookie');
    const read = await app.inject({
      url: '/count',
      headers: { cookie: `${cookie.name}=${cookie.value}` },
    });
    assert.equal(read.body, '{"count":1}');
    assert.equal(read.headers['set-cookie'], undefined, 'a READ sends no cookie');
  });
});

describe('tesserajs/fastify: session failures and the error handler', { timeout: 60_000 }, () => {
  it('the default error handler answers a bare 503 with Retry-After, no code, no message', async () => {
    const store = new SwitchableStore();
    const errors: unknown[] = [];
    const app = await appWith(
      (app) => {
        app.get('/inc', async (request, reply) => {
          bump(request);
          reply.header('set-cookie', 'app=1; Path=/');
          return { ok: true };
        });
      },
      { store, errors },
    );
    try {
      store.down = true;
      const res = await app.inject({ url: '/inc' });
      assert.equal(res.statusCode, 503);
      assert.equal(res.headers['retry-after'], '5');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      assert.equal(res.body, 'Service Unavailable');
      assert.equal(res.headers['set-cookie'], undefined, "no cookie, not even the app's");
      assert.equal(errors.length, 1);
      assert.equal((errors[0] as { code?: string }).code, 'STORE_UNAVAILABLE');
    } finally {
      await app.close();
    }
  });

  it('a session too large for its cookie is a bare 500 through the default handler', async () => {
    const errors: unknown[] = [];
    const app = await appWith(
      (app) => {
        app.get('/big', async (request) => {
          (request.session.data as Data).big = 'x'.repeat(12_000);
          return { ok: true };
        });
      },
      { errors },
    );
    try {
      const res = await app.inject({ url: '/big' });
      assert.equal(res.statusCode, 500);
      assert.equal(res.body, 'Internal Server Error');
      assert.equal(res.headers['set-cookie'], undefined);
      assert.deepEqual(
        errors.map((e) => (e as { code?: string }).code),
        ['SESSION_TOO_LARGE'],
        'reported once, and not again as an unsaved session',
      );
    } finally {
      await app.close();
    }
  });

  it('a custom setErrorHandler receives the typed error with its code, for load and commit', async () => {
    const store = new SwitchableStore();
    const seen: Array<{ code: unknown; tessera: boolean; status: number }> = [];
    const app = await appWith(
      (app) => {
        app.setErrorHandler((error, _request, reply) => {
          seen.push({
            code: (error as { code?: unknown }).code,
            tessera: isTesseraError(error),
            status: reply.statusCode,
          });
          return reply.send({ custom: true });
        });
        app.get('/inc', async (request) => {
          bump(request);
          return { ok: true };
        });
      },
      { store },
    );
    try {
      const first = await app.inject({ url: '/inc' });
      const cookie = first.cookies[0]!;
      store.down = true;
      const commit = await app.inject({ url: '/inc' });
      const load = await app.inject({
        url: '/inc',
        headers: { cookie: `${cookie.name}=${cookie.value}` },
      });
      assert.deepEqual(seen, [
        { code: 'STORE_UNAVAILABLE', tessera: true, status: 503 },
        { code: 'STORE_UNAVAILABLE', tessera: true, status: 503 },
      ]);
      for (const res of [commit, load]) {
        assert.equal(res.statusCode, 503);
        assert.equal(res.body, '{"custom":true}', "the handler's own answer is left alone");
        assert.equal(res.headers['retry-after'], '5');
      }
    } finally {
      await app.close();
    }
  });

  it("a route with config.session.onStoreError 'guest' serves a read-only guest", async () => {
    const store = new SwitchableStore();
    const app = await appWith(
      (app) => {
        app.get('/inc', async (request) => {
          bump(request);
          return { ok: true };
        });
        app.get('/public', { config: { session: { onStoreError: 'guest' } } }, async (request) => ({
          readOnly: request.session.isReadOnly,
          isNew: request.session.isNew,
        }));
      },
      { store },
    );
    try {
      const first = await app.inject({ url: '/inc' });
      const cookie = `${first.cookies[0]!.name}=${first.cookies[0]!.value}`;
      store.down = true;
      const open = await app.inject({ url: '/public', headers: { cookie } });
      assert.equal(open.statusCode, 200);
      assert.equal(open.body, '{"readOnly":true,"isNew":true}');
      const strict = await app.inject({ url: '/inc', headers: { cookie } });
      assert.equal(strict.statusCode, 503);
    } finally {
      await app.close();
    }
  });
});

describe('tesserajs/fastify: encapsulation', { timeout: 60_000 }, () => {
  it('registered in an encapsulated scope: sessions there and in its children, not outside', async () => {
    const app = Fastify();
    app.get('/outside', async (request) => ({ session: request.session !== undefined }));
    await app.register(async (scope) => {
      await scope.register(fastifySessions, { secrets: [newSecret()], cookie: { secure: false } });
      scope.get('/inside', async (request) => {
        bump(request);
        return { decorated: scope.hasDecorator('sessions') };
      });
      await scope.register(async (child) => {
        child.get('/child', async (request) => ({ count: request.session.data.count ?? 0 }));
      });
    });
    try {
      assert.equal(app.hasDecorator('sessions'), false, 'the root scope is not decorated');
      assert.equal((await app.inject({ url: '/outside' })).body, '{"session":false}');
      const inside = await app.inject({ url: '/inside' });
      assert.equal(inside.body, '{"decorated":true}');
      const cookie = `${inside.cookies[0]!.name}=${inside.cookies[0]!.value}`;
      const child = await app.inject({ url: '/child', headers: { cookie } });
      assert.equal(
        child.body,
        '{"count":1}',
        "a child scope shares the registering scope's sessions",
      );
      const outside = await app.inject({ url: '/outside', headers: { cookie } });
      assert.equal(outside.headers['set-cookie'], undefined);
    } finally {
      await app.close();
    }
  });

  it('registered with fastify-plugin semantics: the scope that registers it gets the decorations', async () => {
    const app = Fastify();
    await app.register(fastifySessions, { secrets: [newSecret()] });
    try {
      assert.equal(app.hasDecorator('sessions'), true);
      assert.equal(app.hasRequestDecorator('session'), true);
      assert.equal(typeof app.sessions.engine.load, 'function');
      assert.equal(app.sessions.engine.mode, 'cookie');
    } finally {
      await app.close();
    }
  });

  for (const where of ['the same scope', 'a child scope'] as const) {
    it(`registering twice (${where}) is a clear typed error`, async () => {
      const app = Fastify();
      const options = { secrets: [newSecret()] };
      await app.register(fastifySessions, options);
      const again = async (): Promise<unknown> =>
        where === 'the same scope'
          ? app.register(fastifySessions, options)
          : app.register(async (child) => {
              await child.register(fastifySessions, options);
            });
      try {
        await assert.rejects(again(), (error: unknown) => {
          assert.ok(isTesseraError(error), String(error));
          assert.equal(error.code, 'INVALID_OPTIONS');
          assert.match(error.message, /already registered/);
          return true;
        });
      } finally {
        await app.close().catch(() => {});
      }
    });
  }

  it('invalid options reject register() with the typed error, never an uncaught throw', async () => {
    const app = Fastify();
    await assert.rejects(
      async () => app.register(fastifySessions, { secrets: ['keyboard cat'] }),
      (error: unknown) => isTesseraError(error) && error.code === 'WEAK_SECRET',
    );
    await app.close().catch(() => {});
  });

  it('hooks run in registration order: a guard after the plugin sees the session, one before sees null', async () => {
    const app = Fastify();
    const seen: string[] = [];
    app.addHook('onRequest', async (request) => {
      seen.push(`before: ${request.session === null ? 'null' : 'session'}`);
    });
    await app.register(fastifySessions, { secrets: [newSecret()] });
    app.addHook('onRequest', async (request) => {
      seen.push(`after: ${request.session === null ? 'null' : 'session'}`);
    });
    app.addHook('preHandler', async (request) => {
      seen.push(`preHandler: ${request.session.isNew ? 'guest' : 'known'}`);
    });
    app.get('/', async () => 'ok');
    try {
      assert.equal((await app.inject({ url: '/' })).statusCode, 200);
      assert.deepEqual(seen, ['before: null', 'after: session', 'preHandler: guest']);
    } finally {
      await app.close();
    }
  });

  it('a plugin can declare it needs sessions with dependencies: [PLUGIN_NAME]', async () => {
    const needsSessions = fastifyPlugin(
      async (scope: FastifyInstance) => {
        scope.get('/', async (request) => ({ isNew: request.session.isNew }));
      },
      { name: 'needs-sessions', dependencies: [PLUGIN_NAME] },
    );
    const without = Fastify();
    await assert.rejects(async () => without.register(needsSessions), /tesserajs/);
    await without.close().catch(() => {});
    const app = Fastify();
    await app.register(fastifySessions, { secrets: [newSecret()] });
    await app.register(needsSessions);
    try {
      assert.equal((await app.inject({ url: '/' })).body, '{"isNew":true}');
    } finally {
      await app.close();
    }
  });

  it('two sibling scopes may hold two independent session setups', async () => {
    const app = Fastify();
    for (const prefix of ['/a', '/b']) {
      await app.register(
        async (scope) => {
          await scope.register(fastifySessions, {
            secrets: [newSecret()],
            cookie: { secure: false, name: `sid${prefix.slice(1)}` },
          });
          scope.get('/inc', async (request) => {
            bump(request);
            return { count: request.session.data.count };
          });
        },
        { prefix },
      );
    }
    try {
      const a = await app.inject({ url: '/a/inc' });
      const b = await app.inject({ url: '/b/inc' });
      assert.equal(a.cookies[0]?.name, 'sida');
      assert.equal(b.cookies[0]?.name, 'sidb');
      const cookie = `${a.cookies[0]!.name}=${a.cookies[0]!.value}`;
      assert.equal((await app.inject({ url: '/a/inc', headers: { cookie } })).body, '{"count":2}');
      assert.equal((await app.inject({ url: '/b/inc', headers: { cookie } })).body, '{"count":1}');
    } finally {
      await app.close();
    }
  });

  it('refuses to share request.session with another session plugin', async () => {
    const app = Fastify();
    app.decorateRequest('session', null as never); // as another session plugin would
    await assert.rejects(
      async () => app.register(fastifySessions, { secrets: [newSecret()] }),
      /another plugin/,
    );
    await app.close().catch(() => {});
  });
});

describe('tesserajs/fastify: hijacked replies and raw streaming', { timeout: 60_000 }, () => {
  let app: FastifyInstance;
  let url: string;
  const errors: unknown[] = [];
  const store = new SwitchableStore();

  const streamRaw = (reply: FastifyReply): void => {
    reply.raw.writeHead(200, { 'content-type': 'text/plain' });
    reply.raw.write('chunk 1, ');
    reply.raw.end('chunk 2');
  };

  before(async () => {
    app = await appWith(
      (app) => {
        app.get('/count', async (request) => ({ count: request.session.data.count ?? 0 }));
        app.get('/data', async (request) => request.session.data);
        app.get('/hijack-without-commit', async (request, reply) => {
          bump(request);
          reply.hijack();
          streamRaw(reply);
        });
        app.get('/hijack-with-commit', async (request, reply) => {
          bump(request);
          await request.server.sessions.commit(request, reply.hijack());
          streamRaw(reply);
        });
        app.get('/commit-then-stream', async (request, reply) => {
          bump(request);
          await app.sessions.commit(request, reply);
          (request.session.data as Data).late = true; // after the commit: refused
          return reply.type('text/plain').send(Readable.from(['streamed']));
        });
        app.get('/stream-store-down', async (request, reply) => {
          bump(request);
          const stream = Readable.from(['never sent']);
          stream.on('close', () => errors.push('stream closed'));
          return reply.type('text/plain').send(stream);
        });
      },
      { errors, store },
    );
    url = await listen(app);
  });
  after(async () => {
    await app?.close();
  });

  it('a hijacked reply without commit sends no cookie, saves nothing and reports it', async () => {
    errors.length = 0;
    const jar = new CookieJar();
    const res = await jar.send(`${url}/hijack-without-commit`);
    assert.equal(res.body, 'chunk 1, chunk 2');
    assert.deepEqual(res.setCookie, []);
    assert.equal((await jar.send(`${url}/count`)).body, '{"count":0}');
    assert.equal((errors[0] as { code?: string } | undefined)?.code, 'SESSION_STATE');
  });

  it('commit(request, reply) before writing: the cookie is on reply.raw and the change persists', async () => {
    errors.length = 0;
    const jar = new CookieJar();
    const res = await jar.send(`${url}/hijack-with-commit`);
    assert.equal(res.body, 'chunk 1, chunk 2');
    assert.equal(res.setCookie.length, 1);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal((await jar.send(`${url}/count`)).body, '{"count":1}');
    assert.deepEqual(errors, []);
  });

  it('commit before reply.send(stream): the cookie goes with the stream, later changes are not saved', async () => {
    const jar = new CookieJar();
    const res = await jar.send(`${url}/commit-then-stream`);
    assert.equal(res.status, 200);
    assert.equal(res.body, 'streamed');
    assert.equal(res.setCookie.length, 1);
    assert.equal((await jar.send(`${url}/data`)).body, '{"count":1}', 'no `late` key');
  });

  it('a failed commit of a streamed reply is a 503 and the stream is released', async () => {
    errors.length = 0;
    store.down = true;
    try {
      const res = await new CookieJar().send(`${url}/stream-store-down`);
      assert.equal(res.status, 503);
      assert.equal(res.body, 'Service Unavailable');
    } finally {
      store.down = false;
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(errors.includes('stream closed'), String(errors));
  });
});

/** A store whose writes land a few milliseconds later, like a network store's. */
class SlowWritesStore extends SwitchableStore {
  override async set(...args: Parameters<SwitchableStore['set']>): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return super.set(...args);
  }
}

describe('tesserajs/fastify: a second send while store writes are in flight', {
  timeout: 60_000,
}, () => {
  it('an async handler that sends without `return reply`: one response, with its cookie', async () => {
    const errors: unknown[] = [];
    const app = await appWith(
      (app) => {
        // Fastify sends the handler's `undefined` result too while the first send waits
        // in onSend (NestJS's route handlers always resolve this way).
        app.get('/sign-in', async (request, reply) => {
          request.session.setUser('user-1');
          reply.redirect('/me', 303);
        });
        app.get('/me', async (request) => ({ userId: request.session.userId }));
      },
      { store: new SlowWritesStore(), errors },
    );
    const url = await listen(app);
    try {
      const jar = new CookieJar();
      const res = await jar.send(`${url}/sign-in`);
      assert.equal(res.status, 303);
      assert.equal(res.setCookie.length, 1, 'the session cookie rides on the redirect');
      assert.equal((await jar.send(`${url}/me`)).body, '{"userId":"user-1"}');
      assert.deepEqual(errors, []);
    } finally {
      await app.close();
    }
  });
});

describe('tesserajs/fastify: secure detection follows trustProxy', { timeout: 60_000 }, () => {
  for (const trustProxy of [false, true]) {
    it(`X-Forwarded-Proto: https ${trustProxy ? 'counts' : 'is ignored'} with trustProxy: ${trustProxy}`, async () => {
      const app = Fastify({ trustProxy });
      await app.register(fastifySessions, { secrets: [newSecret()], cookie: { secure: 'auto' } });
      app.get('/inc', async (request) => {
        bump(request);
        return { protocol: request.protocol };
      });
      try {
        const res = await app.inject({ url: '/inc', headers: { 'x-forwarded-proto': 'https' } });
        const line = String(res.headers['set-cookie']);
        if (trustProxy) assert.match(line, /;\s*Secure/i);
        else assert.doesNotMatch(line, /;\s*Secure/i);
      } finally {
        await app.close();
      }
    });
  }
});
