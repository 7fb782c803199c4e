/**
 * Type-level test of `tesserajs/express` (`tsc -p test/types`): `req.session` is typed on
 * Express's own request through the `SessionData` augmentation, and the middleware fits
 * Express 5, Express 4 (same types) and Connect.
 */
import connect from 'connect';
import express from 'express';
import { expressSessions } from '../../src/adapters/express/index.js';
import type { Session } from '../../src/index.js';

declare module '../../src/index.js' {
  interface SessionData {
    cart: string[];
  }
}

const sessions = expressSessions({ secrets: ['x'.repeat(43)] });
const app = express();
app.use(sessions);
app.post('/logout', sessions.with({ onStoreError: 'guest' }), (req, res) => {
  req.session.destroy();
  res.end();
});
app.get('/', (req, res) => {
  const cart: string[] | undefined = req.session.data.cart;
  req.session.data.cart = [...(cart ?? []), 'book'];
  // views comes from test/types/augmentation.ts: one SessionData per program
  const views: number | undefined = req.session.data.views;
  // @ts-expect-error the declared type is enforced
  req.session.data.cart = 'book';
  // @ts-expect-error undeclared keys are refused
  req.session.data.nope = 1;
  const same: Session = req.session;
  res.json({ views, same: same.isNew });
});

// Connect: no Express request type; the middleware's own accessor is typed.
const typed = expressSessions<{ step: number }>({ secrets: ['x'.repeat(43)] });
const server = connect();
server.use(typed);
server.use((req, res) => {
  const step: number | undefined = typed.get(req)?.data.step;
  // @ts-expect-error the instance's data type is enforced
  typed.get(req)!.data.step = 'two';
  res.end(String(step));
});

// @ts-expect-error trustProxy is a boolean
expressSessions({ secrets: ['x'.repeat(43)], trustProxy: 'loopback' });
