/**
 * The sign-in storm's part of the report: medians over the repetitions, and the ratios
 * that answer the question (does hashing starve other requests?), computed within each
 * repetition first, as the table's ratios are (summary.ts).
 */
import { defaultHasher } from '../../src/auth/password/create.js';
import { type AuthStormSample, STORM_LEAD_S } from './auth-storm.js';
import { median } from './stats.js';

/** Medians of the storm's repetitions. */
export interface AuthStormSummary {
  readonly reps: number;
  readonly meAloneRps: number;
  readonly meAloneP99Us: number;
  readonly signInsPerS: number;
  readonly stormP99Us: number;
  readonly cpuUsPerSignIn: number;
  readonly meDuringRps: number;
  readonly meDuringP99Us: number;
  readonly signInsDuringPerS: number;
  /** `GET /me` p99 during the storm ÷ alone. */
  readonly p99Ratio: number;
  /** `GET /me` requests/s during the storm ÷ alone. */
  readonly rpsRatio: number;
  /** Sign-ins/s during `GET /me` load ÷ alone. */
  readonly signInRatio: number;
  /** 503 answers to the storm, summed over the repetitions (alone, during). */
  readonly unavailableAlone: number;
  readonly unavailableDuring: number;
  /** Median share of the server's CPU other processes took in the third window. */
  readonly foreignCpuDuring: number | null;
}

/** Reduces the repetitions (undefined where one failed) to medians and ratios. */
export function summarizeAuthStorm(
  samples: readonly (AuthStormSample | undefined)[],
): AuthStormSummary {
  const present = samples.filter((s): s is AuthStormSample => s !== undefined);
  const of = (pick: (s: AuthStormSample) => number): number => median(present.map(pick));
  const sum = (pick: (s: AuthStormSample) => number): number =>
    present.reduce((total, s) => total + pick(s), 0);
  const foreign = present.flatMap((s) => (s.foreignCpuDuring === null ? [] : [s.foreignCpuDuring]));
  return {
    reps: present.length,
    meAloneRps: of((s) => s.meAlone.rps),
    meAloneP99Us: of((s) => s.meAlone.p99Us),
    signInsPerS: of((s) => s.stormAlone.signInsPerS),
    stormP99Us: of((s) => s.stormAlone.p99Us),
    cpuUsPerSignIn: of((s) => s.cpuUsPerSignIn),
    meDuringRps: of((s) => s.meDuringStorm.rps),
    meDuringP99Us: of((s) => s.meDuringStorm.p99Us),
    signInsDuringPerS: of((s) => s.stormDuringMe.signInsPerS),
    p99Ratio: of((s) => s.meDuringStorm.p99Us / s.meAlone.p99Us),
    rpsRatio: of((s) => s.meDuringStorm.rps / s.meAlone.rps),
    signInRatio: of((s) => s.stormDuringMe.signInsPerS / s.stormAlone.signInsPerS),
    unavailableAlone: sum((s) => s.stormAlone.unavailable),
    unavailableDuring: sum((s) => s.stormDuringMe.unavailable),
    foreignCpuDuring: foreign.length > 0 ? median(foreign) : null,
  };
}

/**
 * What the servers' default hasher makes: its PHC prefix (algorithm, version and
 * parameters, without salt and hash), from one hash made here. The runner resolves
 * `@node-rs/argon2` from the same node_modules as the servers.
 */
export async function defaultHasherFacts(): Promise<string> {
  const hash = await (await defaultHasher()).hash('benchmark hasher probe');
  return hash.split('$').slice(0, -2).join('$');
}

const fmt = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const count = (n: number): string =>
  Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–';
const latency = (us: number): string =>
  us >= 1000 ? `${fmt(us / 1000, 2)} ms` : `${fmt(us, 0)} µs`;

/** Facts the storm's section states besides the figures. */
export interface AuthStormFacts {
  /** From {@link defaultHasherFacts}. */
  readonly hasher: string;
  readonly connections: number;
  /** Why the storm failed, or null. */
  readonly failure: string | null;
}

/** The storm's section of the report. */
export function authStormLines(summary: AuthStormSummary, facts: AuthStormFacts): string[] {
  const threadpool = process.env.UV_THREADPOOL_SIZE ?? '4 (default)';
  const lines = [
    '### Authentication: sign-in storm',
    '',
    `Default hasher \`${facts.hasher}\`, libuv threadpool ${threadpool}; ` +
      `two wrk processes of -c${facts.connections} each, on the wrk CPU; ` +
      `server (event loop and threadpool) on the server CPU; ${summary.reps} rep(s), medians.`,
    '',
  ];
  if (facts.failure !== null && summary.reps === 0) {
    lines.push(`FAILED: ${facts.failure}`);
    return lines;
  }
  if (facts.failure !== null) lines.push(`FAILED in some repetitions: ${facts.failure}`, '');
  lines.push(
    '| Window | GET /me req/s | GET /me p99 | sign-ins/s | sign-in p99 | sign-ins refused 503 |',
    '|---|---:|---:|---:|---:|---:|',
    `| GET /me alone | ${count(summary.meAloneRps)} | ${latency(summary.meAloneP99Us)} | | | |`,
    `| sign-in storm alone | | | ${fmt(summary.signInsPerS, 1)} | ${latency(summary.stormP99Us)} | ${summary.unavailableAlone} |`,
    `| both at once | ${count(summary.meDuringRps)} | ${latency(summary.meDuringP99Us)} | ` +
      `${fmt(summary.signInsDuringPerS, 1)} | | ${summary.unavailableDuring} |`,
    '',
    `- GET /me p99 during the storm: ${fmt(summary.p99Ratio, 2)}× its p99 alone`,
    `- GET /me req/s during the storm: ${fmt(summary.rpsRatio, 2)}× alone; ` +
      `sign-ins/s during GET /me load: ${fmt(summary.signInRatio, 2)}× alone`,
    `- server CPU per sign-in (all threads, hashing included): ${fmt(summary.cpuUsPerSignIn / 1000, 1)} ms`,
    `- other load on the server CPU while both ran: ${
      summary.foreignCpuDuring === null ? 'n/a' : `${fmt(100 * summary.foreignCpuDuring, 0)} %`
    }`,
    `- in "both at once" the storm starts ${STORM_LEAD_S} s ahead of GET /me (to be in its ` +
      'steady state); its sign-ins/s cover its whole run',
    '- 503s are the hasher shedding load (its queue was full), not errors of the run.',
  );
  return lines;
}
