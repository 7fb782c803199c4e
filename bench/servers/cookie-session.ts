/** Peer: cookie-session 2.x (signed, not encrypted, cookie) on Express 5. */
import { createServer } from 'node:http';
import cookieSession from 'cookie-session';
import express from 'express';
import { benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

const mode = benchMode();
const app = express();
app.use(cookieSession({ name: 'session', keys: [benchSecret()], secure: false, sameSite: 'lax' }));
app.get(['/', '/init'], (req, res) => {
  // One TypeScript program covers src/ and bench/, and tesserajs/express declares
  // `req.session` as Tessera's session there; this peer's session has its own type.
  const peer = req.session as unknown as CookieSessionInterfaces.CookieSessionObject | null;
  const session = peer ?? {};
  const count = nextCount(req.url, mode, session.count);
  if (count !== session.count) session.count = count;
  res.end(String(count));
});
serve(createServer(app));
