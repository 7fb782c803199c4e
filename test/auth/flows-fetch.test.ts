/**
 * The auth flows and route protection over real HTTP with `tesserajs/fetch` (see
 * flows-contract.ts), the fetch handler served by `@hono/node-server`'s request listener:
 * handlers throw the flows' errors and `sessions.handle()` answers them with
 * failureResponse's status.
 */
import { describe } from 'node:test';
import { getRequestListener } from '@hono/node-server';
import { fetchSessions, requireUser } from '../../src/adapters/fetch/index.js';
import { startServer } from '../support/http.js';
import { runEnumerationContract } from './enumeration-contract.js';
import {
  type AuthAppOptions,
  apiRoutes,
  matchRoute,
  PROTECTED_CONTENT,
  parseJsonBody,
  runFlowsContract,
  runProtectionContract,
} from './flows-contract.js';

/** The contract's app as a fetch handler. */
export function startFetchAuthApp({ sessionOptions, auth: makeAuth }: AuthAppOptions) {
  const sessions = fetchSessions<object>({ ...sessionOptions, onError: () => {} });
  const auth = makeAuth(sessions.engine);
  const routes = apiRoutes(auth);
  const handler = sessions.handle(async (request, session) => {
    const url = new URL(request.url);
    const body = parseJsonBody(await request.text());
    if (url.pathname === '/dashboard') {
      const user = await requireUser(auth, request, session);
      if (user instanceof Response) return user;
      return new Response(`<p>${PROTECTED_CONTENT}</p>`, {
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    }
    const matched = matchRoute(routes, request.method, url.pathname);
    if (matched === null) return new Response(null, { status: 404 });
    const result = await matched.route.run({
      session,
      body,
      params: matched.params,
      request: { userAgent: request.headers.get('user-agent') },
    });
    if ('redirect' in result) {
      return new Response(null, { status: 303, headers: { location: result.redirect } });
    }
    return Response.json(result.json, { status: result.status });
  });
  return startServer(getRequestListener(handler));
}

describe('tesserajs/fetch with tesserajs/auth over HTTP', { timeout: 300_000 }, () => {
  runFlowsContract('fetch', startFetchAuthApp);
  runProtectionContract('fetch', startFetchAuthApp);
  runEnumerationContract('fetch', startFetchAuthApp);
});
