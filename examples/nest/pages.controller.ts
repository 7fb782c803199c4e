/**
 * The public pages: home, sign up, sign in, sign out and the stylesheet. Handlers take
 * the Tessera session from Nest's own `@Session()` and answer through {@link Site}, so
 * a failed form is shown again with its status (400, 401, 409, 429) and a success
 * redirects with 303.
 */
import {
  Body,
  Controller,
  Get,
  Header,
  Inject,
  Post,
  Query,
  Res,
  Session,
  UseFilters,
} from '@nestjs/common';
import type { Session as TesseraSession } from '../../src/adapters/nest/index.js';
import { type AuthRequest, safeReturnTo } from '../../src/auth/index.js';
import { describeError } from '../app/messages.js';
import { homePage, signInPage, signUpPage } from '../app/pages.js';
import { echoed, fieldOf, STYLESHEET } from '../app/site.js';
import { Client } from './client.decorator.js';
import { PageFailureFilter } from './failure.filter.js';
import { Site } from './site.service.js';

@Controller()
@UseFilters(PageFailureFilter)
export class PagesController {
  readonly #site: Site;

  constructor(@Inject(Site) site: Site) {
    this.#site = site;
  }

  // A guest's session is loaded for this request too, but nothing is written to it,
  // so the stylesheet sets no cookie.
  @Get('style.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  stylesheet(): string {
    return STYLESHEET;
  }

  @Get()
  async home(@Session() session: TesseraSession, @Res() res: unknown): Promise<void> {
    this.#site.send(res, 200, homePage(await this.#site.context(session)));
  }

  @Get('sign-up')
  async signUpForm(
    @Session() session: TesseraSession,
    @Query('returnTo') returnTo: unknown,
    @Res() res: unknown,
  ): Promise<void> {
    if (this.#signedIn(session, returnTo, res)) return;
    const page = signUpPage(await this.#site.context(session, true), { email: '', error: null });
    this.#site.send(res, 200, page);
  }

  @Post('sign-up')
  async signUp(
    @Session() session: TesseraSession,
    @Body() body: unknown,
    @Client() client: AuthRequest,
    @Res() res: unknown,
  ): Promise<void> {
    const credentials = { email: fieldOf(body, 'email'), password: fieldOf(body, 'password') };
    try {
      await this.#site.auth.signUp(session, credentials, client);
      this.#site.redirect(res, '/account');
    } catch (failure) {
      const error = describeError(failure);
      if (error === null) throw failure;
      const page = signUpPage(await this.#site.context(session, true), {
        email: echoed(credentials.email),
        error,
      });
      this.#site.send(res, error.status, page, error);
    }
  }

  @Get('sign-in')
  async signInForm(
    @Session() session: TesseraSession,
    @Query('returnTo') returnTo: unknown,
    @Res() res: unknown,
  ): Promise<void> {
    if (this.#signedIn(session, returnTo, res)) return;
    const page = signInPage(await this.#site.context(session, true), {
      email: '',
      returnTo: safeReturnTo(returnTo, '/account'),
      error: null,
    });
    this.#site.send(res, 200, page);
  }

  @Post('sign-in')
  async signIn(
    @Session() session: TesseraSession,
    @Body() body: unknown,
    @Client() client: AuthRequest,
    @Res() res: unknown,
  ): Promise<void> {
    // Checked again here: the form's field came from the request too (S-43).
    const returnTo = safeReturnTo(fieldOf(body, 'returnTo'), '/account');
    const credentials = { email: fieldOf(body, 'email'), password: fieldOf(body, 'password') };
    try {
      await this.#site.auth.signIn(session, credentials, client);
      this.#site.redirect(res, returnTo);
    } catch (failure) {
      const error = describeError(failure);
      if (error === null) throw failure;
      const page = signInPage(await this.#site.context(session, true), {
        email: echoed(credentials.email),
        returnTo,
        error,
      });
      this.#site.send(res, error.status, page, error);
    }
  }

  @Post('sign-out')
  signOut(@Session() session: TesseraSession, @Res() res: unknown): void {
    this.#site.auth.signOut(session);
    this.#site.redirect(res, '/');
  }

  /** Sends a signed-in user on from the sign-in and sign-up forms (they are for strangers). */
  #signedIn(session: TesseraSession, returnTo: unknown, res: unknown): boolean {
    if (session.userId === null) return false;
    this.#site.redirect(res, safeReturnTo(returnTo, '/account'));
    return true;
  }
}
