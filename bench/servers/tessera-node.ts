/**
 * Tessera on plain node:http. `BENCH_STORE=none` runs cookie mode (data sealed in the
 * cookie); `BENCH_STORE=memory` runs store mode with the in-memory store.
 */
import { createServer } from 'node:http';
import { nodeSessions } from '../../src/adapters/node/index.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

const mode = benchMode();
const store = process.env.BENCH_STORE;
if (store !== 'none' && store !== 'memory') throw new Error('BENCH_STORE must be none or memory');

const sessions = nodeSessions<{ count: number }>({
  secrets: [benchSecret()],
  ...(store === 'memory' ? { store: new MemoryStore() } : {}),
  // Default cookie options: servers run with NODE_ENV=production, where Tessera always
  // sets Secure (and refuses `secure: false`). wrk and the checks send it back over
  // plain loopback HTTP anyway, so this measures the production configuration.
});

serve(
  createServer(
    sessions.handle(async (req, res, session) => {
      const count = nextCount(req.url, mode, session.data.count);
      if (count !== session.data.count) session.data.count = count;
      res.end(String(count));
    }),
  ),
);
