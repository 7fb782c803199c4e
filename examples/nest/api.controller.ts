/**
 * The JSON API beside the pages, with the same flows and rules: `{ user }` on success,
 * `{ error, message }` with the error's status otherwise (thrown errors reach
 * {@link PageFailureFilter}). JSON bodies pass the CSRF guard on their origin alone; a
 * form would need the token.
 */
import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Post,
  Session,
  UseFilters,
} from '@nestjs/common';
import type { Session as TesseraSession } from '../../src/adapters/nest/index.js';
import type { AuthRequest } from '../../src/auth/index.js';
import { apiMe, fieldOf, publicUser } from '../app/site.js';
import { Client } from './client.decorator.js';
import { PageFailureFilter } from './failure.filter.js';
import { Site } from './site.service.js';

@Controller('api')
@UseFilters(PageFailureFilter)
export class ApiController {
  readonly #site: Site;

  constructor(@Inject(Site) site: Site) {
    this.#site = site;
  }

  @Get('me')
  @Header('cache-control', 'no-store')
  me(@Session() session: TesseraSession) {
    return apiMe(this.#site.auth, session);
  }

  @Post('sign-up')
  @HttpCode(201)
  async signUp(
    @Session() session: TesseraSession,
    @Body() body: unknown,
    @Client() client: AuthRequest,
  ) {
    const credentials = { email: fieldOf(body, 'email'), password: fieldOf(body, 'password') };
    return { user: publicUser(await this.#site.auth.signUp(session, credentials, client)) };
  }

  @Post('sign-in')
  @HttpCode(200)
  async signIn(
    @Session() session: TesseraSession,
    @Body() body: unknown,
    @Client() client: AuthRequest,
  ) {
    const credentials = { email: fieldOf(body, 'email'), password: fieldOf(body, 'password') };
    return { user: publicUser(await this.#site.auth.signIn(session, credentials, client)) };
  }

  @Post('sign-out')
  @HttpCode(204)
  signOut(@Session() session: TesseraSession): void {
    this.#site.auth.signOut(session);
  }
}
