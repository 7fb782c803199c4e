/**
 * The real services the integration suites run against, and the loud-skip rule: an
 * unreachable service skips its suite with the reason, unless
 * `TESSERA_REQUIRE_SERVICES=1` (CI), where it fails the run instead.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A skip reason, or a thrown error when services are required. */
function unavailable(reason: string): string {
  if (process.env.TESSERA_REQUIRE_SERVICES === '1') throw new Error(reason);
  return reason;
}

/** `false` when Redis answers PING at {@link REDIS_URL}, else why not. */
export async function probeRedis(): Promise<string | false> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return false;
  } catch (error) {
    return unavailable(`Redis unreachable at ${REDIS_URL}: ${(error as Error).message}`);
  } finally {
    client.disconnect();
  }
}

/** `false` when PostgreSQL accepts a connection at {@link DATABASE_URL}, else why not. */
export async function probePostgres(): Promise<string | false> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return false;
  } catch (error) {
    return unavailable(`PostgreSQL unreachable at ${DATABASE_URL}: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** `false` when a `redis-server` binary can be started, else why not. */
export function probeRedisServerBinary(): string | false {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return false;
  return unavailable('redis-server is not installed: the Redis outage tests start their own');
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Retries `attempt` every 100 ms until it returns true or `deadline` ms have passed.
 * Only a bound on how long to wait for recovery; nothing asserts how fast it was.
 */
export async function waitUntil(
  attempt: () => Promise<boolean>,
  deadline: number,
  what: string,
): Promise<void> {
  const end = Date.now() + deadline;
  for (;;) {
    if (await attempt().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
