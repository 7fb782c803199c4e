/**
 * The flows contract's app on Express 5 (see flows-contract.ts): handlers pass the flows'
 * errors to `next(err)`, `errorStatus()` gives them their status, and a JSON API's error
 * handler answers with it.
 */
import express from 'express';
import { errorStatus, expressSessions, requireUser } from '../../src/adapters/express/index.js';
import { startServer } from '../support/http.js';
import { type AuthAppOptions, apiRoutes, PROTECTED_CONTENT } from './flows-contract.js';

/** The contract's app on Express. */
export async function startExpressAuthApp({ sessionOptions, auth: makeAuth }: AuthAppOptions) {
  const sessions = expressSessions(sessionOptions);
  const auth = makeAuth(sessions.engine);
  const app = express();
  app.use(express.json(), sessions);
  for (const route of apiRoutes(auth)) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'delete';
    app[method](route.path, async (req, res, next) => {
      try {
        const result = await route.run({
          session: req.session,
          body: (req.body ?? {}) as Record<string, unknown>,
          params: req.params,
          request: { address: req.ip, userAgent: req.get('user-agent') },
        });
        if ('redirect' in result) res.redirect(303, result.redirect);
        else res.status(result.status).json(result.json);
      } catch (error) {
        next(error);
      }
    });
  }
  const page = (_req: express.Request, res: express.Response) => {
    res.type('html').send(`<p>${PROTECTED_CONTENT}</p>`);
  };
  app.get('/dashboard', requireUser(auth), page);
  app.post('/dashboard', requireUser(auth), page);
  app.use(errorStatus());
  // A JSON API's error handler: the status and headers are the ones errorStatus() gave.
  app.use(
    (
      error: { status?: number; headers?: Record<string, string>; code?: string },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      res
        .status(error.status ?? 500)
        .set(error.headers ?? {})
        .json({ error: error.status === undefined ? 'INTERNAL' : error.code });
    },
  );
  return startServer(app);
}
