/**
 * Tessera on plain node:http. `BENCH_STORE` picks where sessions live: `none` runs
 * cookie mode (data sealed in the cookie); `memory`, `redis`, `postgres` and `sqlite` run
 * store mode with that store, reached through the variables the runner sets
 * (bench/lib/backends.ts).
 */
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { nodeSessions } from '../../src/adapters/node/index.js';
import type { SessionStore } from '../../src/stores/contract.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { postgresStore } from '../../src/stores/postgres/index.js';
import { redisStore } from '../../src/stores/redis/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { benchEnv, benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

function store(kind: string | undefined): SessionStore | undefined {
  switch (kind) {
    case 'none':
      return undefined;
    case 'memory':
      return new MemoryStore();
    case 'redis': {
      // An application's own ioredis client, with the options `redisStore({ url })` would
      // use. Not `url` itself: the store then imports ioredis by a computed specifier,
      // which resolves from the built server's directory, outside node_modules' reach.
      const client = new Redis(benchEnv('BENCH_REDIS_URL'), { maxRetriesPerRequest: 1 });
      client.on('error', () => {});
      return redisStore({ client, prefix: benchEnv('BENCH_REDIS_PREFIX') });
    }
    case 'postgres':
      return postgresStore({
        connectionString: benchEnv('BENCH_PG_URL'),
        tableName: benchEnv('BENCH_PG_TABLE'),
      });
    case 'sqlite':
      return sqliteStore({ filename: benchEnv('BENCH_SQLITE_FILE') });
    default:
      throw new Error('BENCH_STORE must be none, memory, redis, postgres or sqlite');
  }
}

const mode = benchMode();
const sessionStore = store(process.env.BENCH_STORE);

const sessions = nodeSessions<{ count: number }>({
  secrets: [benchSecret()],
  ...(sessionStore === undefined ? {} : { store: sessionStore }),
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
  () => sessions.engine.verifiedCacheStats(),
);
