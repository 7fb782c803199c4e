/**
 * Failures go through Fastify's error handler, so an application's `setErrorHandler`
 * receives the typed error (`SessionStoreError`, `SessionTooLargeError`, ...) with its
 * `code`. Before the error is thrown the reply is prepared as the bare failure response
 * (status, `Retry-After`, `Cache-Control: no-store`, none of the app's headers or
 * cookies); an error handler may still answer as it likes.
 *
 * Fastify's default handler would answer with a JSON body carrying the error's `code`
 * and `message`. Session errors are for the server log, so when the body about to go
 * out is exactly that rendering of the error Tessera threw, it becomes the bare body.
 */
import type { FastifyReply } from 'fastify';
import { failureResponse } from '../../session/plan.js';

/** The error each failed reply was answered with; only failed replies are entered. */
const failed = new WeakMap<FastifyReply, unknown>();

/** Turns the reply into the bare failure response and returns `error` to throw. */
export function prepareFailure(reply: FastifyReply, error: unknown): unknown {
  const failure = failureResponse(error);
  for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name);
  reply.code(failure.status);
  // The error handler picks the content type of what it sends.
  for (const [name, value] of failure.headers)
    if (name !== 'content-type') reply.header(name, value);
  failed.set(reply, error);
  return error;
}

/** Whether `payload` is Fastify's default rendering of `error`: `{statusCode, code, error, message}`. */
function isDefaultRendering(payload: unknown, error: unknown): boolean {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return false;
  let body: { code?: unknown; message?: unknown } | null;
  try {
    body = JSON.parse(payload) as typeof body;
  } catch {
    return false;
  }
  const { code, message } = error as { code?: unknown; message?: unknown };
  return body !== null && body.message === message && body.code === code;
}

/**
 * The payload to send for a reply in its error path: the bare failure body when Fastify's
 * default handler rendered Tessera's error, else the payload unchanged.
 */
export function failurePayload(reply: FastifyReply, payload: unknown): unknown {
  const error = failed.get(reply);
  if (error === undefined || !isDefaultRendering(payload, error)) return payload;
  const failure = failureResponse(error);
  for (const [name, value] of failure.headers) reply.header(name, value);
  return failure.body;
}
