/**
 * `tesserajs/nest`, what is Nest's own, on both platforms over real HTTP: Nest's
 * `@Session()` and the typed decorators give the same Tessera session, `SignedInGuard`
 * refuses guests (401) and lets signed-in users through with `@CurrentUserId()`,
 * `forRootAsync()` takes its options from an injected configuration provider, the engine
 * is injectable as `TESSERA_SESSIONS`, a store outage is a bare 503 with `Retry-After`
 * through the module's filter (then recovery), the application's own exceptions keep
 * Nest's handling, and a redirect keeps its `Set-Cookie`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Controller,
  Get,
  type INestApplication,
  Inject,
  Injectable,
  Module,
  Session as NestSession,
  NotFoundException,
  Post,
  Redirect,
  UseGuards,
} from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  CurrentSession,
  CurrentUserId,
  Sess,
  SessionModule,
  SignedInGuard,
  TESSERA_SESSIONS,
} from '../../src/adapters/nest/index.js';
import { type Session, SessionEngine } from '../../src/index.js';
import { SwitchableStore } from '../support/fastify.js';
import { CookieJar, newSecret, send } from '../support/http.js';
import { PLATFORMS, startNest } from './nest-apps.js';

type Data = Record<string, unknown>;

/** A configuration service as `@nestjs/config` provides one: values by key. */
@Injectable()
class Settings {
  readonly #values: Record<string, string>;
  constructor() {
    this.#values = { SESSION_SECRET: newSecret() };
  }
  get(key: string): string {
    const value = this.#values[key];
    if (value === undefined) throw new Error(`no setting ${key}`);
    return value;
  }
}

@Module({ providers: [Settings], exports: [Settings] })
class SettingsModule {}

/** A service of the application using the engine (user-level operations live there). */
@Injectable()
class Accounts {
  readonly #sessions: SessionEngine<Data>;
  constructor(@Inject(TESSERA_SESSIONS) sessions: SessionEngine<Data>) {
    this.#sessions = sessions;
  }
  mode(): string {
    return this.#sessions.mode;
  }
}

@Controller()
class FeatureController {
  readonly #accounts: Accounts;
  constructor(@Inject(Accounts) accounts: Accounts) {
    this.#accounts = accounts;
  }

  @Get('same')
  same(
    @NestSession() nest: Session<Data>,
    @CurrentSession() current: Session<Data>,
    @Sess() short: Session<Data>,
  ) {
    return { same: nest === current && current === short, mode: this.#accounts.mode() };
  }

  @Get('count')
  count(@CurrentSession() session: Session<Data>) {
    session.data.count = ((session.data.count as number | undefined) ?? 0) + 1;
    return { count: session.data.count };
  }

  @Post('sign-in')
  @Redirect('/account', 303)
  signIn(@CurrentSession() session: Session<Data>) {
    session.setUser('user-1');
  }

  @Post('sign-out')
  signOut(@CurrentSession() session: Session<Data>) {
    session.destroy();
    return { signedOut: true };
  }

  @Get('account')
  @UseGuards(SignedInGuard)
  account(@CurrentUserId() userId: string, @CurrentSession() session: Session<Data>) {
    return { userId, sessionUser: session.userId };
  }

  @Get('who')
  who(@CurrentUserId() userId: string | null) {
    return { userId };
  }

  @Get('missing')
  missing() {
    throw new NotFoundException('no such thing');
  }
}

function bodyOf(text: string): Data {
  return JSON.parse(text) as Data;
}

for (const platform of PLATFORMS) {
  describe(`tesserajs/nest on ${platform}: forRootAsync, decorators, guard, outage`, {
    timeout: 60_000,
  }, () => {
    const store = new SwitchableStore();
    const errors: unknown[] = [];
    let app: INestApplication;
    let url: string;

    before(async () => {
      @Module({
        imports: [
          SessionModule.forRootAsync({
            imports: [SettingsModule],
            inject: [Settings],
            useFactory: (settings: Settings) => ({
              secrets: [settings.get('SESSION_SECRET')],
              cookie: { secure: false },
              store,
              onError: (error) => errors.push(error),
            }),
          }),
        ],
        controllers: [FeatureController],
        providers: [Accounts],
      })
      class AppModule {}
      ({ app, url } = await startNest(platform, AppModule));
    });
    after(async () => {
      await app?.close();
    });

    it("Nest's @Session(), @CurrentSession() and @Sess() give the same Tessera session", async () => {
      const res = await send(`${url}/same`);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(bodyOf(res.body), { same: true, mode: 'store' });
    });

    it('forRootAsync: the factory got the configuration provider; sessions persist', async () => {
      const jar = new CookieJar();
      assert.deepEqual(bodyOf((await jar.send(`${url}/count`)).body), { count: 1 });
      assert.deepEqual(bodyOf((await jar.send(`${url}/count`)).body), { count: 2 });
    });

    it('SignedInGuard refuses a guest with 401 and no session cookie', async () => {
      const res = await send(`${url}/account`);
      assert.equal(res.status, 401, res.body);
      assert.equal(bodyOf(res.body).statusCode, 401);
      assert.deepEqual(res.setCookie, []);
      assert.deepEqual(bodyOf((await send(`${url}/who`)).body), { userId: null });
    });

    it('sign-in: the redirect keeps its Set-Cookie, then the guard lets the user through', async () => {
      const jar = new CookieJar();
      await jar.send(`${url}/count`);
      const before = jar.header();
      const res = await jar.send(`${url}/sign-in`, { method: 'POST' });
      assert.equal(res.status, 303, res.body);
      assert.match(String(res.headers.location), /\/account$/);
      assert.equal(res.setCookie.length, 1, 'a new session id rides on the redirect');
      assert.notEqual(jar.header(), before, 'setUser regenerated the session');
      const account = await jar.send(`${url}/account`);
      assert.equal(account.status, 200, account.body);
      assert.deepEqual(bodyOf(account.body), { userId: 'user-1', sessionUser: 'user-1' });
      assert.equal(
        (await send(`${url}/account`, { cookie: before! })).status,
        401,
        'the pre-sign-in cookie is not signed in',
      );
      await jar.send(`${url}/sign-out`, { method: 'POST' });
      assert.equal((await jar.send(`${url}/account`)).status, 401, 'signed out');
    });

    it("the application's own exceptions keep Nest's handling", async () => {
      const res = await send(`${url}/missing`);
      assert.equal(res.status, 404);
      assert.equal(bodyOf(res.body).message, 'no such thing');
      assert.equal((await send(`${url}/no-such-route`)).status, 404);
    });

    it('a store outage is a bare 503 with Retry-After, reported once; then it recovers', async () => {
      const jar = new CookieJar();
      assert.equal((await jar.send(`${url}/count`)).status, 200);
      const reported = errors.length;
      store.down = true;
      try {
        const down = await jar.send(`${url}/count`);
        assert.equal(down.status, 503, down.body);
        assert.equal(down.headers['retry-after'], '5');
        assert.equal(down.headers['cache-control'], 'no-store');
        assert.doesNotMatch(down.body, /STORE_|Error|statusCode/);
        assert.deepEqual(down.setCookie, []);
        assert.equal(errors.length, reported + 1, 'reported once');
      } finally {
        store.down = false;
      }
      assert.deepEqual(bodyOf((await jar.send(`${url}/count`)).body), { count: 2 });
    });
  });

  describe(`tesserajs/nest on ${platform}: forRoot({ engine })`, { timeout: 60_000 }, () => {
    const engine = new SessionEngine<Data>({ secrets: [newSecret()], cookie: { secure: false } });
    let app: INestApplication;
    let url: string;

    before(async () => {
      @Module({
        imports: [SessionModule.forRoot({ engine: engine as SessionEngine })],
        controllers: [FeatureController],
        providers: [Accounts],
      })
      class AppModule {}
      ({ app, url } = await startNest(platform, AppModule));
    });
    after(async () => {
      await app?.close();
    });

    it("serves requests with the application's engine and provides it", async () => {
      const jar = new CookieJar();
      const res = await jar.send(`${url}/count`);
      assert.equal(res.status, 200);
      assert.deepEqual(bodyOf((await jar.send(`${url}/same`)).body), {
        same: true,
        mode: 'cookie',
      });
      // The cookie opens with the engine the application holds.
      const session = await engine.load({ cookieHeader: jar.header(), secure: false });
      assert.equal(session.data.count, 1);
    });
  });
}

@Controller()
class GuestController {
  @Get('public')
  @RouteConfig({ session: { onStoreError: 'guest' } })
  public(@CurrentSession() session: Session<Data>) {
    return { isNew: session.isNew };
  }
}

describe("tesserajs/nest on fastify: a route's config.session through @RouteConfig", {
  timeout: 60_000,
}, () => {
  const store = new SwitchableStore();
  let app: INestApplication;
  let url: string;

  before(async () => {
    @Module({
      imports: [
        SessionModule.forRoot({
          secrets: [newSecret()],
          cookie: { secure: false },
          store,
          onError: () => {},
        }),
      ],
      controllers: [GuestController, FeatureController],
      providers: [Accounts],
    })
    class AppModule {}
    ({ app, url } = await startNest('fastify', AppModule));
  });
  after(async () => {
    await app?.close();
  });

  it("onStoreError: 'guest' serves a guest while the store is down; other routes 503", async () => {
    const jar = new CookieJar();
    await jar.send(`${url}/count`);
    store.down = true;
    try {
      const res = await jar.send(`${url}/public`);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(bodyOf(res.body), { isNew: true });
      assert.equal((await jar.send(`${url}/count`)).status, 503);
    } finally {
      store.down = false;
    }
  });
});

describe('tesserajs/nest: misconfiguration fails app start-up clearly', { timeout: 60_000 }, () => {
  it('refuses options of the wrong type', async () => {
    @Module({
      imports: [
        SessionModule.forRoot({ secrets: [newSecret()], trustProxy: 'yes' as unknown as boolean }),
      ],
    })
    class AppModule {}
    await assert.rejects(startNest('express', AppModule), /trustProxy must be/);
  });
});
