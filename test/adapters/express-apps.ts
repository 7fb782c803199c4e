/**
 * The contract app (test/adapters/contract.ts) built the Express way and the Connect way,
 * shared by the express adapter tests.
 */
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import connect from 'connect';
import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { expressSessions } from '../../src/adapters/express/index.js';
import type { SessionOptions } from '../../src/index.js';
import { startServer } from '../support/http.js';
import type { ContractApp, ContractData } from './contract.js';

/** `express` (5) or `express4`: both build apps the same way. */
export type ExpressFactory = typeof express;

/** Express's error-handler signature. */
export type ErrorHandler = (err: unknown, req: Request, res: Response, next: NextFunction) => void;

const count = (data: Record<string, unknown>): number =>
  ((data.count as number | undefined) ?? 0) + 1;

/**
 * The contract app on Express. `env` is production, as in deployment, so that Express's
 * default error handler (which answers the outage case) prints no stack trace; an error
 * handler only records what reaches it and passes it on.
 */
export async function startExpressContractApp(
  createApp: ExpressFactory,
  options: SessionOptions<ContractData>,
): Promise<ContractApp> {
  const errors: unknown[] = [];
  const sessions = expressSessions<ContractData>({ ...options, onError: (e) => errors.push(e) });
  const app = createApp();
  app.set('env', 'production');
  app.use(sessions);
  const json = (req: Request, res: Response): void => {
    res.json({ isNew: req.session.isNew, data: req.session.data });
  };
  app.get('/read', json);
  app.get('/inc', (req, res) => {
    req.session.data.count = count(req.session.data);
    json(req, res);
  });
  app.get('/big', (req, res) => {
    req.session.data.big = 'x'.repeat(Number(req.query.n));
    json(req, res);
  });
  app.get('/regenerate', (req, res) => {
    req.session.regenerate();
    json(req, res);
  });
  app.get('/destroy', (req, res) => {
    req.session.destroy();
    json(req, res);
  });
  app.get('/redirect', (req, res) => {
    req.session.data.count = count(req.session.data);
    res.redirect('/read');
  });
  app.get('/app-cookie', (req, res) => {
    req.session.data.count = count(req.session.data);
    res.cookie('app', '1');
    json(req, res);
  });
  app.get('/send', (req, res) => {
    req.session.data.count = count(req.session.data);
    res.type('text/plain').send('ok');
  });
  const record: ErrorHandler = (err, _req, _res, next) => {
    errors.push(err);
    next(err);
  };
  app.use(record);
  const server = await startServer(app);
  return { ...server, errors };
}

/** The HTTP error fields Tessera's errors carry into error handlers. */
interface HttpError {
  readonly status?: number;
  readonly headers?: Record<string, string>;
}

/**
 * The contract app on Connect: no response helpers, so it answers the node way. Connect
 * decides development or production once, when it is first imported, so the app has
 * its own error handler, the way a Connect app answers errors without stack traces.
 */
export async function startConnectContractApp(
  options: SessionOptions<ContractData>,
): Promise<ContractApp> {
  const errors: unknown[] = [];
  const sessions = expressSessions<ContractData>({ ...options, onError: (e) => errors.push(e) });
  const app = connect();
  app.use(sessions);
  app.use((req: IncomingMessage, res: ServerResponse) => {
    const session = sessions.get(req)!;
    const url = new URL(req.url ?? '/', 'http://x');
    const data = session.data;
    const json = (): void => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ isNew: session.isNew, data }));
    };
    switch (url.pathname) {
      case '/inc':
        data.count = count(data);
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
        data.count = count(data);
        res.writeHead(302, { location: '/read' }).end();
        return;
      case '/app-cookie':
        data.count = count(data);
        res.setHeader('set-cookie', 'app=1; Path=/');
        break;
      case '/send':
        data.count = count(data);
        res.setHeader('content-type', 'text/plain');
        res.end('ok');
        return;
    }
    json();
  });
  app.use((err: unknown, _req: IncomingMessage, res: ServerResponse, _next: () => void) => {
    errors.push(err);
    const { status = 500, headers = {} } = err as HttpError;
    res.writeHead(status, { ...headers, 'content-type': 'text/plain' }).end(STATUS_CODES[status]);
  });
  const server = await startServer(app);
  return { ...server, errors };
}
