/**
 * Redis `INFO commandstats`, reduced to calls per command name, and the difference
 * between two readings. This is how the benchmark counts the commands a row really
 * sends, rather than trusting what the store's source says it sends.
 *
 * Redis counts a command a Lua script runs under that command's own name, next to the
 * EVALSHA that ran the script; round-trips.ts tells the two apart.
 */

/** Calls per command name (`get`, `evalsha`, `client|setname`), as Redis names them. */
export type CommandCalls = ReadonlyMap<string, number>;

/**
 * Parses the reply of `INFO commandstats` (Redis >= 2.6; subcommands such as
 * `client|setname` appear as their own lines since Redis 7). Lines that are not
 * `cmdstat_<name>:calls=<n>,...` are ignored.
 */
export function parseCommandStats(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):(?:.*,)?calls=(\d+)(?:,|$)/.exec(line.trim());
    if (match) calls.set(match[1]!.toLowerCase(), Number(match[2]));
  }
  return calls;
}

/**
 * Calls made between two readings, per command, leaving out `ignored` names (the
 * reader's own INFO) and commands that were not called in between. A counter that went
 * down means the statistics were reset meanwhile, which would make the counts wrong.
 */
export function commandDelta(
  before: CommandCalls,
  after: CommandCalls,
  ignored: ReadonlySet<string> = new Set(['info']),
): Map<string, number> {
  const delta = new Map<string, number>();
  for (const name of before.keys()) {
    if (!after.has(name)) throw new Error(`commandstats lost "${name}": statistics were reset`);
  }
  for (const [name, calls] of after) {
    if (ignored.has(name)) continue;
    const made = calls - (before.get(name) ?? 0);
    if (made < 0) throw new Error(`commandstats of "${name}" went down: statistics were reset`);
    if (made > 0) delta.set(name, made);
  }
  return delta;
}
