/**
 * Peer: express-session 1.x with connect-redis 9 (which drives a node-redis v5 client)
 * on Express 5, configured the way their READMEs recommend (no resave, no uninitialized
 * sessions), on the runner's private Redis under a per-run key prefix.
 */
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { benchEnv } from '../lib/serve.js';
import { serveExpressSession } from './express-session-app.js';

const client = createClient({ url: benchEnv('BENCH_REDIS_URL') });
// node-redis re-throws unhandled 'error' events; a lost Redis shows as failed requests.
client.on('error', () => {});
await client.connect();

serveExpressSession(new RedisStore({ client, prefix: benchEnv('BENCH_REDIS_PREFIX') }));
