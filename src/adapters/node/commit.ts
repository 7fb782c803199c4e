import type { ServerResponse } from 'node:http';
import { isSessionStoreError } from '../../errors.js';
import type { PreparedCommit, SessionEngine } from '../../session/engine.js';
import type { Session } from '../../session/session.js';

/** Seconds a client should wait after a 503 caused by the session store. */
const RETRY_AFTER_SECONDS = '5';

type WriteHead = ServerResponse['writeHead'];
type End = ServerResponse['end'];

/** Adds `Set-Cookie` values (keeping any the app set) and forbids caching (S-24). */
export function applyCookies(res: ServerResponse, lines: readonly string[]): void {
  if (lines.length === 0) return;
  const existing = res.getHeader('set-cookie');
  res.setHeader(
    'set-cookie',
    existing === undefined
      ? (lines as string[])
      : [...(Array.isArray(existing) ? existing : [String(existing)]), ...lines],
  );
  res.setHeader('cache-control', 'no-store');
}

/**
 * Replaces whatever the app prepared with a bare failure response: no body details, no
 * stack trace, and for store outages a `Retry-After`. After headers went out nothing can
 * be replaced, so the connection is cut instead — never a half-true success.
 */
export function sendFailure(res: ServerResponse, status: 500 | 503, end?: End): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  if (status === 503) res.setHeader('retry-after', RETRY_AFTER_SECONDS);
  const body = status === 503 ? 'Service Unavailable' : 'Internal Server Error';
  ((end ?? res.end) as (this: ServerResponse, chunk: string) => void).call(res, body);
}

/**
 * Hooks `writeHead` and `end` so the session is committed before headers are sent.
 * - `end()` with headers unsent (the common case): commit, wait for store writes, then
 *   send; a failed write turns the response into a 503 instead.
 * - `writeHead()` first (also reached through `write()` and `flushHeaders()`): the
 *   cookies are known synchronously and set at once; `end()` then waits for the store
 *   writes, and cuts the connection if they fail.
 */
export function armAutoCommit<T extends object>(
  engine: SessionEngine<T>,
  session: Session<T>,
  res: ServerResponse,
  report: (error: unknown) => void,
): void {
  const writeHead = res.writeHead as WriteHead;
  const end = res.end as End;
  let prepared: PreparedCommit | null = null;
  let failed = false;

  const prepare = (): PreparedCommit | null => {
    try {
      return engine.commit(session);
    } catch (error) {
      report(error);
      failed = true;
      return null;
    }
  };

  res.writeHead = function patchedWriteHead(this: ServerResponse, ...args: unknown[]) {
    res.writeHead = writeHead;
    if (prepared === null && !failed && !isCommitted(session)) {
      prepared = prepare();
      if (prepared === null) {
        sendFailure(res, 500, end);
        return res;
      }
      applyCookies(res, prepared.setCookie);
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as WriteHead;

  res.end = function patchedEnd(this: ServerResponse, ...args: unknown[]) {
    res.end = end;
    const send = (): ServerResponse =>
      (end as (...a: unknown[]) => ServerResponse).apply(res, args);
    if (failed) return res;
    if (res.headersSent || isCommitted(session)) {
      const pending = prepared?.pending ?? null;
      if (pending === null) return send();
      pending.then(send, (error: unknown) => {
        report(error);
        res.destroy();
      });
      return res;
    }
    prepared = prepare();
    if (prepared === null) {
      sendFailure(res, 500, end);
      return res;
    }
    const { setCookie, pending } = prepared;
    if (pending === null) {
      applyCookies(res, setCookie);
      return send();
    }
    pending.then(
      () => {
        applyCookies(res, setCookie);
        send();
      },
      (error: unknown) => {
        report(error);
        sendFailure(res, isSessionStoreError(error) ? 503 : 500, end);
      },
    );
    return res;
  } as End;
}

function isCommitted(session: Session<object>): boolean {
  return session.isCommitted;
}

/** Commits immediately (explicit, for streaming). */
export async function commitNow<T extends object>(
  engine: SessionEngine<T>,
  session: Session<T>,
  res: ServerResponse,
): Promise<void> {
  if (isCommitted(session)) return;
  const { setCookie, pending } = engine.commit(session);
  if (pending !== null) await pending;
  applyCookies(res, setCookie);
}
