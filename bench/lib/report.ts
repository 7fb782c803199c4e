/** Markdown output: machine facts, the results table, and the target check. */

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import type { Pinning } from './pinning.js';
import type { RowSummary } from './summary.js';

const PACKAGES = [
  'express',
  'express-session',
  'cookie-session',
  'iron-session',
  'connect-redis',
  'redis',
  'ioredis',
  'pg',
  'better-sqlite3',
];

function version(root: string, name: string): string {
  try {
    const json = readFileSync(`${root}/node_modules/${name}/package.json`, 'utf8');
    return (JSON.parse(json) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** The facts a reader needs to judge the numbers: software, hardware, load, pinning. */
export function machineFacts(root: string, pinning: Pinning): string[] {
  const wrk = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  const wrkVersion = `${wrk.stdout ?? ''}${wrk.stderr ?? ''}`.split('\n')[0]?.split(' [')[0];
  const cpu = cpus();
  return [
    `- started: ${new Date().toISOString()}`,
    `- node ${process.version}, ${process.platform} ${release()}, ${wrkVersion ?? 'wrk ?'}`,
    `- cpu: ${cpu[0]?.model ?? 'unknown'} x ${cpu.length}`,
    `- load average at start (1/5/15 min): ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' / ')}`,
    pinning.serverCpu === null
      ? '- pinning: none (taskset missing or a single CPU)'
      : `- pinning: server on CPU ${pinning.serverCpu}, wrk on CPU ${pinning.loadCpu}`,
    `- packages: ${PACKAGES.map((name) => `${name} ${version(root, name)}`).join(', ')}`,
  ];
}

const fmt = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function p99(us: number): string {
  return us >= 1000 ? `${fmt(us / 1000, 2)} ms` : `${fmt(us, 0)} µs`;
}

/** Above this share of foreign work on the server's CPU a row's numbers are suspect. */
const NOISY_SHARE = 0.1;

const signed = (n: number): string => `${n >= 0 ? '+' : ''}${fmt(n, 1)}`;
const percent = (share: number | null): string =>
  share === null ? 'n/a' : `${fmt(100 * share, 0)} %`;

/** The results table, one line per row. */
export function resultsTable(summaries: readonly RowSummary[]): string[] {
  const lines = [
    '| Row | req/s | p99 | × bare node:http | server CPU µs/req | overhead µs/req ' +
      '| best-rep overhead | other load on server CPU |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of summaries) {
    if (s.failure !== null && s.reps === 0) {
      lines.push(`| ${s.row.label} | FAILED: ${s.failure} | | | | | | |`);
      continue;
    }
    const bare = s.row.kind === 'bare';
    const cells = [
      s.failure === null ? s.row.label : `${s.row.label} (FAILED: ${s.failure})`,
      Math.round(s.rps).toLocaleString('en-US'),
      p99(s.p99Us),
      fmt(s.ratio, 2),
      fmt(s.cpuUs, 1),
      bare ? '(baseline)' : signed(s.overheadUs),
      bare ? '' : signed(s.bestOverheadUs),
      percent(s.foreignCpu),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const disturbed = summaries.filter((s) => (s.foreignCpu ?? 0) > NOISY_SHARE);
  if (disturbed.length > 0) {
    lines.push(
      '',
      `Warning: other processes took more than ${100 * NOISY_SHARE} % of the server's CPU ` +
        `during ${disturbed.map((s) => s.row.id).join(', ')}; their CPU per request is inflated.`,
    );
  }
  return lines;
}

/**
 * The verified-cookie cache of each Tessera row: how many of the measured run's lookups
 * hit, and what it held at the end. With one replayed cookie every lookup after the
 * first hits; with more sessions than entries almost none does.
 */
export function cacheTable(summaries: readonly RowSummary[]): string[] {
  const rows = summaries.filter((s) => s.cache !== null);
  if (rows.length === 0) return [];
  const lines = [
    '### Verified-cookie cache',
    '',
    '| Row | hit rate | entries held | cookie value bytes held |',
    '|---|---:|---:|---:|',
  ];
  for (const { row, cache } of rows) {
    const c = cache!;
    const rate = Number.isNaN(c.hitRate) ? '–' : `${(100 * c.hitRate).toFixed(1)} %`;
    lines.push(
      `| ${row.label} | ${rate} | ${Math.round(c.entries).toLocaleString('en-US')} | ` +
        `${Math.round(c.valueBytes).toLocaleString('en-US')} |`,
    );
  }
  return lines;
}

/** PASS/FAIL lines for every row that declares targets. */
export function targetLines(summaries: readonly RowSummary[]): string[] {
  const lines: string[] = [];
  const byId = new Map(summaries.map((s) => [s.row.id, s]));
  for (const { row, overheadUs, ratio, reps } of summaries) {
    if (!row.targets) continue;
    if (reps === 0) {
      lines.push(`- FAIL ${row.label}: not measured (the row failed)`);
      continue;
    }
    const { maxOverheadUs, minRatio, maxShareOf } = row.targets;
    const okOverhead = overheadUs <= maxOverheadUs;
    lines.push(
      `- ${okOverhead ? 'PASS' : 'FAIL'} ${row.label}: overhead ${fmt(overheadUs, 1)} µs (target ≤ ${maxOverheadUs} µs)`,
    );
    if (minRatio !== undefined) {
      const okRatio = ratio >= minRatio;
      lines.push(
        `- ${okRatio ? 'PASS' : 'FAIL'} ${row.label}: ${fmt(ratio, 2)}× bare node:http req/s (target ≥ ${minRatio}×)`,
      );
    }
    if (maxShareOf !== undefined) {
      const peer = byId.get(maxShareOf.row);
      const target = `(target ≤ ${fmt(100 * maxShareOf.share, 0)} %)`;
      if (peer === undefined || peer.reps === 0) {
        lines.push(`- n/a ${row.label}: ${maxShareOf.row} not measured in this run ${target}`);
      } else {
        const share = overheadUs / peer.overheadUs;
        lines.push(
          `- ${share <= maxShareOf.share ? 'PASS' : 'FAIL'} ${row.label}: overhead ` +
            `${fmt(100 * share, 0)} % of ${peer.row.label}'s ${fmt(peer.overheadUs, 1)} µs ${target}`,
        );
      }
    }
  }
  return lines.length > 0 ? lines : ['- no Tessera row was measured'];
}
