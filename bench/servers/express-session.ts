/**
 * Peer: express-session 1.x with its bundled MemoryStore on Express 5, configured the
 * way its README recommends (no resave, no uninitialized sessions).
 */
import { createServer } from 'node:http';
import express from 'express';
import session from 'express-session';
import { benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

declare module 'express-session' {
  interface SessionData {
    count: number;
  }
}

const mode = benchMode();
const app = express();
app.use(
  session({
    secret: benchSecret(),
    resave: false,
    saveUninitialized: false,
    cookie: { secure: false, httpOnly: true, sameSite: 'lax' },
  }),
);
app.get(['/', '/init'], (req, res) => {
  const count = nextCount(req.url, mode, req.session.count);
  if (count !== req.session.count) req.session.count = count;
  res.end(String(count));
});
serve(createServer(app));
