/**
 * `tesserajs/node` csrfProtection (`checkCsrf(req, session, body)`) over real HTTP (see
 * csrf-contract.ts): the handler reads and parses the body itself and passes it in; a
 * refusal thrown inside `sessions.handle()` becomes a bare 403.
 */
import type { IncomingMessage } from 'node:http';
import { describe } from 'node:test';
import { csrfProtection, nodeSessions } from '../../src/adapters/node/index.js';
import { createCsrf } from '../../src/auth/csrf/token.js';
import { startServer } from '../support/http.js';
import { type CsrfAppOptions, runCsrfContract } from './csrf-contract.js';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function startNodeCsrfApp({ secrets, store, onEvent }: CsrfAppOptions) {
  const sessions = nodeSessions<Record<string, unknown>>({
    secrets,
    onEvent,
    ...(store ? { store } : {}),
    onError: () => {},
  });
  const csrf = createCsrf({ engine: sessions.engine });
  const checkCsrf = csrfProtection({ csrf });
  return startServer(
    sessions.handle(async (req, res, session) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = await readBody(req);
      const isForm = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
      checkCsrf(req, session, isForm ? new URLSearchParams(text) : undefined);
      const data = session.data;
      const count = Number(data.count ?? 0);
      const json = (value: unknown) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(value));
      };
      if (url.pathname === '/form') return json({ token: csrf.token(session) });
      if (url.pathname === '/count') return json({ count });
      if (url.pathname === '/transfer' && req.method === 'POST') {
        data.count = count + 1;
        return json({ count: data.count });
      }
      if (url.pathname === '/login' && req.method === 'POST') {
        session.setUser('alice');
        return json({ ok: true });
      }
      res.statusCode = 404;
      res.end();
    }),
  );
}

describe('tesserajs/node csrfProtection', { timeout: 120_000 }, () => {
  runCsrfContract('node:http', startNodeCsrfApp);
});
