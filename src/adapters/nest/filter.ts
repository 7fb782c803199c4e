/**
 * Session failures as bare responses, through Nest's exception layer: a store outage is
 * `503` with `Retry-After`, a session that cannot be saved a `500`, with no body of
 * Nest's (`{"statusCode":500,"message":"Internal server error"}` would hide the 503)
 * and none of the application's headers or cookies. Registered as `APP_FILTER` by
 * `SessionModule`; it catches only Tessera's session errors, so the application's own
 * filters and Nest's default one see everything else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  InvalidSessionDataError,
  SessionStateError,
  SessionStoreError,
  SessionTooLargeError,
} from '../../errors.js';
import { failureResponse } from '../../session/plan.js';
import { prepareFailure } from '../fastify/failure.js';
import type { Report } from './options.js';
import { TESSERA_REPORT } from './tokens.js';

@Catch(SessionStoreError, SessionTooLargeError, InvalidSessionDataError, SessionStateError)
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
    const failure = failureResponse(error);
    if (this.#adapterHost.httpAdapter.getType() === 'fastify') {
      const request = http.getRequest<FastifyRequest>();
      const reply = http.getResponse<FastifyReply>();
      this.#report(error, request.raw);
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
    this.#report(error, request);
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
}
