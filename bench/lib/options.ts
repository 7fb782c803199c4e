import { parseArgs } from 'node:util';

/** Settings of one benchmark run, from the command line. */
export interface BenchOptions {
  /** Quick validation run: ~1 s per row, one repetition, no peers, no targets. */
  readonly smoke: boolean;
  /** Seconds of measured load per row and repetition (wrk takes whole seconds). */
  readonly durationS: number;
  /** Seconds of unmeasured load before each measurement, to let the JIT settle. */
  readonly warmupS: number;
  /** Interleaved repetitions; the table reports medians across them. */
  readonly reps: number;
  /** Concurrent keep-alive connections wrk holds open. */
  readonly connections: number;
  /** Distinct sessions the load rotates through; 1 replays a single cookie. */
  readonly sessions: number;
  /** Only rows whose id or label matches (baselines are added back as needed). */
  readonly only: RegExp | null;
  /** Write a V8 CPU profile per server (distorts the numbers; for finding hot spots). */
  readonly cpuProf: boolean;
}

export const USAGE = `usage: npm run bench -- [--smoke] [--duration <s>] [--warmup <s>] [--reps <n>]
                          [--connections <n>] [--sessions <n>] [--only <regex>]
                          [--cpu-prof]`;

function wholeNumber(value: string | undefined, name: string, fallback: number, min: number) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return n;
}

/** Parses `argv` (without node and script); throws with a usage hint on bad input. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      smoke: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      reps: { type: 'string' },
      connections: { type: 'string' },
      sessions: { type: 'string' },
      only: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const smoke = values.smoke;
  return {
    smoke,
    durationS: wholeNumber(values.duration, 'duration', smoke ? 1 : 5, 1),
    warmupS: wholeNumber(values.warmup, 'warmup', 1, 0),
    reps: wholeNumber(values.reps, 'reps', smoke ? 1 : 3, 1),
    connections: wholeNumber(values.connections, 'connections', 50, 1),
    sessions: wholeNumber(values.sessions, 'sessions', 1, 1),
    only: values.only === undefined ? null : new RegExp(values.only, 'i'),
    cpuProf: values['cpu-prof'],
  };
}
