/**
 * Authentication in a Nest app, on both platforms over real HTTP: `provideAuth` makes
 * `createAuth()` injectable, controllers sign up, sign in and out with the flows,
 * `UserGuard` refuses strangers (303 to sign in for a page, 401 for an API call) and
 * lets users through with `@CurrentUser()`, and the authentication errors reach the
 * client with their statuses (401, 409, 400) instead of Nest's 500.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  type INestApplication,
  Inject,
  Module,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  type Auth,
  type AuthUser,
  CurrentSession,
  CurrentUser,
  provideAuth,
  SessionModule,
  TESSERA_AUTH,
  UserGuard,
} from '../../src/adapters/nest/index.js';
import { createPasswordHasher } from '../../src/auth/password/create.js';
import { memoryUsers } from '../../src/auth/users/memory.js';
import type { Session } from '../../src/index.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { CookieJar, newSecret } from '../support/http.js';
import { PLATFORMS, startNest } from './nest-apps.js';

const PASSWORD = 'correct horse battery staple';
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

@Controller()
class AccountController {
  readonly #auth: Auth;
  constructor(@Inject(TESSERA_AUTH) auth: Auth) {
    this.#auth = auth;
  }

  @Post('sign-up')
  async signUp(@CurrentSession() session: Session, @Body() body: Record<string, unknown>) {
    const user = await this.#auth.signUp(session, { email: body.email, password: body.password });
    return { id: user.id };
  }

  @Post('sign-in')
  @HttpCode(200)
  async signIn(@CurrentSession() session: Session, @Body() body: Record<string, unknown>) {
    const user = await this.#auth.signIn(session, { email: body.email, password: body.password });
    return { id: user.id };
  }

  @Post('sign-out')
  @HttpCode(200)
  signOut(@CurrentSession() session: Session) {
    this.#auth.signOut(session);
    return { ok: true };
  }

  @Get('account')
  @UseGuards(UserGuard)
  account(@CurrentUser() user: AuthUser) {
    return { email: user.email, secret: 'only for users' };
  }
}

for (const platform of PLATFORMS) {
  for (const mode of ['cookie', 'store'] as const) {
    describe(`tesserajs/nest authentication on ${platform}, ${mode} mode`, {
      timeout: 120_000,
    }, () => {
      let app: INestApplication;
      let url: string;

      before(async () => {
        const passwords = await createPasswordHasher({ algorithm: 'scrypt', scrypt: { ln: 10 } });
        class AuthAppModule {}
        Module({
          imports: [
            SessionModule.forRoot({
              secrets: [newSecret()],
              ...(mode === 'store' ? { store: new MemoryStore() } : {}),
            }),
          ],
          controllers: [AccountController],
          providers: provideAuth({ users: memoryUsers(), passwords }, { signInPath: '/login' }),
        })(AuthAppModule);
        ({ app, url } = await startNest(platform, AuthAppModule));
      });
      after(() => app?.close());

      it('S-44 the guard sends a page request to sign in and answers an API call 401', async () => {
        const page = await new CookieJar().send(`${url}/account?tab=1`, {
          headers: { accept: 'text/html' },
        });
        assert.equal(page.status, 303);
        assert.equal(page.headers.location, '/login?returnTo=%2Faccount%3Ftab%3D1');
        assert.doesNotMatch(page.body, /only for users/);
        const api = await new CookieJar().send(`${url}/account`, { headers: JSON_HEADERS });
        assert.equal(api.status, 401);
        assert.equal(JSON.parse(api.body).error, 'NOT_SIGNED_IN');
        assert.doesNotMatch(api.body, /only for users/);
      });

      it('sign-up signs in; @CurrentUser() gives the user; sign-out ends it', async () => {
        const jar = new CookieJar();
        const body = JSON.stringify({ email: `ann@${platform}.example`, password: PASSWORD });
        const up = await jar.send(`${url}/sign-up`, {
          method: 'POST',
          headers: JSON_HEADERS,
          body,
        });
        assert.equal(up.status, 201, up.body);
        const account = await jar.send(`${url}/account`, { headers: JSON_HEADERS });
        assert.equal(account.status, 200, account.body);
        assert.deepEqual(JSON.parse(account.body), {
          email: `ann@${platform}.example`,
          secret: 'only for users',
        });
        const out = await jar.send(`${url}/sign-out`, {
          method: 'POST',
          headers: JSON_HEADERS,
          body: '{}',
        });
        assert.equal(out.status, 200);
        assert.equal((await jar.send(`${url}/account`, { headers: JSON_HEADERS })).status, 401);
        const again = await jar.send(`${url}/sign-in`, {
          method: 'POST',
          headers: JSON_HEADERS,
          body,
        });
        assert.equal(again.status, 200, again.body);
        assert.equal((await jar.send(`${url}/account`, { headers: JSON_HEADERS })).status, 200);
      });

      it('authentication errors keep their statuses: 401, 409, 400', async () => {
        const email = `bob@${platform}.example`;
        const post = (path: string, body: object) =>
          new CookieJar().send(`${url}${path}`, {
            method: 'POST',
            headers: JSON_HEADERS,
            body: JSON.stringify(body),
          });
        assert.equal((await post('/sign-up', { email, password: PASSWORD })).status, 201);
        const wrong = await post('/sign-in', { email, password: 'not the password at all' });
        const unknown = await post('/sign-in', { email: `x${email}`, password: PASSWORD });
        assert.equal(wrong.status, 401);
        assert.equal(unknown.status, 401);
        assert.equal(wrong.body, unknown.body, 'S-45 the same body either way');
        assert.deepEqual(wrong.setCookie, unknown.setCookie);
        assert.equal((await post('/sign-up', { email, password: PASSWORD })).status, 409);
        assert.equal((await post('/sign-up', { email: 'nope', password: PASSWORD })).status, 400);
        assert.equal(
          (await post('/sign-up', { email: `c${email}`, password: 'short' })).status,
          400,
        );
      });
    });
  }
}
