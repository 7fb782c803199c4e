/**
 * The signed-in pages: the account (this session, the active sessions with revoke,
 * sign out everywhere else, change password) and the members page. `UserGuard` keeps
 * strangers out, sending them to sign in with a return URL (`303`, or `401` for a
 * request that is not a page), and hands the user to `@CurrentUser()`.
 */
import {
  Body,
  Controller,
  Get,
  Inject,
  Post,
  Query,
  Res,
  Session,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  type AuthUser,
  CurrentUser,
  type Session as TesseraSession,
  UserGuard,
} from '../../src/adapters/nest/index.js';
import type { AuthRequest } from '../../src/auth/index.js';
import { describeError, type UserFacingError } from '../app/messages.js';
import { accountPage, membersPage } from '../app/pages.js';
import { accountFacts, fieldOf } from '../app/site.js';
import { Client } from './client.decorator.js';
import { PageFailureFilter } from './failure.filter.js';
import { Site } from './site.service.js';

@Controller()
@UseGuards(UserGuard)
@UseFilters(PageFailureFilter)
export class AccountController {
  readonly #site: Site;

  constructor(@Inject(Site) site: Site) {
    this.#site = site;
  }

  @Get('account')
  async account(
    @Session() session: TesseraSession,
    @CurrentUser() user: AuthUser,
    @Query('notice') notice: unknown,
    @Res() res: unknown,
  ): Promise<void> {
    await this.#renderAccount(res, session, user, 200, notice, null);
  }

  @Post('account/sessions/revoke')
  async revoke(
    @Session() session: TesseraSession,
    @Body() body: unknown,
    @Res() res: unknown,
  ): Promise<void> {
    const handle = fieldOf(body, 'handle');
    if (typeof handle === 'string') await this.#site.auth.revokeSession(session, handle);
    this.#site.redirect(res, '/account?notice=revoked');
  }

  @Post('account/sign-out-others')
  async signOutOthers(@Session() session: TesseraSession, @Res() res: unknown): Promise<void> {
    await this.#site.auth.signOutOthers(session);
    this.#site.redirect(res, '/account?notice=others');
  }

  @Post('account/password')
  async changePassword(
    @Session() session: TesseraSession,
    @CurrentUser() user: AuthUser,
    @Body() body: unknown,
    @Client() client: AuthRequest,
    @Res() res: unknown,
  ): Promise<void> {
    try {
      await this.#site.auth.changePassword(
        session,
        {
          currentPassword: fieldOf(body, 'currentPassword'),
          newPassword: fieldOf(body, 'newPassword'),
        },
        client,
      );
      this.#site.redirect(res, '/account?notice=password');
    } catch (failure) {
      const error = describeError(failure, 'currentPassword');
      if (error === null) throw failure;
      await this.#renderAccount(res, session, user, error.status, null, error);
    }
  }

  @Get('members')
  async members(
    @Session() session: TesseraSession,
    @CurrentUser() user: AuthUser,
    @Res() res: unknown,
  ): Promise<void> {
    const context = await this.#site.context(session);
    this.#site.send(res, 200, membersPage({ ...context, user }));
  }

  async #renderAccount(
    res: unknown,
    session: TesseraSession,
    user: AuthUser,
    status: number,
    notice: unknown,
    passwordError: UserFacingError | null,
  ): Promise<void> {
    const context = await this.#site.context(session);
    const facts = await accountFacts(this.#site.auth, session, notice, passwordError);
    this.#site.send(res, status, accountPage({ ...context, user }, facts), passwordError);
  }
}
