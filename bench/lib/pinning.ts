import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

/** Which CPUs the server and the load generator are pinned to, if pinning is possible. */
export interface Pinning {
  /** `taskset` CPU list for the server process, or null to run unpinned. */
  readonly serverCpu: string | null;
  /** `taskset` CPU list for wrk, or null to run unpinned. */
  readonly loadCpu: string | null;
}

/**
 * Server on CPU 0 and wrk on CPU 1, so neither steals the other's cycles; without
 * `taskset` or with a single CPU both run wherever the scheduler puts them.
 */
export function detectPinning(): Pinning {
  const hasTaskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasTaskset || cpus().length < 2) return { serverCpu: null, loadCpu: null };
  return { serverCpu: '0', loadCpu: '1' };
}

/** Prefixes `command args` with `taskset -c <cpu>` when a CPU is given. */
export function pinned(
  cpu: string | null,
  command: string,
  args: readonly string[],
): [string, string[]] {
  return cpu === null ? [command, [...args]] : ['taskset', ['-c', cpu, command, ...args]];
}
