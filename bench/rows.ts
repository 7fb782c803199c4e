/**
 * Every row the benchmark can measure, as data. To add a row (another store, another
 * framework, another peer) add an entry here and, if needed, a server under
 * bench/servers. Overhead is computed against the row named by `baseline`, so a new
 * framework needs its own bare row first.
 */
import type { RowMode, Storage } from './lib/check.js';

/** Per-row targets, checked (informationally) in full runs. */
export interface RowTargets {
  /** Maximum server CPU overhead per request over the baseline, in microseconds. */
  readonly maxOverheadUs: number;
  /** Minimum throughput as a fraction of bare node:http. */
  readonly minRatio?: number;
}

/** One benchmark row. */
export interface Row {
  /** Stable identifier, matched by `--only`. */
  readonly id: string;
  /** Human label for the table. */
  readonly label: string;
  /** Server file under bench/servers. */
  readonly server: string;
  /** Extra environment for the server (BENCH_MODE and BENCH_SECRET are always set). */
  readonly env?: Readonly<Record<string, string>>;
  readonly mode: RowMode;
  readonly storage: Storage;
  /** Which rows are ours, which are baselines, which are other libraries. */
  readonly kind: 'bare' | 'tessera' | 'peer';
  /** Id of the bare row of the same framework, for the overhead column. */
  readonly baseline: string;
  readonly targets?: RowTargets;
}

/** The bare node:http row: the reference for the req/s ratio column. */
export const REFERENCE_ROW = 'node-bare';

function bare(id: string, label: string, server: string): Row {
  return { id, label, server, mode: 'bare', storage: 'none', kind: 'bare', baseline: id };
}

function readWrite(
  base: Omit<Row, 'id' | 'label' | 'mode' | 'targets'> & {
    readonly id: string;
    readonly label: string;
  },
  targets?: { readonly read: RowTargets; readonly write: RowTargets },
): Row[] {
  return (['read', 'write'] as const).map((mode) => ({
    ...base,
    id: `${base.id}-${mode}`,
    label: `${base.label} ${mode.toUpperCase()}`,
    mode,
    ...(targets ? { targets: targets[mode] } : {}),
  }));
}

/** All rows, in table order. */
export const ROWS: readonly Row[] = [
  bare(REFERENCE_ROW, 'bare node:http', 'bare-node.ts'),
  bare('express-bare', 'bare Express 5', 'bare-express.ts'),
  ...readWrite(
    {
      id: 'tessera-cookie',
      label: 'Tessera cookie (node:http)',
      server: 'tessera-node.ts',
      env: { BENCH_STORE: 'none' },
      storage: 'cookie',
      kind: 'tessera',
      baseline: REFERENCE_ROW,
    },
    { read: { maxOverheadUs: 2, minRatio: 0.85 }, write: { maxOverheadUs: 8 } },
  ),
  ...readWrite(
    {
      id: 'tessera-memory',
      label: 'Tessera store=memory (node:http)',
      server: 'tessera-node.ts',
      env: { BENCH_STORE: 'memory' },
      storage: 'server',
      kind: 'tessera',
      baseline: REFERENCE_ROW,
    },
    { read: { maxOverheadUs: 3, minRatio: 0.85 }, write: { maxOverheadUs: 6 } },
  ),
  ...readWrite({
    id: 'express-session',
    label: 'express-session MemoryStore (Express)',
    server: 'express-session.ts',
    storage: 'server',
    kind: 'peer',
    baseline: 'express-bare',
  }),
  ...readWrite({
    id: 'cookie-session',
    label: 'cookie-session (Express)',
    server: 'cookie-session.ts',
    storage: 'cookie',
    kind: 'peer',
    baseline: 'express-bare',
  }),
  ...readWrite({
    id: 'iron-session',
    label: 'iron-session (node:http)',
    server: 'iron-session.ts',
    storage: 'cookie',
    kind: 'peer',
    baseline: REFERENCE_ROW,
  }),
];
