/**
 * Redis commands per request of one row, from `INFO commandstats` read around each
 * measured window, and the check of a row's expected round trips.
 *
 * Redis counts a command that a Lua script runs under its own name, so an EVALSHA that
 * runs HGET twice shows up as `evalsha 1, hget 2`: one round trip, three counted
 * commands. Which names ran inside a script is taken from MONITOR, which marks them
 * `[0 lua]`, during one probe request per window (see private-redis.ts).
 */
import type { CommandCalls } from './commandstats.js';

/** The command names MONITOR saw during a probe request, by who sent them. */
export interface MonitorSample {
  /** Sent by a client: each is one round trip. */
  readonly direct: ReadonlySet<string>;
  /** Run by a Lua script (`[0 lua]`), inside the round trip of an EVAL/EVALSHA. */
  readonly scripted: ReadonlySet<string>;
}

/** Everything counted for one row, summed over its measured windows. */
export interface CommandTally {
  /** Requests wrk completed inside the windows. */
  requests: number;
  /**
   * Requests the server may have served at the edges of the windows without wrk counting
   * them (the tail of the warm-up, the requests in flight when wrk stopped): at most one
   * per connection at each edge. Their commands can only add to the counts.
   */
  edgeRequests: number;
  readonly calls: Map<string, number>;
  readonly direct: Set<string>;
  readonly scripted: Set<string>;
}

/** One command's rate in a tally. */
export interface CommandRate {
  readonly name: string;
  readonly perRequest: number;
  /** True when the command only ever ran inside a script (not a round trip of its own). */
  readonly inScript: boolean;
}

export function emptyTally(): CommandTally {
  return { requests: 0, edgeRequests: 0, calls: new Map(), direct: new Set(), scripted: new Set() };
}

/** Adds one measured window: its command counts and the requests wrk completed. */
export function addWindow(
  tally: CommandTally,
  delta: CommandCalls,
  requests: number,
  edgeRequests: number,
  sample: MonitorSample,
): void {
  tally.requests += requests;
  tally.edgeRequests += edgeRequests;
  for (const [name, calls] of delta) tally.calls.set(name, (tally.calls.get(name) ?? 0) + calls);
  for (const name of sample.direct) tally.direct.add(name);
  for (const name of sample.scripted) tally.scripted.add(name);
}

/** A name seen both ways counts as a round trip: the check must not excuse a real one. */
function inScript(tally: CommandTally, name: string): boolean {
  return tally.scripted.has(name) && !tally.direct.has(name);
}

/** Commands per request, round trips first, each group by decreasing rate. */
export function commandRates(tally: CommandTally): CommandRate[] {
  return [...tally.calls]
    .map(([name, calls]) => ({
      name,
      perRequest: calls / tally.requests,
      inScript: inScript(tally, name),
    }))
    .sort((a, b) => Number(a.inScript) - Number(b.inScript) || b.perRequest - a.perRequest);
}

/** Client commands (round trips to Redis) per request. */
export function roundTripsPerRequest(tally: CommandTally): number {
  let calls = 0;
  for (const [name, n] of tally.calls) if (!inScript(tally, name)) calls += n;
  return calls / tally.requests;
}

/**
 * Problems with a row whose requests must each send exactly `expected` client commands
 * (e.g. `{ hgetall: 1 }`) and no other; an empty list means PASS. Counts may exceed
 * `expected × requests` by the edge requests only, and may never fall short of it.
 */
export function checkCalls(
  tally: CommandTally,
  expected: Readonly<Record<string, number>>,
): string[] {
  if (tally.requests === 0) return ['not measured'];
  const problems: string[] = [];
  if (tally.direct.size === 0) problems.push('MONITOR saw no command during the probe request');
  const rate = (n: number): string => (n / tally.requests).toFixed(3);
  for (const [name, perRequest] of Object.entries(expected)) {
    const calls = tally.calls.get(name) ?? 0;
    const low = perRequest * tally.requests;
    const high = perRequest * (tally.requests + tally.edgeRequests);
    if (calls < low || calls > high) {
      problems.push(`${name.toUpperCase()} ${rate(calls)}/request, expected ${perRequest}`);
    }
  }
  for (const [name, calls] of tally.calls) {
    if (name in expected || inScript(tally, name)) continue;
    problems.push(`unexpected ${name.toUpperCase()} ${rate(calls)}/request (${calls} calls)`);
  }
  return problems;
}
