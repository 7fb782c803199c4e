/**
 * The answers to what no handler caught, as the Express app gives them: an address
 * with no route gets the 404 page (`{ error: 'NOT_FOUND' }` under `/api/`), and the
 * authentication and CSRF errors their status with the user-facing message, as a page
 * or as JSON for the API. The controllers name it with `@UseFilters()`, so it comes
 * before `SessionModule`'s filter (which answers the same errors with a bare body);
 * the module's filter keeps the session failures (store outage, session too large) and
 * the guard's refusals of strangers.
 */
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Inject,
  NotFoundException,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  CsrfError,
  EmailTakenError,
  InvalidCredentialsError,
  InvalidEmailError,
  NotSignedInError,
  PasswordHasherBusyError,
  PasswordPolicyError,
  TooManyAttemptsError,
  UserStoreError,
} from '../../src/auth/index.js';
import { Session } from '../../src/index.js';
import { errorPage } from '../app/pages.js';
import { type FailureAnswer, failureAnswer, NOT_FOUND_MESSAGE } from '../app/site.js';
import { Site } from './site.service.js';

interface RequestFacts {
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly session?: unknown;
}

/** Whether the client takes HTML: a browser's navigation does, and so does no `Accept`. */
function wantsHtml(accept: string | string[] | undefined): boolean {
  if (accept === undefined) return true;
  const text = Array.isArray(accept) ? accept.join(',') : accept;
  return /(^|,)\s*(text\/html|text\/\*|\*\/\*)\s*(;|,|$)/i.test(text);
}

@Catch(
  NotFoundException,
  CsrfError,
  InvalidCredentialsError,
  TooManyAttemptsError,
  EmailTakenError,
  InvalidEmailError,
  PasswordPolicyError,
  NotSignedInError,
  PasswordHasherBusyError,
  UserStoreError,
)
export class PageFailureFilter implements ExceptionFilter {
  readonly #site: Site;
  readonly #host: HttpAdapterHost;

  constructor(@Inject(Site) site: Site, @Inject(HttpAdapterHost) host: HttpAdapterHost) {
    this.#site = site;
    this.#host = host;
  }

  async catch(failure: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const request = http.getRequest<RequestFacts>();
    const response = http.getResponse<unknown>();
    const json = request.url.startsWith('/api/') || !wantsHtml(request.headers.accept);
    this.#answer(response, await this.#answerTo(failure, request, json));
  }

  async #answerTo(failure: unknown, request: RequestFacts, json: boolean): Promise<FailureAnswer> {
    if (!(failure instanceof NotFoundException)) {
      return failureAnswer(failure, json, this.#site.storage);
    }
    const headers = [['cache-control', 'no-store']] as const;
    if (json) {
      const body = JSON.stringify({ error: 'NOT_FOUND', message: NOT_FOUND_MESSAGE });
      return { status: 404, headers, type: 'json', body };
    }
    // Unlike a failure, a missing page keeps the header of who is signed in.
    const context =
      request.session instanceof Session
        ? await this.#site.context(request.session)
        : { user: null, csrfToken: '', storage: this.#site.storage };
    return { status: 404, headers, type: 'html', body: errorPage(context, 404, NOT_FOUND_MESSAGE) };
  }

  #answer(response: unknown, answer: FailureAnswer): void {
    const adapter = this.#host.httpAdapter;
    for (const [name, value] of answer.headers) adapter.setHeader(response, name, value);
    adapter.setHeader(
      response,
      'content-type',
      answer.type === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    );
    adapter.reply(response, answer.body, answer.status);
  }
}
