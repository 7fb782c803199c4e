/**
 * The express-session peer app shared by the MemoryStore and connect-redis rows:
 * Express 5 with express-session configured the way its README recommends (no resave,
 * no uninitialized sessions), counting on `GET /` and `GET /init`.
 */
import { createServer } from 'node:http';
import express from 'express';
import session, { type Store } from 'express-session';
import { benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

declare module 'express-session' {
  interface SessionData {
    count: number;
  }
}

/** Serves the peer app; `store` omitted means express-session's bundled MemoryStore. */
export function serveExpressSession(store?: Store): void {
  const mode = benchMode();
  const app = express();
  app.use(
    session({
      ...(store ? { store } : {}),
      secret: benchSecret(),
      resave: false,
      saveUninitialized: false,
      cookie: { secure: false, httpOnly: true, sameSite: 'lax' },
    }),
  );
  app.get(['/', '/init'], (req, res) => {
    // One TypeScript program covers src/ and bench/, and tesserajs/express declares
    // `req.session` as Tessera's session there; this peer's session has its own type.
    const peer = req.session as unknown as session.Session & Partial<session.SessionData>;
    const count = nextCount(req.url, mode, peer.count);
    if (count !== peer.count) peer.count = count;
    res.end(String(count));
  });
  serve(createServer(app));
}
