/** The adapter contract for `tesserajs/node`, the adapter the others are measured against. */
import type { ServerResponse } from 'node:http';
import { describe } from 'node:test';
import { nodeSessions } from '../../src/adapters/node/index.js';
import type { Session } from '../../src/session/session.js';
import { startServer } from '../support/http.js';
import { type ContractData, runAdapterContract } from './contract.js';

function json(res: ServerResponse, session: Session<ContractData>): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ isNew: session.isNew, data: session.data }));
}

describe('tesserajs/node', { timeout: 300_000 }, () => {
  runAdapterContract('node:http', async (options) => {
    const errors: unknown[] = [];
    const sessions = nodeSessions<ContractData>({ ...options, onError: (e) => errors.push(e) });
    const server = await startServer(
      sessions.handle((req, res, session) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const data = session.data;
        const bump = (): void => {
          data.count = ((data.count as number | undefined) ?? 0) + 1;
        };
        switch (url.pathname) {
          case '/inc':
            bump();
            break;
          case '/big':
            data.big = 'x'.repeat(Number(url.searchParams.get('n')));
            break;
          case '/regenerate':
            session.regenerate();
            break;
          case '/destroy':
            session.destroy();
            break;
          case '/redirect':
            bump();
            res.writeHead(302, { location: '/read' }).end();
            return;
          case '/app-cookie':
            bump();
            res.setHeader('set-cookie', 'app=1; Path=/');
            break;
          case '/send':
            bump();
            res.setHeader('content-type', 'text/plain');
            res.end('ok');
            return;
        }
        json(res, session);
      }),
    );
    return { ...server, errors };
  });
});
