/**
 * The real services the store and integration suites run against, and the loud-skip
 * rule: an unreachable service skips its suite with the reason, unless
 * `TESSERA_REQUIRE_SERVICES=1` (CI), where it fails the run instead.
 *
 * Every probe resolves to `false` when the service is there, or to the skip reason, so
 * its result goes straight into `describe(..., { skip })` or `runStoreConformance`.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';

/** The shared Redis. @default 'redis://127.0.0.1:6379' */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The shared PostgreSQL. @default 'postgres://postgres@127.0.0.1:5432/test' */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The skip policy: returns `reason` to skip with, or throws it when
 * `TESSERA_REQUIRE_SERVICES=1`, so CI never passes by skipping.
 */
export function unavailable(reason: string): string {
  if (process.env.TESSERA_REQUIRE_SERVICES === '1') throw new Error(reason);
  return reason;
}

/** `false` when Redis answers PING at {@link REDIS_URL}, else why not. */
export async function probeRedis(): Promise<string | false> {
  // One attempt, no reconnection: the probe must answer now, not after retries.
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // ioredis rejects with "Connection is closed."; the socket's own error says why.
  let socketError: Error | undefined;
  client.on('error', (error: Error) => {
    socketError = error;
  });
  try {
    await client.connect();
    await client.ping();
    return false;
  } catch (error) {
    const why = (socketError ?? (error as Error)).message;
    return unavailable(`Redis unreachable at ${REDIS_URL}: ${why}`);
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

/**
 * `false` when a `redis-server` binary can be started (for suites that run a private
 * one, see `redis-server.ts`), else why not.
 * @param suite - who needs it, for the skip reason. @default 'these tests'
 */
export function probeRedisServerBinary(suite = 'these tests'): string | false {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return false;
  return unavailable(`redis-server is not installed: ${suite} need it`);
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
 * Retries `attempt` every 100 ms until it returns true or `deadline` ms have passed; a
 * throwing attempt counts as not yet. Only a bound on how long to wait for recovery or
 * start-up; nothing asserts how fast it was.
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
