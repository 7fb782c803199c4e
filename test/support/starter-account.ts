/**
 * The accounts part of the Nest starter projects (Nest 11 and 12): a controller written
 * the way docs/nest.md shows, compiled in the consumer project by `tsc` and by ts-jest.
 * It imports packages only, so the CommonJS and the ES module starters share it; the
 * starter's module adds `provideAuth({ users: memoryUsers() }, { signInPath: '/sign-in' })`.
 */

/** Credentials the e2e tests sign up with (long and uncommon: the default policy accepts it). */
export const STARTER_PASSWORD = 'correct horse battery staple';

/**
 * `src/account.controller.ts`: sign-up, sign-in and sign-out through `TESSERA_AUTH`,
 * `GET /me` behind `UserGuard` with `@CurrentUser()`, `GET /user-id` behind
 * `SignedInGuard` with `@CurrentUserId()` and the engine injected by its token.
 */
export const ACCOUNT_CONTROLLER = `import { Body, Controller, Get, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import {
  type Auth,
  type AuthUser,
  CurrentSession,
  CurrentUser,
  CurrentUserId,
  Session,
  type SessionEngine,
  SignedInGuard,
  TESSERA_AUTH,
  TESSERA_SESSIONS,
  UserGuard,
} from 'tesserajs/nest';

interface Credentials {
  email: string;
  password: string;
}

@Controller()
export class AccountController {
  constructor(
    @Inject(TESSERA_AUTH) private readonly auth: Auth,
    @Inject(TESSERA_SESSIONS) private readonly sessions: SessionEngine,
  ) {}

  @Post('sign-up')
  async signUp(@CurrentSession() session: Session, @Body() body: Credentials) {
    const user = await this.auth.signUp(session, { email: body.email, password: body.password });
    return { id: user.id };
  }

  @Post('sign-in')
  @HttpCode(200)
  async signIn(@CurrentSession() session: Session, @Body() body: Credentials) {
    const user = await this.auth.signIn(session, { email: body.email, password: body.password });
    return { id: user.id };
  }

  @Post('sign-out')
  @HttpCode(200)
  signOut(@CurrentSession() session: Session) {
    this.auth.signOut(session);
    return { ok: true };
  }

  @Get('me')
  @UseGuards(UserGuard)
  me(@CurrentUser() user: AuthUser) {
    return { id: user.id, email: user.email };
  }

  @Get('user-id')
  @UseGuards(SignedInGuard)
  userId(@CurrentUserId() userId: string) {
    return { userId, mode: this.sessions.mode };
  }
}
`;
