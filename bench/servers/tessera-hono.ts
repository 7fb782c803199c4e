/**
 * Tessera on Hono 4 (@hono/node-server). `BENCH_STORE` picks where sessions live: `none`
 * runs cookie mode (data sealed in the cookie), `memory` store mode in memory.
 */
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { honoSessions, type SessionEnv } from '../../src/adapters/hono/index.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

type Data = { count: number };

const mode = benchMode();
const kind = process.env.BENCH_STORE;
if (kind !== 'none' && kind !== 'memory') throw new Error('BENCH_STORE must be none or memory');

const app = new Hono<SessionEnv<Data>>();
// Default cookie options, as in tessera-node.ts: the production configuration.
const sessions = honoSessions<Data>({
  secrets: [benchSecret()],
  ...(kind === 'memory' ? { store: new MemoryStore() } : {}),
});
app.use(sessions);
const counter = (c: { req: { path: string }; var: SessionEnv<Data>['Variables'] }) => {
  const session = c.var.session;
  const count = nextCount(c.req.path, mode, session.data.count);
  if (count !== session.data.count) session.data.count = count;
  return String(count);
};
app.get('/', (c) => c.text(counter(c)));
app.get('/init', (c) => c.text(counter(c)));
serve(createAdaptorServer({ fetch: app.fetch }) as Server, () =>
  sessions.engine.verifiedCacheStats(),
);
