/**
 * Tessera's cookie-session drop-in on Express 5: the app of cookie-session.ts with only
 * the import changed. BENCH_WRITE_FORMAT picks what it writes: `sealed` (the default) or
 * `cookie-session` (the original's base64 JSON + .sig).
 */
import { createServer } from 'node:http';
import express from 'express';
import cookieSession, { type WriteFormat } from '../../src/adapters/cookie-session/index.js';
import { benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

const mode = benchMode();
const writeFormat = (process.env.BENCH_WRITE_FORMAT ?? 'sealed') as WriteFormat;
const app = express();
app.use(
  cookieSession({
    name: 'session',
    keys: [benchSecret()],
    secure: false,
    sameSite: 'lax',
    writeFormat,
  }),
);
app.get(['/', '/init'], (req, res) => {
  // The bench compiles with tesserajs/express in the same program, whose declaration of
  // `req.session` wins there; the drop-in's own is cookie-session's plain object.
  const session = (req.session ?? {}) as unknown as { count?: number };
  const count = nextCount(req.url, mode, session.count);
  if (count !== session.count) session.count = count;
  res.end(String(count));
});
serve(createServer(app));
