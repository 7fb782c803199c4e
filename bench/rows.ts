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
  /** Maximum overhead as a share of another row's (a peer doing the same job). */
  readonly maxShareOf?: { readonly row: string; readonly share: number };
}

/** A store the runner provides for a row (see bench/lib/backends.ts). */
export type Backend = 'redis' | 'postgres' | 'sqlite';

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
  /**
   * The store behind the row's sessions. The runner starts or names it per run (private
   * Redis, PostgreSQL table, SQLite file) and passes it to the server's environment.
   */
  readonly backend?: Backend;
  /**
   * Redis rows: the client commands every request must send, e.g. `{ hgetall: 1 }`,
   * checked with INFO commandstats. Rows without it are counted but not checked.
   */
  readonly redisCalls?: Readonly<Record<string, number>>;
}

/** What differs between the READ and the WRITE row of a pair. */
type ModeExtras = Pick<Row, 'targets' | 'redisCalls'>;

/** The bare node:http row: the reference for the req/s ratio column. */
export const REFERENCE_ROW = 'node-bare';

function bare(id: string, label: string, server: string): Row {
  return { id, label, server, mode: 'bare', storage: 'none', kind: 'bare', baseline: id };
}

function readWrite(
  base: Omit<Row, 'id' | 'label' | 'mode' | keyof ModeExtras> & {
    readonly id: string;
    readonly label: string;
  },
  extras: { readonly read?: ModeExtras; readonly write?: ModeExtras } = {},
): Row[] {
  return (['read', 'write'] as const).map((mode) => ({
    ...base,
    id: `${base.id}-${mode}`,
    label: `${base.label} ${mode.toUpperCase()}`,
    mode,
    ...extras[mode],
  }));
}

const CONNECT_REDIS = 'connect-redis';
const HONO_BARE = 'hono-bare';
const FASTIFY_BARE = 'fastify-bare';

/** All rows, in table order. */
export const ROWS: readonly Row[] = [
  bare(REFERENCE_ROW, 'bare node:http', 'bare-node.ts'),
  bare('express-bare', 'bare Express 5', 'bare-express.ts'),
  bare(HONO_BARE, 'bare Hono 4 (@hono/node-server)', 'bare-hono.ts'),
  bare(FASTIFY_BARE, 'bare Fastify 5', 'bare-fastify.ts'),
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
    {
      read: { targets: { maxOverheadUs: 2, minRatio: 0.85 } },
      write: { targets: { maxOverheadUs: 8 } },
    },
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
    {
      read: { targets: { maxOverheadUs: 3, minRatio: 0.85 } },
      write: { targets: { maxOverheadUs: 6 } },
    },
  ),
  ...readWrite(
    {
      id: 'tessera-redis',
      label: 'Tessera store=redis (node:http)',
      server: 'tessera-node.ts',
      env: { BENCH_STORE: 'redis' },
      storage: 'server',
      kind: 'tessera',
      baseline: REFERENCE_ROW,
      backend: 'redis',
    },
    {
      // One HGETALL loads the session; a change is one atomic EVALSHA (the patch script).
      read: {
        targets: { maxOverheadUs: 15, maxShareOf: { row: `${CONNECT_REDIS}-read`, share: 1 / 3 } },
        redisCalls: { hgetall: 1 },
      },
      write: {
        targets: { maxOverheadUs: 20, maxShareOf: { row: `${CONNECT_REDIS}-write`, share: 1 / 3 } },
        redisCalls: { hgetall: 1, evalsha: 1 },
      },
    },
  ),
  ...readWrite({
    id: 'tessera-postgres',
    label: 'Tessera store=postgres (node:http)',
    server: 'tessera-node.ts',
    env: { BENCH_STORE: 'postgres' },
    storage: 'server',
    kind: 'tessera',
    baseline: REFERENCE_ROW,
    backend: 'postgres',
  }),
  ...readWrite({
    id: 'tessera-sqlite',
    label: 'Tessera store=sqlite (node:http)',
    server: 'tessera-node.ts',
    env: { BENCH_STORE: 'sqlite' },
    storage: 'server',
    kind: 'tessera',
    baseline: REFERENCE_ROW,
    backend: 'sqlite',
  }),
  ...readWrite({
    id: 'tessera-hono-cookie',
    label: 'Tessera cookie (Hono)',
    server: 'tessera-hono.ts',
    env: { BENCH_STORE: 'none' },
    storage: 'cookie',
    kind: 'tessera',
    baseline: HONO_BARE,
  }),
  ...readWrite({
    id: 'tessera-hono-memory',
    label: 'Tessera store=memory (Hono)',
    server: 'tessera-hono.ts',
    env: { BENCH_STORE: 'memory' },
    storage: 'server',
    kind: 'tessera',
    baseline: HONO_BARE,
  }),
  ...readWrite({
    id: 'tessera-fastify-cookie',
    label: 'Tessera cookie (Fastify)',
    server: 'tessera-fastify.ts',
    env: { BENCH_STORE: 'none' },
    storage: 'cookie',
    kind: 'tessera',
    baseline: FASTIFY_BARE,
  }),
  ...readWrite({
    id: 'tessera-fastify-memory',
    label: 'Tessera store=memory (Fastify)',
    server: 'tessera-fastify.ts',
    env: { BENCH_STORE: 'memory' },
    storage: 'server',
    kind: 'tessera',
    baseline: FASTIFY_BARE,
  }),
  ...readWrite({
    id: 'tessera-express-cookie',
    label: 'Tessera cookie (Express)',
    server: 'tessera-express.ts',
    env: { BENCH_STORE: 'none' },
    storage: 'cookie',
    kind: 'tessera',
    baseline: 'express-bare',
  }),
  ...readWrite({
    id: 'tessera-express-memory',
    label: 'Tessera store=memory (Express)',
    server: 'tessera-express.ts',
    env: { BENCH_STORE: 'memory' },
    storage: 'server',
    kind: 'tessera',
    baseline: 'express-bare',
  }),
  ...readWrite({
    id: 'express-session',
    label: 'express-session MemoryStore (Express)',
    server: 'express-session.ts',
    storage: 'server',
    kind: 'peer',
    baseline: 'express-bare',
  }),
  ...readWrite({
    id: CONNECT_REDIS,
    label: 'express-session + connect-redis (Express)',
    server: 'connect-redis.ts',
    storage: 'server',
    kind: 'peer',
    baseline: 'express-bare',
    backend: 'redis',
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
    id: 'fastify-secure-session',
    label: '@fastify/secure-session (Fastify)',
    server: 'fastify-secure-session.js',
    storage: 'cookie',
    kind: 'peer',
    baseline: FASTIFY_BARE,
  }),
  ...readWrite({
    id: 'fastify-session',
    label: '@fastify/session + @fastify/cookie MemoryStore (Fastify)',
    server: 'fastify-session.js',
    storage: 'server',
    kind: 'peer',
    baseline: FASTIFY_BARE,
  }),
  ...readWrite({
    id: 'tessera-cookie-session',
    label: 'tesserajs/cookie-session sealed (Express)',
    server: 'tessera-cookie-session.ts',
    storage: 'cookie',
    kind: 'tessera',
    baseline: 'express-bare',
  }),
  ...readWrite({
    id: 'tessera-cookie-session-legacy',
    label: "tesserajs/cookie-session writeFormat 'cookie-session' (Express)",
    server: 'tessera-cookie-session.ts',
    env: { BENCH_WRITE_FORMAT: 'cookie-session' },
    storage: 'cookie',
    kind: 'tessera',
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
  ...readWrite({
    id: 'hono-signed-cookie',
    label: 'hono/cookie signed cookie (Hono)',
    server: 'hono-signed-cookie.ts',
    storage: 'cookie',
    kind: 'peer',
    baseline: HONO_BARE,
  }),
];

/**
 * The sign-in storm (bench/lib/auth-storm.ts): not a row of the table but a measurement
 * of its own, selected like a row by `--only` (id or label) and part of smoke runs.
 */
export const AUTH_STORM = {
  id: 'auth-storm',
  label: 'Tessera auth: sign-in storm vs GET /me (node:http)',
  server: 'tessera-auth.ts',
} as const;
