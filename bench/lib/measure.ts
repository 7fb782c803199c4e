/**
 * One measurement of one row: obtain and verify session cookies, warm up, sample the
 * server's CPU time around a wrk run, and verify the cookies are still accepted after.
 */
import { join } from 'node:path';
import type { VerifiedCacheStats } from '../../src/session/verified-cache.js';
import {
  type CheckedRow,
  obtainVerifiedCookies,
  RowCheckError,
  verifyStillAccepted,
} from './check.js';
import { foreignShare, readCpuTicks } from './cpu-stat.js';
import type { ServerProcess } from './server-process.js';
import { runWrk } from './wrk.js';
import { writeCookieRotationScript } from './wrk-script.js';

/** What one repetition of one row measured. */
export interface Sample {
  readonly rps: number;
  readonly p99Us: number;
  /** Server user+system CPU time per completed request, in microseconds. */
  readonly cpuUsPerRequest: number;
  /** Share of the server's CPU taken by other processes meanwhile (null: unknown). */
  readonly foreignCpu: number | null;
  /** Tessera rows: the verified-cookie cache during the measured run (null: no cache). */
  readonly cache: CacheSample | null;
}

/** The verified-cookie cache over one measured run. */
export interface CacheSample {
  /** Share of the run's lookups that hit (NaN if there was none). */
  readonly hitRate: number;
  /** Entries and bytes of cookie values held at the end of the run. */
  readonly entries: number;
  readonly valueBytes: number;
}

/** Load settings shared by every measurement of a run. */
export interface LoadSettings {
  readonly durationS: number;
  readonly warmupS: number;
  readonly connections: number;
  /** Distinct sessions the load rotates through (1 = one replayed cookie). */
  readonly sessions: number;
  readonly loadCpu: string | null;
  /** CPU the server is pinned to, whose counters tell how much else ran there. */
  readonly serverCpu: string | null;
  /** Scratch directory for wrk scripts. */
  readonly workDir: string;
}

/** Something read right around the measured wrk run, such as Redis' command counters. */
export interface LoadObserver {
  /** Called right before the measured run (after the warm-up). */
  readonly before: () => Promise<void>;
  /** Called right after it, with the requests wrk completed and a cookie the load sent. */
  readonly after: (requests: number, cookie: string | null) => Promise<void>;
}

/** Measures `row` once against its running `server`; throws RowCheckError on a bad row. */
export async function measureOnce(
  row: CheckedRow & { readonly id: string },
  server: ServerProcess,
  load: LoadSettings,
  observer?: LoadObserver,
): Promise<Sample> {
  const cookies = await obtainVerifiedCookies(server.port, row, load.sessions);
  let script: string | null = null;
  if (cookies.length > 1) {
    script = join(load.workDir, `${row.id}.lua`);
    writeCookieRotationScript(script, cookies);
  }
  const wrk = {
    url: `http://127.0.0.1:${server.port}/`,
    connections: load.connections,
    cookie: cookies.length === 1 ? cookies[0]! : null,
    script,
    cpu: load.loadCpu,
  };
  if (load.warmupS > 0) await runWrk({ ...wrk, durationS: load.warmupS });
  await observer?.before();
  const cacheBefore = await server.cacheStats();
  const before = await server.cpuUs();
  const ticksBefore = readCpuTicks(load.serverCpu);
  const result = await runWrk({ ...wrk, durationS: load.durationS });
  const ticksAfter = readCpuTicks(load.serverCpu);
  const after = await server.cpuUs();
  const cacheAfter = await server.cacheStats();
  const exited = server.exited();
  if (exited !== null) throw new RowCheckError(exited);
  if (result.requests === 0) throw new RowCheckError('wrk completed no request');
  if (result.non2xx > 0) throw new RowCheckError(`${result.non2xx} non-2xx responses under load`);
  if (result.socketErrors.connect > 0 || result.socketErrors.timeout > 0) {
    throw new RowCheckError(`socket errors under load: ${JSON.stringify(result.socketErrors)}`);
  }
  await observer?.after(result.requests, cookies[0] ?? null);
  // The first and the last session stand for all of them after the load.
  for (const cookie of new Set([cookies[0] ?? null, cookies.at(-1) ?? null])) {
    await verifyStillAccepted(server.port, row, cookie);
  }
  return {
    rps: result.rps,
    p99Us: result.p99Us,
    cpuUsPerRequest: (after - before) / result.requests,
    foreignCpu: foreignShare(ticksBefore, ticksAfter, after - before),
    cache: cacheSample(cacheBefore, cacheAfter),
  };
}

function cacheSample(
  before: VerifiedCacheStats | null,
  after: VerifiedCacheStats | null,
): CacheSample | null {
  if (before === null || after === null) return null;
  const hits = after.hits - before.hits;
  const lookups = hits + after.misses - before.misses;
  return { hitRate: hits / lookups, entries: after.entries, valueBytes: after.valueBytes };
}
