/** `tesserajs/express` csrfProtection over real HTTP on Express 5 (see csrf-contract.ts). */
import { describe } from 'node:test';
import express from 'express';
import { csrfProtection, expressSessions } from '../../src/adapters/express/index.js';
import { createCsrf } from '../../src/auth/csrf/token.js';
import { startServer } from '../support/http.js';
import { type CsrfAppOptions, runCsrfContract } from './csrf-contract.js';

async function startExpressCsrfApp({ secrets, store, onEvent }: CsrfAppOptions) {
  const sessions = expressSessions({ secrets, onEvent, ...(store ? { store } : {}) });
  const csrf = createCsrf({ engine: sessions.engine });
  const app = express();
  app.use(sessions, express.urlencoded({ extended: false }), express.json(), express.text());
  app.use(csrfProtection({ csrf }));
  const count = (req: express.Request) => Number(req.session.data.count ?? 0);
  app.get('/form', (req, res) => {
    res.json({ token: csrf.token(req.session) });
  });
  app.get('/count', (req, res) => {
    res.json({ count: count(req) });
  });
  app.post('/transfer', (req, res) => {
    req.session.data.count = count(req) + 1;
    res.json({ count: req.session.data.count });
  });
  app.post('/login', (req, res) => {
    req.session.setUser('alice');
    res.json({ ok: true });
  });
  // Express's own error handler answers the CsrfError's status (403).
  return startServer(app);
}

describe('tesserajs/express csrfProtection', { timeout: 120_000 }, () => {
  runCsrfContract('express 5', startExpressCsrfApp);
});
