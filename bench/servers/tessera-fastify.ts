/**
 * Tessera on Fastify 5 (`tesserajs/fastify`). `BENCH_STORE` picks where sessions live:
 * `none` runs cookie mode (data sealed in the cookie), `memory` store mode with the
 * MemoryStore, as the node:http rows of the same names do.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { fastifySessions } from '../../src/adapters/fastify/index.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

const kind = process.env.BENCH_STORE;
if (kind !== 'none' && kind !== 'memory') throw new Error('BENCH_STORE must be none or memory');
const mode = benchMode();
const app = Fastify();
// Default cookie options: servers run with NODE_ENV=production (always Secure), as the
// node:http rows do.
await app.register(fastifySessions, {
  secrets: [benchSecret()],
  ...(kind === 'memory' ? { store: new MemoryStore() } : {}),
});
const counter = (request: FastifyRequest, reply: FastifyReply): void => {
  const data = request.session.data;
  const count = nextCount(request.url, mode, data.count);
  if (count !== data.count) data.count = count;
  reply.send(String(count));
};
app.get('/', counter);
app.get('/init', counter);
await app.ready();
serve(app.server, () => app.sessions.engine.verifiedCacheStats());
