import type { ServerResponse } from 'node:http';
import type { SessionEngine } from '../../session/engine.js';
import { failureResponse, type ResponsePlan, whenWritten } from '../../session/plan.js';
import type { Session } from '../../session/session.js';

type WriteHead = ServerResponse['writeHead'];
type End = ServerResponse['end'];

/** Adds the plan's `Set-Cookie` values (keeping any the app set) and headers. */
export function applyPlan(res: ServerResponse, plan: ResponsePlan): void {
  if (plan.setCookie.length > 0) {
    const existing = res.getHeader('set-cookie');
    res.setHeader(
      'set-cookie',
      existing === undefined
        ? (plan.setCookie as string[])
        : [...(Array.isArray(existing) ? existing : [String(existing)]), ...plan.setCookie],
    );
  }
  for (const [name, value] of plan.headers) res.setHeader(name, value);
}

/**
 * Replaces whatever the app prepared with the kernel's failure response. After headers
 * went out nothing can be replaced, so the connection is cut instead.
 */
export function sendFailure(res: ServerResponse, error: unknown, end?: End): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const failure = failureResponse(error);
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.statusCode = failure.status;
  for (const [name, value] of failure.headers) res.setHeader(name, value);
  ((end ?? res.end) as (this: ServerResponse, chunk: string) => void).call(res, failure.body);
}

/**
 * Hooks `writeHead` and `end` so the session is committed before headers are sent.
 * - `end()` with headers unsent (the common case): commit, wait for the plan's writes,
 *   then send; failed writes turn the response into the failure response instead.
 * - `writeHead()` first (also reached through `write()` and `flushHeaders()`): the plan's
 *   headers are known synchronously and set at once. While store writes are pending the
 *   response is corked, so headers and body bytes stay in memory (a body written in full
 *   with a `Content-Length` would otherwise look complete to the client before the write
 *   is durable); `end()` waits for the writes too. If they fail the connection is cut.
 */
export function armAutoCommit<T extends object>(
  engine: SessionEngine<T>,
  session: Session<T>,
  res: ServerResponse,
  report: (error: unknown) => void,
): void {
  const writeHead = res.writeHead as WriteHead;
  const end = res.end as End;
  let plan: ResponsePlan | null = null;
  let failed = false;

  /** Commits once; on failure answers the failure response and returns `null`. */
  const commit = (): ResponsePlan | null => {
    try {
      plan = engine.commit(session);
      return plan;
    } catch (error) {
      failed = true;
      report(error);
      sendFailure(res, error, end);
      return null;
    }
  };

  res.writeHead = function patchedWriteHead(this: ServerResponse, ...args: unknown[]) {
    res.writeHead = writeHead;
    if (!session.isCommitted) {
      const committed = commit();
      if (committed === null) return res;
      applyPlan(res, committed);
      if (committed.pending !== null) {
        res.cork();
        whenWritten(
          committed,
          () => res.uncork(),
          (error) => {
            report(error);
            res.destroy();
          },
        );
      }
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as WriteHead;

  res.end = function patchedEnd(this: ServerResponse, ...args: unknown[]) {
    res.end = end;
    const send = (): void => {
      (end as (...a: unknown[]) => ServerResponse).apply(res, args);
    };
    if (failed) return res;
    if (session.isCommitted) {
      // Committed through writeHead() or commit(): headers are set, writes may be pending
      // (a failure was reported and the connection cut where writeHead() corked).
      if (plan === null) send();
      else whenWritten(plan, send, () => {});
      return res;
    }
    const committed = commit();
    if (committed === null) return res;
    whenWritten(
      committed,
      () => {
        applyPlan(res, committed);
        send();
      },
      (error: unknown) => {
        report(error);
        sendFailure(res, error, end);
      },
    );
    return res;
  } as End;
}

/** Commits immediately (explicit, for streaming). */
export async function commitNow<T extends object>(
  engine: SessionEngine<T>,
  session: Session<T>,
  res: ServerResponse,
): Promise<void> {
  if (session.isCommitted) return;
  const plan = engine.commit(session);
  if (plan.pending !== null) await plan.pending;
  applyPlan(res, plan);
}
