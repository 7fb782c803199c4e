/**
 * Turns the samples of all repetitions into one line per row. Ratios and overheads are
 * computed within each repetition (row vs its baseline measured minutes apart at most)
 * and only then reduced to a median, so slow drift on a shared machine cancels out.
 */
import { REFERENCE_ROW, type Row } from '../rows.js';
import type { CacheSample, Sample } from './measure.js';
import { median } from './stats.js';

/** The samples of one row, indexed by repetition (undefined where it was not measured). */
export type SampleTable = ReadonlyMap<string, readonly (Sample | undefined)[]>;

/** Medians for one row. */
export interface RowSummary {
  readonly row: Row;
  readonly reps: number;
  readonly rps: number;
  readonly p99Us: number;
  /** Throughput relative to bare node:http. */
  readonly ratio: number;
  readonly cpuUs: number;
  /** Server CPU µs per request above the bare server of the same framework. */
  readonly overheadUs: number;
  /**
   * Best-case overhead: the row's lowest CPU per request minus its baseline's lowest.
   * Noise on a shared machine only ever adds CPU time, so this is the better estimate
   * of the intrinsic cost when other work disturbed some repetitions.
   */
  readonly bestOverheadUs: number;
  /** Median share of the server's CPU that other processes took (null: unknown). */
  readonly foreignCpu: number | null;
  /** Why the row was aborted, or null. */
  readonly failure: string | null;
  /** Tessera rows: the verified-cookie cache (medians over repetitions), else null. */
  readonly cache: CacheSample | null;
}

function paired(
  own: readonly (Sample | undefined)[],
  other: readonly (Sample | undefined)[] | undefined,
  combine: (a: Sample, b: Sample) => number,
): number[] {
  const out: number[] = [];
  own.forEach((sample, rep) => {
    const base = other?.[rep];
    if (sample && base) out.push(combine(sample, base));
  });
  return out;
}

function measured(samples: readonly (Sample | undefined)[]): Sample[] {
  return samples.filter((s): s is Sample => s !== undefined);
}

function lowestCpu(samples: readonly Sample[]): number {
  return samples.length === 0 ? Number.NaN : Math.min(...samples.map((s) => s.cpuUsPerRequest));
}

/** One summary per row, in row order. */
export function summarize(
  rows: readonly Row[],
  samples: SampleTable,
  failures: ReadonlyMap<string, string>,
): RowSummary[] {
  return rows.map((row) => {
    const own = samples.get(row.id) ?? [];
    const present = measured(own);
    const baseline = measured(samples.get(row.baseline) ?? []);
    const foreign = present.flatMap((s) => (s.foreignCpu === null ? [] : [s.foreignCpu]));
    return {
      row,
      reps: present.length,
      rps: median(present.map((s) => s.rps)),
      p99Us: median(present.map((s) => s.p99Us)),
      ratio: median(paired(own, samples.get(REFERENCE_ROW), (a, b) => a.rps / b.rps)),
      cpuUs: median(present.map((s) => s.cpuUsPerRequest)),
      overheadUs: median(
        paired(own, samples.get(row.baseline), (a, b) => a.cpuUsPerRequest - b.cpuUsPerRequest),
      ),
      bestOverheadUs: lowestCpu(present) - lowestCpu(baseline),
      foreignCpu: foreign.length > 0 ? median(foreign) : null,
      failure: failures.get(row.id) ?? null,
      cache: cacheMedians(present),
    };
  });
}

function cacheMedians(samples: readonly Sample[]): CacheSample | null {
  const caches = samples.flatMap((s) => (s.cache === null ? [] : [s.cache]));
  if (caches.length === 0) return null;
  return {
    hitRate: median(caches.map((c) => c.hitRate)),
    entries: median(caches.map((c) => c.entries)),
    valueBytes: median(caches.map((c) => c.valueBytes)),
  };
}
