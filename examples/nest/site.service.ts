/**
 * What every controller of the Nest app shares: the `Auth`, the CSRF tokens and the
 * footer's storage line (the facts `examples/app/site.ts` turns into pages), and the
 * platform-neutral way to answer with a page or a redirect (`HttpAdapterHost`), so the
 * same controllers serve on Express and on Fastify.
 */
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  type Auth,
  TESSERA_AUTH,
  type Session as TesseraSession,
} from '../../src/adapters/nest/index.js';
import type { Csrf } from '../../src/auth/index.js';
import type { UserFacingError } from '../app/messages.js';
import type { PageContext } from '../app/pages.js';
import { pageContext } from '../app/site.js';

/** The app's own values the module is built with: `{ csrf, storage }`. */
export const SITE_OPTIONS: unique symbol = Symbol('examples.nest.site');

/** What `SITE_OPTIONS` provides. */
export interface SiteOptions {
  readonly csrf: Csrf;
  /** "store mode, in SQLite", for the pages' footer. */
  readonly storage: string;
}

@Injectable()
export class Site {
  readonly auth: Auth;
  readonly csrf: Csrf;
  readonly storage: string;
  readonly #host: HttpAdapterHost;

  constructor(
    @Inject(TESSERA_AUTH) auth: Auth,
    @Inject(SITE_OPTIONS) options: SiteOptions,
    @Inject(HttpAdapterHost) host: HttpAdapterHost,
  ) {
    this.auth = auth;
    this.csrf = options.csrf;
    this.storage = options.storage;
    this.#host = host;
  }

  /** Who is signed in and, for a signed-in user or a page with forms, a CSRF token. */
  context(session: TesseraSession, forms = false): Promise<PageContext> {
    return pageContext(this, session, forms);
  }

  /** Answers with a page (never cached), and `Retry-After` when the error has one. */
  send(response: unknown, status: number, page: string, error?: UserFacingError | null): void {
    const adapter = this.#host.httpAdapter;
    if (error?.retryAfterSeconds != null)
      adapter.setHeader(response, 'retry-after', String(error.retryAfterSeconds));
    adapter.setHeader(response, 'cache-control', 'no-store');
    adapter.setHeader(response, 'content-type', 'text/html; charset=utf-8');
    adapter.reply(response, page, status);
  }

  /** `303 See Other` to `url`: after a form post, the browser GETs the next page. */
  redirect(response: unknown, url: string): void {
    this.#host.httpAdapter.redirect(response, 303, url);
  }
}
