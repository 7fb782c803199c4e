/**
 * Tessera on Express 5 through `tesserajs/express`, routed like the express-session peer
 * (`GET /` and `GET /init`). `BENCH_STORE` picks where sessions live: `none` runs cookie
 * mode (data sealed in the cookie), `memory` runs store mode on the memory store.
 */
import { createServer } from 'node:http';
import express from 'express';
import { expressSessions } from '../../src/adapters/express/index.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

const kind = process.env.BENCH_STORE;
if (kind !== 'none' && kind !== 'memory') throw new Error('BENCH_STORE must be none or memory');

const mode = benchMode();
const sessions = expressSessions({
  secrets: [benchSecret()],
  ...(kind === 'memory' ? { store: new MemoryStore() } : {}),
  // Default cookie options: servers run with NODE_ENV=production, where Tessera always
  // sets Secure; wrk and the checks send the cookie back over plain loopback HTTP anyway.
});

const app = express();
app.use(sessions);
app.get(['/', '/init'], (req, res) => {
  const { data } = req.session;
  const count = nextCount(req.url, mode, data.count);
  if (count !== data.count) data.count = count;
  res.end(String(count));
});
serve(createServer(app), () => sessions.engine.verifiedCacheStats());
