/**
 * The auth flows and route protection over real HTTP on node:http (see flows-contract.ts):
 * handlers throw the flows' errors and `sessions.handle()` answers them with
 * failureResponse's status.
 */
import type { IncomingMessage } from 'node:http';
import { describe } from 'node:test';
import { nodeSessions, requireUser } from '../../src/adapters/node/index.js';
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

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The contract's app on node:http. */
export function startNodeAuthApp({ sessionOptions, auth: makeAuth }: AuthAppOptions) {
  const sessions = nodeSessions<object>({ ...sessionOptions, onError: () => {} });
  const auth = makeAuth(sessions.engine);
  const routes = apiRoutes(auth);
  return startServer(
    sessions.handle(async (req, res, session) => {
      const url = new URL(req.url ?? '/', 'http://app.invalid');
      const body = parseJsonBody(await readBody(req));
      if (url.pathname === '/dashboard') {
        const user = await requireUser(auth, req, res, session);
        if (user === null) return;
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(`<p>${PROTECTED_CONTENT}</p>`);
        return;
      }
      const matched = matchRoute(routes, req.method ?? 'GET', url.pathname);
      if (matched === null) {
        res.statusCode = 404;
        res.end();
        return;
      }
      const result = await matched.route.run({
        session,
        body,
        params: matched.params,
        request: { address: req.socket.remoteAddress, userAgent: req.headers['user-agent'] },
      });
      if ('redirect' in result) {
        res.writeHead(303, { location: result.redirect }).end();
        return;
      }
      res.writeHead(result.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result.json));
    }),
  );
}

describe('tesserajs/node with tesserajs/auth over HTTP', { timeout: 300_000 }, () => {
  runFlowsContract('node:http', startNodeAuthApp);
  runProtectionContract('node:http', startNodeAuthApp);
  runEnumerationContract('node:http', startNodeAuthApp);
});
