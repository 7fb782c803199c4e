/**
 * How busy the server's CPU was with *other* work during a measurement, from the
 * kernel's per-CPU counters (/proc/stat, Linux only). On a shared machine this is the
 * first thing to look at when a row's numbers look odd: time another process (or the
 * hypervisor, as steal time) took on the server's core inflates CPU per request.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Kernel tick counters of one CPU. */
export interface CpuTicks {
  /**
   * Ticks spent running processes (user, nice, system) or taken by the hypervisor
   * (steal). Interrupt and softirq time is left out: that is mostly the kernel moving
   * the benchmark's own loopback packets, not another process.
   */
  readonly busy: number;
  /** All ticks, idle included. */
  readonly total: number;
}

let tickUs: number | undefined;

function microsecondsPerTick(): number {
  if (tickUs === undefined) {
    const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout);
    tickUs = 1e6 / (Number.isFinite(hz) && hz > 0 ? hz : 100);
  }
  return tickUs;
}

/** The counters of CPU `cpu` (e.g. '0'), or null where /proc/stat is unavailable. */
export function readCpuTicks(cpu: string | null): CpuTicks | null {
  if (cpu === null) return null;
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const line = stat.split('\n').find((l) => l.startsWith(`cpu${cpu} `));
  if (line === undefined) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + steal;
  return { busy, total: busy + idle + iowait + irq + softirq };
}

/**
 * Share of the CPU's time in the window taken by anything but the server, given the
 * server's own CPU time (µs) in the same window; null without counters.
 */
export function foreignShare(
  before: CpuTicks | null,
  after: CpuTicks | null,
  serverUs: number,
): number | null {
  if (before === null || after === null) return null;
  const totalUs = (after.total - before.total) * microsecondsPerTick();
  if (totalUs <= 0) return null;
  const busyUs = (after.busy - before.busy) * microsecondsPerTick();
  return Math.min(1, Math.max(0, (busyUs - serverUs) / totalUs));
}
