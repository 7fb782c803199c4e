/**
 * Route protection, framework-neutral (S-44): what a protected route answers a request
 * without a signed-in user. Browsers asking for a page are sent to the sign-in page
 * with the current path as a validated return URL (`303`); API requests (JSON, or any
 * method but GET/HEAD) get `401` with a small JSON body and no redirect. The check runs
 * in the route's own middleware or guard, never by matching path prefixes, so it cannot
 * disagree with the router about which path was asked for.
 */
import { safeReturnTo, signInRedirect } from './return-to.js';

/** What route protection needs to know about the request. */
export interface ProtectedRequest {
  readonly method: string;
  /** The `Accept` header. */
  readonly accept: string | undefined;
  /** The request target as received: path and query (`/account?tab=devices`). */
  readonly url: string;
}

/** Options of route protection, shared by every adapter's `requireUser`. */
export interface RequireUserOptions {
  /** Where strangers sign in; gets `?returnTo=<path>`. @default '/sign-in' */
  readonly signInPath?: string;
}

/** A response that refuses a stranger. */
export interface RefusalResponse {
  readonly status: 303 | 401;
  readonly headers: readonly (readonly [name: string, value: string])[];
  readonly body: string;
}

const UNAUTHORIZED_BODY = JSON.stringify({
  error: 'NOT_SIGNED_IN',
  message: 'sign in to use this resource',
});

/** True when the request is a browser navigation that should be redirected. */
export function wantsPage(request: ProtectedRequest): boolean {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return false;
  const accept = (request.accept ?? '').toLowerCase();
  return accept.includes('text/html') || accept.includes('application/xhtml+xml');
}

/**
 * The response for a request that needs a signed-in user and has none. A page request
 * gets `303` to `signInPath?returnTo=<validated current path>`; everything else `401`.
 * Neither carries any of the protected content.
 */
export function refuseStranger(
  request: ProtectedRequest,
  options: RequireUserOptions = {},
): RefusalResponse {
  const signInPath = safeReturnTo(options.signInPath ?? '/sign-in', '/sign-in');
  if (wantsPage(request)) {
    return {
      status: 303,
      headers: [
        ['location', signInRedirect(signInPath, request.url)],
        ['cache-control', 'no-store'],
        ['content-type', 'text/plain; charset=utf-8'],
      ],
      body: 'Sign in to continue.',
    };
  }
  return {
    status: 401,
    headers: [
      ['content-type', 'application/json; charset=utf-8'],
      ['cache-control', 'no-store'],
    ],
    body: UNAUTHORIZED_BODY,
  };
}
