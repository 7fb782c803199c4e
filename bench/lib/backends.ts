/**
 * The stores behind the persistent-store rows, prepared once per run: a private Redis
 * (private-redis.ts), a PostgreSQL table per row in `DATABASE_URL`'s database, a SQLite
 * file per row in the run's scratch directory. Every name carries a random run id, so a
 * run never reads what an earlier (or a concurrent) one left, and `cleanup()` removes it
 * all: the Redis server with its memory, the tables, the files.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Backend, Row } from '../rows.js';
import { commandDelta } from './commandstats.js';
import type { LoadObserver } from './measure.js';
import { type PrivateRedis, startPrivateRedis } from './private-redis.js';
import { probe } from './probe.js';
import { addWindow, type CommandTally, emptyTally } from './round-trips.js';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The stores of one run. */
export interface Backends {
  /** Environment naming the row's store; throws when that store could not be prepared. */
  readonly env: (row: Row) => Record<string, string>;
  /** For Redis rows, an observer adding each window's command counts to `tallies`. */
  readonly observer: (row: Row, port: number) => LoadObserver | undefined;
  /** Redis command counts per row id, over all measured windows. */
  readonly tallies: ReadonlyMap<string, CommandTally>;
  /** Server versions, for the report. */
  readonly facts: () => string[];
  /** Stops Redis, drops the tables, deletes the files. Call after the servers stopped. */
  readonly cleanup: () => Promise<void>;
}

/** What the backends need from the run. */
export interface BackendSettings {
  readonly workDir: string;
  /** CPU for the private Redis: the load generator's, not the measured server's. */
  readonly loadCpu: string | null;
  /** wrk connections: how many uncounted requests each edge of a window can hold. */
  readonly connections: number;
}

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end().catch(() => {});
  }
}

/** Starts or checks the backends that `rows` need; a failure only fails those rows. */
export async function prepareBackends(
  rows: readonly Row[],
  settings: BackendSettings,
): Promise<Backends> {
  const needed = new Set(rows.flatMap((row) => (row.backend ? [row.backend] : [])));
  const runId = randomBytes(4).toString('hex');
  const pgUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const unavailable = new Map<Backend, string>();
  let redis: PrivateRedis | null = null;
  let pgVersion: string | null = null;
  if (needed.has('redis')) {
    try {
      redis = await startPrivateRedis(settings.loadCpu, join(settings.workDir, 'redis'));
    } catch (error) {
      unavailable.set('redis', `private Redis: ${message(error)}`);
    }
  }
  if (needed.has('postgres')) {
    try {
      pgVersion = await postgresVersion(pgUrl);
    } catch (error) {
      // The URL may hold a password: only the driver's message is reported, never the URL.
      unavailable.set('postgres', `PostgreSQL: ${message(error)}`);
    }
  }
  if (needed.has('sqlite')) mkdirSync(join(settings.workDir, 'sqlite'), { recursive: true });
  const table = (row: Row): string => `tessera_bench_${runId}_${row.id.replace(/\W/g, '_')}`;
  const tables = rows.filter((row) => row.backend === 'postgres').map(table);
  const tallies = new Map<string, CommandTally>();

  return {
    env: (row) => {
      if (!row.backend) return {};
      const reason = unavailable.get(row.backend);
      if (reason !== undefined) throw new Error(reason);
      if (row.backend === 'redis') {
        return { BENCH_REDIS_URL: redis!.url, BENCH_REDIS_PREFIX: `bench:${runId}:${row.id}:` };
      }
      if (row.backend === 'postgres') return { BENCH_PG_URL: pgUrl, BENCH_PG_TABLE: table(row) };
      return { BENCH_SQLITE_FILE: join(settings.workDir, 'sqlite', `${row.id}.db`) };
    },
    observer: (row, port) => {
      if (row.backend !== 'redis' || redis === null) return undefined;
      const server = redis;
      const tally = tallies.get(row.id) ?? emptyTally();
      tallies.set(row.id, tally);
      let before = new Map<string, number>();
      return {
        before: async () => {
          before = await server.commandStats();
        },
        after: async (requests, cookie) => {
          const delta = commandDelta(before, await server.commandStats());
          // One more request of the same kind, watched, to tell round trips apart from
          // the commands scripts run inside them.
          const sample = await server.monitor(() => probe(port, '/', cookie));
          addWindow(tally, delta, requests, 2 * settings.connections, sample);
        },
      };
    },
    tallies,
    facts: () => [
      ...(redis ? [`- redis-server ${redis.version} (private to the run, on the wrk CPU)`] : []),
      ...(pgVersion ? [`- PostgreSQL ${pgVersion} (shared system service, not pinned)`] : []),
    ],
    cleanup: async () => {
      await redis?.stop();
      if (tables.length > 0 && pgVersion !== null) {
        const client = new pg.Client({ connectionString: pgUrl });
        try {
          await client.connect();
          for (const name of tables) await client.query(`DROP TABLE IF EXISTS "${name}"`);
        } catch (error) {
          process.stderr.write(`could not drop the benchmark tables: ${message(error)}\n`);
        } finally {
          await client.end().catch(() => {});
        }
      }
      rmSync(join(settings.workDir, 'sqlite'), { recursive: true, force: true });
      rmSync(join(settings.workDir, 'redis'), { recursive: true, force: true });
    },
  };
}
