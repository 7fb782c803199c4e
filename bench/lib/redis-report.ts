/** Markdown for the Redis rows: commands per request from INFO commandstats, and checks. */
import type { Row } from '../rows.js';
import {
  type CommandTally,
  checkCalls,
  commandRates,
  roundTripsPerRequest,
} from './round-trips.js';

/** The section, and whether a checked row failed (the smoke run then exits non-zero). */
export interface RedisReport {
  readonly lines: string[];
  readonly failed: boolean;
}

const rate = (n: number): string => n.toFixed(3);

function listed(rates: { name: string; perRequest: number }[]): string {
  return rates.length === 0
    ? '–'
    : rates.map((r) => `${r.name.toUpperCase()} ${rate(r.perRequest)}`).join(', ');
}

function expectation(calls: Readonly<Record<string, number>>): string {
  const names = Object.entries(calls).map(([name, n]) => `${n} ${name.toUpperCase()}`);
  return `exactly ${names.join(' + ')} per request, no other client command`;
}

/** The table and the PASS/FAIL lines for every Redis row of the run. */
export function redisReport(
  rows: readonly Row[],
  tallies: ReadonlyMap<string, CommandTally>,
): RedisReport {
  const redisRows = rows.filter((row) => row.backend === 'redis');
  if (redisRows.length === 0) return { lines: [], failed: false };
  const lines = [
    '### Redis commands per request (INFO commandstats)',
    '',
    '| Row | requests | round trips/req | client commands/req | run inside scripts/req | check |',
    '|---|---:|---:|---|---|---|',
  ];
  const checks: string[] = [];
  let failed = false;
  for (const row of redisRows) {
    const tally = tallies.get(row.id);
    const problems = row.redisCalls && tally ? checkCalls(tally, row.redisCalls) : ['not measured'];
    const verdict =
      row.redisCalls === undefined ? 'not checked' : problems.length ? 'FAIL' : 'PASS';
    if (row.redisCalls !== undefined) {
      failed ||= problems.length > 0;
      checks.push(
        `- ${verdict} ${row.label}: ${expectation(row.redisCalls)}` +
          (problems.length > 0 ? ` — ${problems.join('; ')}` : ''),
      );
    }
    if (tally === undefined || tally.requests === 0) {
      lines.push(`| ${row.label} | not measured | | | | ${verdict} |`);
      continue;
    }
    const rates = commandRates(tally);
    const cells = [
      row.label,
      tally.requests.toLocaleString('en-US'),
      rate(roundTripsPerRequest(tally)),
      listed(rates.filter((r) => !r.inScript)),
      listed(rates.filter((r) => r.inScript)),
      verdict,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    'Counted on the run’s private Redis between right before and right after each measured ' +
      'window, summed over the repetitions, divided by the requests wrk completed (requests ' +
      'in flight at the window edges can add at most ' +
      '2 × connections per window, never subtract). Redis counts the commands a script runs ' +
      'under their own names; MONITOR, during one probe request per window, tells those ' +
      '(`[0 lua]`) apart from round trips.',
    '',
    ...checks,
  );
  return { lines, failed };
}
