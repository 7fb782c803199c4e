/**
 * A child server process for the cross-process suites: the shared test app
 * (test/support/app.ts) over a persistent store, configured by the JSON in
 * `TESSERA_IT_CONFIG`. Run with `node --import tsx test/integration/server-process.ts`.
 *
 * Protocol on stdout, one JSON object per line:
 *   {"url":"http://127.0.0.1:<port>"}   once listening
 *   {"errors":["STORE_UNAVAILABLE",...]} on shutdown: codes of errors the app answered
 *                                        with a 5xx (no messages, no cookie values)
 * It shuts down when its stdin ends (the parent closed it, or the parent died) or on
 * SIGTERM, so it never outlives the test run.
 */
import type { SessionStore } from '../../src/stores/contract.js';
import { postgresStore } from '../../src/stores/postgres/index.js';
import { redisStore } from '../../src/stores/redis/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { startApp } from '../support/app.js';

/** What the parent sends in `TESSERA_IT_CONFIG`. */
export type ServerConfig =
  | {
      readonly secret: string;
      readonly backend: 'redis';
      readonly url: string;
      readonly prefix: string;
    }
  | {
      readonly secret: string;
      readonly backend: 'postgres';
      readonly url: string;
      readonly tableName: string;
    }
  | { readonly secret: string; readonly backend: 'sqlite'; readonly filename: string };

function createStore(config: ServerConfig): SessionStore & { ready?: () => Promise<void> } {
  switch (config.backend) {
    case 'redis':
      return redisStore({ url: config.url, prefix: config.prefix });
    case 'postgres':
      return postgresStore({
        connectionString: config.url,
        tableName: config.tableName,
        pruneInterval: 0,
      });
    case 'sqlite':
      return sqliteStore({ filename: config.filename, pruneInterval: 0 });
  }
}

const config = JSON.parse(process.env.TESSERA_IT_CONFIG ?? 'null') as ServerConfig;
const store = createStore(config);
// Open the connection (and create the table) before reporting ready, so both processes
// race on table creation at start-up, as two app instances deploying at once would.
await store.ready?.();
const app = await startApp({ secrets: [config.secret], store, cookie: { secure: false } });
process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await app.close();
  await store.close?.();
  const errors = app.errors.map((error) => (error as { code?: string }).code ?? 'UNKNOWN');
  process.stdout.write(`${JSON.stringify({ errors })}\n`, () => process.exit(0));
}

process.stdin.on('end', shutdown);
process.stdin.resume();
process.on('SIGTERM', shutdown);
