/**
 * `tesserajs/express-session` against the original, option by option (the option list of
 * express-session's README): the same app on both, the same scripted client, and the
 * statuses, bodies and Set-Cookie lines must be the same.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  DROP_IN,
  type Factory,
  listen,
  makeApp,
  ORIGINAL,
  play,
  type Running,
} from './express-session/harness.js';

const SECRET = 'keyboard cat, but 32 characters!';
const BASE = { secret: SECRET, resave: false, saveUninitialized: false };

/** The lifecycle script every option set runs. */
const LIFECYCLE = [
  '/',
  '/inc',
  '/inc',
  '/',
  '/touch',
  '/save',
  '/reload',
  '/user',
  '/promote',
  '/',
  '/regenerate',
  '/',
  '/stream',
  '/',
  '/write-head',
  '/write-head',
  '/destroy',
  '/',
  '/inc',
  '/unset',
  '/',
] as const;

type Script = readonly (string | readonly [string, Record<string, string>])[];

const servers: Running[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function sideBySide(
  options: Record<string, unknown> | ((factory: Factory) => Record<string, unknown>),
  script: Script = LIFECYCLE,
  trustProxy = false,
): Promise<Awaited<ReturnType<typeof play>>> {
  // Each side gets its own store instance of its own kind, made fresh per option set.
  const make = (factory: Factory) =>
    listen(
      makeApp(factory, typeof options === 'function' ? options(factory) : options, trustProxy),
    );
  const [a, b] = await Promise.all([make(ORIGINAL), make(DROP_IN)]);
  servers.push(a, b);
  const [expected, actual] = await Promise.all([play(a.url, script), play(b.url, script)]);
  assert.deepStrictEqual(actual, expected);
  return actual;
}

describe('tesserajs/express-session side by side with express-session', {
  timeout: 120_000,
}, () => {
  it('resave: false, saveUninitialized: false (the recommended options)', async () => {
    const run = await sideBySide(BASE);
    assert.equal(run[0]!.setCookie.length, 0, 'an untouched guest gets no cookie');
    assert.equal(run[1]!.setCookie.length, 1);
  });

  it('a new session started by a response using writeHead(status, headers)', async () => {
    const run = await sideBySide(BASE, ['/write-head', '/write-head', '/']);
    assert.equal(run[0]!.setCookie.length, 2, "the app's cookie and the session's");
    assert.equal((run[2]!.body as { views: number }).views, 2);
  });

  it('express-session defaults: resave and saveUninitialized true', async () => {
    const run = await sideBySide({ secret: SECRET });
    assert.equal(run[0]!.setCookie.length, 1, 'a new session is saved and sent');
  });

  it('resave: true, saveUninitialized: false and resave: false, saveUninitialized: true', async () => {
    await sideBySide({ secret: SECRET, resave: true, saveUninitialized: false });
    await sideBySide({ secret: SECRET, resave: false, saveUninitialized: true });
  });

  it('cookie.maxAge, a per-session maxAge and touch', async () => {
    const run = await sideBySide({ ...BASE, cookie: { maxAge: 60_000 } }, [
      '/',
      '/inc',
      '/inc',
      '/',
      '/max-age/120000',
      '/',
      '/touch',
      '/max-age/-1000',
      '/',
      '/reload',
    ]);
    assert.match(run[1]!.setCookie[0]!, /Expires=<date>; HttpOnly$/);
  });

  it('cookie.expires', async () => {
    await sideBySide({ ...BASE, cookie: { expires: new Date(Date.UTC(2099, 0, 1)) } }, [
      '/inc',
      '/inc',
      '/',
    ]);
  });

  it('rolling: true re-sends the cookie on every response', async () => {
    const run = await sideBySide({ ...BASE, rolling: true, cookie: { maxAge: 60_000 } }, [
      '/',
      '/inc',
      '/',
      '/',
    ]);
    assert.equal(run[3]!.setCookie.length, 1);
  });

  it('cookie.httpOnly, domain, sameSite, priority, partitioned', async () => {
    for (const cookie of [
      { httpOnly: false },
      { domain: 'example.test' },
      { sameSite: 'strict' },
      { sameSite: 'lax' },
      { sameSite: true },
      { sameSite: 'none', secure: false },
      { priority: 'high' },
      { priority: 'low' },
      { partitioned: true },
    ]) {
      await sideBySide({ ...BASE, cookie }, ['/inc', '/inc', '/']);
    }
  });

  it('cookie.path: no session outside it', async () => {
    const run = await sideBySide({ ...BASE, cookie: { path: '/private' } }, [
      '/inc',
      '/private/inc',
      '/private/inc',
      '/',
    ]);
    assert.equal(run[0]!.setCookie.length, 0);
    assert.equal((run[0]!.body as { hasSession: boolean }).hasSession, false);
  });

  it('cookie.secure: true sends no cookie over plain HTTP; proxy: true trusts X-Forwarded-Proto', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    await sideBySide({ ...BASE, cookie: { secure: true } }, ['/inc', '/inc']);
    await sideBySide({ ...BASE, proxy: true, cookie: { secure: true } }, [
      ['/inc', https],
      ['/inc', https],
      '/inc',
    ]);
    await sideBySide({ ...BASE, proxy: false, cookie: { secure: true } }, [['/inc', https]]);
  });

  it("cookie.secure: 'auto' follows the request; proxy unset follows Express's trust proxy", async () => {
    const https = { 'x-forwarded-proto': 'https' };
    await sideBySide({ ...BASE, proxy: true, cookie: { secure: 'auto' } }, [
      '/inc',
      ['/inc', https],
    ]);
    await sideBySide(
      { ...BASE, cookie: { secure: 'auto', sameSite: 'auto' } },
      [['/inc', https], '/inc'],
      true,
    );
    await sideBySide({ ...BASE, cookie: { secure: 'auto' } }, [['/inc', https]], false);
  });

  it('name (and the legacy key)', async () => {
    await sideBySide({ ...BASE, name: 'app.sid' }, ['/inc', '/inc']);
    await sideBySide({ ...BASE, key: 'legacy.sid' }, ['/inc', '/inc']);
  });

  it('genid', async () => {
    // One counter per side, so both apps issue the same ids.
    const counters = new Map<unknown, number>();
    const run = await sideBySide(
      (factory) => ({
        ...BASE,
        genid: () => {
          const next = (counters.get(factory) ?? 0) + 1;
          counters.set(factory, next);
          return `custom-${next}`;
        },
      }),
      ['/inc', '/regenerate', '/'],
    );
    assert.equal(counters.get(DROP_IN), 2);
    assert.equal(counters.get(ORIGINAL), 2);
    assert.equal(run.length, 3);
  });

  it("unset: 'destroy' deletes the stored session, 'keep' keeps it", async () => {
    const script = ['/inc', '/inc', '/unset', '/'];
    const destroyed = await sideBySide({ ...BASE, unset: 'destroy' }, script);
    assert.equal((destroyed[3]!.body as { views: unknown }).views, null);
    const kept = await sideBySide({ ...BASE, unset: 'keep' }, script);
    assert.equal((kept[3]!.body as { views: unknown }).views, 2);
  });

  it('secret: a list signs with the first', async () => {
    await sideBySide({ ...BASE, secret: [SECRET, 'an older secret of 32 characters'] }, [
      '/inc',
      '/inc',
    ]);
  });
});

describe('without Express', { timeout: 60_000 }, () => {
  it('runs as connect middleware and on plain node:http', async () => {
    const { createServer } = await import('node:http');
    const connect = (await import('connect')).default;
    const { default: session } = await import('../../src/adapters/express-session/index.js');
    const handler = (
      req: import('node:http').IncomingMessage,
      res: import('node:http').ServerResponse,
    ) => {
      const s = (req as unknown as { session: { views?: number } }).session;
      s.views = (s.views ?? 0) + 1;
      res.end(String(s.views));
    };
    const viaConnect = connect().use(session(BASE)).use(handler);
    const middleware = session(BASE);
    const plain = createServer((req, res) => {
      middleware(req, res, (error) => {
        if (error) {
          res.statusCode = 500;
          res.end();
        } else handler(req, res);
      });
    });
    for (const server of [createServer(viaConnect), plain]) {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
      const first = await fetch(url);
      const cookie = first.headers.getSetCookie()[0]!.split(';')[0]!;
      assert.equal(await first.text(), '1');
      assert.equal(await (await fetch(url, { headers: { cookie } })).text(), '2');
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
