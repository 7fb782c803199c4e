/**
 * Peer: express-session 1.x with connect-redis 9 (which drives a node-redis v5 client)
 * on Express 5, configured the way their READMEs recommend (no resave, no uninitialized
 * sessions), on the runner's private Redis under a per-run key prefix.
 */
import { createServer } from 'node:http';
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { createClient } from 'redis';
import { benchEnv, benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

declare module 'express-session' {
  interface SessionData {
    count: number;
  }
}

const mode = benchMode();
const client = createClient({ url: benchEnv('BENCH_REDIS_URL') });
// node-redis re-throws unhandled 'error' events; a lost Redis shows as failed requests.
client.on('error', () => {});
await client.connect();

const app = express();
app.use(
  session({
    store: new RedisStore({ client, prefix: benchEnv('BENCH_REDIS_PREFIX') }),
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
