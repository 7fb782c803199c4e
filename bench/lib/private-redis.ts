/**
 * A Redis server of the benchmark's own, for the Redis rows: `INFO commandstats` counts
 * every client of a server, so a shared Redis (tests running meanwhile) would put other
 * people's commands into a row's counts. This one listens on a free loopback port, keeps
 * nothing on disk, runs on the load generator's CPU (like wrk, it is not part of the
 * server being measured) and is killed at the end of the run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { parseCommandStats } from './commandstats.js';
import { pinned } from './pinning.js';
import type { MonitorSample } from './round-trips.js';

const START_TIMEOUT_MS = 10_000;
/** Time for MONITOR lines of a probe's commands to arrive after its response. */
const MONITOR_SETTLE_MS = 100;

/** A running private Redis. */
export interface PrivateRedis {
  /** `redis://127.0.0.1:<port>`, for the servers. */
  readonly url: string;
  /** `redis_version` of the server, for the report. */
  readonly version: string;
  /** Calls per command so far (`INFO commandstats`). */
  readonly commandStats: () => Promise<Map<string, number>>;
  /** Which command names clients sent and scripts ran while `action` ran (MONITOR). */
  readonly monitor: (action: () => Promise<unknown>) => Promise<MonitorSample>;
  readonly stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function connect(port: number, exited: () => string | null): Promise<Redis> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const client = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      return client;
    } catch (error) {
      client.disconnect();
      const reason = exited();
      if (reason !== null) throw new Error(reason);
      if (Date.now() > deadline) throw new Error(`redis-server not reachable: ${error}`);
      await delay(50);
    }
  }
}

/** Starts `redis-server` (which must be on PATH) pinned to `cpu`, working in `dir`. */
export async function startPrivateRedis(cpu: string | null, dir: string): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error) {
    throw new Error('redis-server not found on PATH (Debian/Ubuntu: apt-get install redis-server)');
  }
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const [command, argv] = pinned(cpu, 'redis-server', [
    ...args,
    '--dir',
    dir,
    '--loglevel',
    'warning',
  ]);
  const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  let exitReason: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.on('error', (error) => {
      exitReason = `cannot run redis-server: ${error.message}`;
      resolve();
    });
    child.on('exit', (code, signal) => {
      exitReason ??= `redis-server exited (code ${code}, signal ${signal})`;
      resolve();
    });
  });
  const stop = async (): Promise<void> => {
    if (exitReason === null) child.kill('SIGTERM');
    await exited;
  };
  let client: Redis;
  try {
    client = await connect(port, () => exitReason);
  } catch (error) {
    await stop();
    throw error;
  }
  const server = String(await client.info('server'));
  return {
    url: `redis://127.0.0.1:${port}`,
    version: /^redis_version:(\S+)/m.exec(server)?.[1] ?? 'unknown',
    commandStats: async () => parseCommandStats(String(await client.info('commandstats'))),
    monitor: async (action) => {
      const monitor = await client.monitor();
      const direct = new Set<string>();
      const scripted = new Set<string>();
      monitor.on('monitor', (_time: string, argv: string[], source: string) => {
        const name = argv[0]?.toLowerCase();
        if (name) (source === 'lua' ? scripted : direct).add(name);
      });
      try {
        await action();
        await delay(MONITOR_SETTLE_MS);
      } finally {
        monitor.disconnect();
      }
      return { direct, scripted };
    },
    stop: async () => {
      client.disconnect();
      await stop();
    },
  };
}
