/**
 * Committing in Fastify's `onSend` hook: after the handler and serialization, before
 * Fastify writes the head. Every way Fastify sends (objects, strings, Buffers, streams,
 * `reply.redirect`, the 404 handler, error responses) passes through it, so one hook
 * covers them all. Only replies Fastify does not send itself (`reply.hijack()`) need
 * {@link commitNow}.
 */
import type {
  FastifyReply,
  FastifyRequest,
  onResponseHookHandler,
  onSendHookHandler,
} from 'fastify';
import { SessionStateError } from '../../errors.js';
import type { SessionEngine } from '../../session/engine.js';
import type { ResponsePlan } from '../../session/plan.js';
import type { DefaultSessionData, Session } from '../../session/session.js';
import { applyPlan as applyPlanToRaw } from '../node/commit.js';
import { failurePayload, prepareFailure } from './failure.js';

type Report = (error: unknown, request: FastifyRequest) => void;

/** Adds the plan's `Set-Cookie` values after the app's own, and its headers. */
export function applyPlan(reply: FastifyReply, plan: ResponsePlan): void {
  if (plan.setCookie.length > 0) {
    // Fastify writes its own headers over `reply.raw`'s: cookies the app set on the raw
    // response would be lost once the reply holds one, so they move to the reply first.
    const raw = reply.raw.getHeader('set-cookie');
    if (raw !== undefined && reply.getHeader('set-cookie') === raw) {
      reply.raw.removeHeader('set-cookie');
      reply.header('set-cookie', Array.isArray(raw) ? raw : [String(raw)]);
    }
    // `reply.header('set-cookie', ...)` appends to the values already set.
    reply.header('set-cookie', plan.setCookie as string[]);
  }
  for (const [name, value] of plan.headers) reply.header(name, value);
}

/** A payload Fastify would have streamed is released when the failure replaces it. */
function discard(payload: unknown): void {
  const stream = payload as { destroy?: unknown } | null;
  if (stream !== null && typeof stream?.destroy === 'function') (stream.destroy as () => void)();
}

/**
 * Replies whose store writes are in flight. Fastify counts a reply as sent only once the
 * response has ended, so while `onSend` waits for the store a second `reply.send()` runs
 * the hooks again: an async handler that resolves without returning the reply does it
 * (Fastify then sends the handler's `undefined` result; NestJS's route handlers always
 * resolve that way). That second send would write the head first, without the session
 * cookie, and the first would then fail writing it again.
 */
const writing = new WeakSet<FastifyReply>();

/** The `onSend` hook: commit, apply the plan, wait for the store, or fail the reply. */
export function commitHook(
  engine: SessionEngine<DefaultSessionData>,
  report: Report | undefined,
): onSendHookHandler {
  const hook: onSendHookHandler = (request, reply, payload, done) => {
    if (writing.has(reply)) {
      // A send while the first one waits for the store: dropped, as Fastify drops a send
      // after the reply went out. The first send answers (or fails) the request.
      discard(payload);
      return;
    }
    const session = request.session as Session<DefaultSessionData> | null;
    if (session === null || session === undefined || session.isCommitted) {
      // Not loaded (the load failed) or already committed: an error response on its way.
      done(null, failurePayload(reply, payload));
      return;
    }
    const fail = (error: unknown): void => {
      report?.(error, request);
      discard(payload);
      if (reply.raw.headersSent) {
        // The app wrote the head itself: nothing can be replaced, so nothing is claimed.
        reply.raw.destroy();
        return;
      }
      done(prepareFailure(reply, error) as Error);
    };
    let plan: ResponsePlan;
    try {
      plan = engine.commit(session);
    } catch (error) {
      fail(error);
      return;
    }
    if (plan.pending === null) {
      applyPlan(reply, plan);
      done(null, payload);
      return;
    }
    writing.add(reply);
    plan.pending.then(
      () => {
        writing.delete(reply);
        applyPlan(reply, plan);
        done(null, payload);
      },
      (error: unknown) => {
        writing.delete(reply);
        fail(error);
      },
    );
  };
  return hook;
}

/**
 * Commits now (see `FastifySessions.commit`). A hijacked reply gets the cookie on
 * `reply.raw`, since Fastify will not write the reply's headers for it.
 */
export async function commitNow(
  engine: SessionEngine<DefaultSessionData>,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const session = request.session as Session<DefaultSessionData> | null | undefined;
  if (session === null || session === undefined || session.isCommitted) return;
  const plan = engine.commit(session);
  if (plan.pending !== null) await plan.pending;
  if (reply.sent) applyPlanToRaw(reply.raw, plan);
  else applyPlan(reply, plan);
}

/**
 * The `onResponse` hook: a response that went out without the commit (a hijacked reply,
 * or one written to `reply.raw`) and whose session changed lost those changes. Nothing
 * can be done for that response any more; the report makes the mistake visible.
 */
export function unsavedHook(report: Report | undefined): onResponseHookHandler {
  const hook: onResponseHookHandler = (request, _reply, done) => {
    const session = request.session as Session<DefaultSessionData> | null;
    if (session !== null && session !== undefined && !session.isCommitted && session.isChanged) {
      const error = new SessionStateError(
        'the session changed but the response was sent without committing it (hijacked reply?): call `await request.server.sessions.commit(request, reply)` before writing to reply.raw',
      );
      if (report !== undefined) report(error, request);
      else request.log.error({ err: error }, error.message);
    }
    done();
  };
  return hook;
}
