/**
 * Parsing of wrk's human-readable report (wrk 4.x, run with `--latency`).
 *
 * wrk prints counts with metric suffixes (`39.56k`, `1.2M`) and durations with units
 * (`850.00us`, `1.09ms`, `2.00s`), so every number goes through one of the two
 * converters below instead of a bare `Number()`.
 */

/** What one wrk run measured. */
export interface WrkResult {
  /** Completed requests in the measured window. */
  readonly requests: number;
  /** Length of the measured window, in seconds, as wrk reports it. */
  readonly durationS: number;
  /** Mean throughput, requests per second. */
  readonly rps: number;
  /** 99th percentile latency, in microseconds. */
  readonly p99Us: number;
  /** Responses with a status outside 2xx/3xx. */
  readonly non2xx: number;
  /** Socket errors by kind (connect, read, write, timeout); all zero when wrk prints none. */
  readonly socketErrors: Readonly<Record<'connect' | 'read' | 'write' | 'timeout', number>>;
}

const METRIC_SUFFIX: Readonly<Record<string, number>> = { '': 1, k: 1e3, M: 1e6, G: 1e9 };
const TIME_UNIT_US: Readonly<Record<string, number>> = {
  us: 1,
  ms: 1e3,
  s: 1e6,
  m: 60e6,
  h: 3600e6,
};

/** Converts a wrk count such as `39.56k` or `1200` to a number. */
export function parseMetric(text: string): number {
  const match = /^([\d.]+)([kMG]?)$/.exec(text.trim());
  if (!match) throw new Error(`wrk: not a count: "${text}"`);
  return Number(match[1]) * (METRIC_SUFFIX[match[2] ?? ''] ?? 1);
}

/** Converts a wrk duration such as `850.00us`, `1.09ms` or `2.00s` to microseconds. */
export function parseDurationUs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(`wrk: not a duration: "${text}"`);
  return Number(match[1]) * (TIME_UNIT_US[match[2] ?? ''] ?? Number.NaN);
}

function capture(output: string, pattern: RegExp, what: string): string[] {
  const match = pattern.exec(output);
  if (!match) throw new Error(`wrk: report has no ${what}`);
  return match.slice(1).map((group) => group ?? '');
}

/** Parses the report wrk prints to stdout; throws when a required line is missing. */
export function parseWrkOutput(output: string): WrkResult {
  const [requests = '', duration = ''] = capture(
    output,
    /^\s*(\S+) requests in (\S+),/m,
    'request total',
  );
  const [rps = ''] = capture(output, /^Requests\/sec:\s+(\S+)/m, 'Requests/sec line');
  const [p99 = ''] = capture(
    output,
    /^\s*99(?:\.0+)?%\s+(\S+)/m,
    '99th percentile (use --latency)',
  );
  const non2xx = /^\s*Non-2xx or 3xx responses:\s+(\d+)/m.exec(output);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  return {
    requests: parseMetric(requests),
    durationS: parseDurationUs(duration) / 1e6,
    rps: parseMetric(rps),
    p99Us: parseDurationUs(p99),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: {
      connect: Number(errors?.[1] ?? 0),
      read: Number(errors?.[2] ?? 0),
      write: Number(errors?.[3] ?? 0),
      timeout: Number(errors?.[4] ?? 0),
    },
  };
}
