/**
 * Applying a response plan to a web-standard `Response`, shared by every adapter whose
 * framework answers with one (`tesserajs/fetch`, `tesserajs/hono`).
 */
import { failureResponse, type ResponsePlan } from '../../session/plan.js';

function write(headers: Headers, plan: ResponsePlan): void {
  // One header line per cookie: `append`, never a comma-joined `set`, which browsers
  // would read as a single cookie (Expires dates contain commas).
  for (const line of plan.setCookie) headers.append('set-cookie', line);
  for (const [name, value] of plan.headers) headers.set(name, value);
}

/**
 * Adds the plan's `Set-Cookie` lines (after any the application set) and headers.
 * Returns `response` itself, or a copy when its headers are immutable (responses from
 * `Response.redirect()`, `Response.error()` and `fetch()`): the copy carries the same
 * status, headers and body stream.
 */
export function applyPlanTo(response: Response, plan: ResponsePlan): Response {
  if (plan.setCookie.length === 0 && plan.headers.length === 0) return response;
  try {
    write(response.headers, plan);
    return response;
  } catch (error) {
    // Immutable headers throw a TypeError on the first change, so nothing was applied.
    if (!(error instanceof TypeError)) throw error;
    const copy = new Response(response.body, response);
    write(copy.headers, plan);
    return copy;
  }
}

/**
 * The bare failure `Response` for `error`: `503` with `Retry-After` when the session
 * store is unavailable, `429` with `Retry-After` for a throttled sign-in attempt, `500`
 * otherwise; no details, no stack trace.
 */
export function failureResponseFor(error: unknown): Response {
  const failure = failureResponse(error);
  return new Response(failure.body, {
    status: failure.status,
    headers: failure.headers as [string, string][],
  });
}

/** Releases the body of a response that will not be sent (a stream would stay open). */
export function discard(response: Response): void {
  if (response.body !== null && !response.bodyUsed) response.body.cancel().catch(() => {});
}
