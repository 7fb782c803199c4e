/**
 * Session failures as bare responses, through Nest's exception layer: a store outage is
 * `503` with `Retry-After`, a session that cannot be saved a `500`, with no body of
 * Nest's (`{"statusCode":500,"message":"Internal server error"}` would hide the 503)
 * and none of the application's headers or cookies. The authentication errors get
 * their statuses the same way (`failureResponse`: 401, 400, 409, 429, 403), and a
 * stranger on a `UserGuard` route its refusal (303 to sign in, or 401). Registered as
 * `APP_FILTER` by `SessionModule`; it catches only Tessera's errors, so the
 * application's own filters and Nest's default one see everything else; only 5xx
 * failures are reported to `onError`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CsrfError,
  EmailTakenError,
  InvalidCredentialsError,
  InvalidEmailError,
  InvalidSessionDataError,
  NotSignedInError,
  PasswordHasherBusyError,
  PasswordPolicyError,
  SessionStateError,
  SessionStoreError,
  SessionTooLargeError,
  TooManyAttemptsError,
  UserStoreError,
} from '../../errors.js';
import { failureResponse } from '../../session/plan.js';
import { prepareFailure } from '../fastify/failure.js';
import { SignInRequiredException } from './auth.js';
import type { Report } from './options.js';
import { TESSERA_REPORT } from './tokens.js';

@Catch(
  SessionStoreError,
  SessionTooLargeError,
  InvalidSessionDataError,
  SessionStateError,
  SignInRequiredException,
  // The authentication layer's errors, answered with their statuses (401, 400, 409, 429,
  // 403, 503) instead of Nest's 500 for an unknown error.
  InvalidCredentialsError,
  NotSignedInError,
  InvalidEmailError,
  EmailTakenError,
  PasswordPolicyError,
  TooManyAttemptsError,
  PasswordHasherBusyError,
  UserStoreError,
  CsrfError,
)
export class SessionErrorFilter implements ExceptionFilter {
  readonly #adapterHost: HttpAdapterHost;
  readonly #report: Report;

  constructor(
    @Inject(HttpAdapterHost) adapterHost: HttpAdapterHost,
    @Inject(TESSERA_REPORT) report: Report,
  ) {
    this.#adapterHost = adapterHost;
    this.#report = report;
  }

  catch(error: unknown, host: ArgumentsHost): void {
    // Sessions live in HTTP requests; elsewhere (RPC, WebSockets) Nest's handling stays.
    if (host.getType() !== 'http') throw error;
    const http = host.switchToHttp();
    if (error instanceof SignInRequiredException) {
      this.#refuse(error, http.getResponse());
      return;
    }
    const failure = failureResponse(error);
    if (this.#adapterHost.httpAdapter.getType() === 'fastify') {
      const request = http.getRequest<FastifyRequest>();
      const reply = http.getResponse<FastifyReply>();
      if (failure.status >= 500) this.#report(error, request.raw);
      if (reply.sent || reply.raw.headersSent) {
        reply.raw.destroy();
        return;
      }
      prepareFailure(reply, error);
      for (const [name, value] of failure.headers) reply.header(name, value);
      void reply.send(failure.body);
      return;
    }
    const request = http.getRequest<IncomingMessage>();
    const response = http.getResponse<ServerResponse>();
    if (failure.status >= 500) this.#report(error, request);
    if (response.headersSent) {
      // Part of a response went out: cut it rather than let it pass for a success.
      response.destroy();
      return;
    }
    for (const name of response.getHeaderNames()) response.removeHeader(name);
    response.statusCode = failure.status;
    for (const [name, value] of failure.headers) response.setHeader(name, value);
    response.end(failure.body);
  }

  /** A stranger on a guarded route: the refusal as is (not an error to report). */
  #refuse(error: SignInRequiredException, response: unknown): void {
    const { status, headers, body } = error.refusal;
    if (this.#adapterHost.httpAdapter.getType() === 'fastify') {
      const reply = response as FastifyReply;
      for (const [name, value] of headers) reply.header(name, value);
      void reply.code(status).send(body);
      return;
    }
    const res = response as ServerResponse;
    res.statusCode = status;
    for (const [name, value] of headers) res.setHeader(name, value);
    res.end(body);
  }
}
