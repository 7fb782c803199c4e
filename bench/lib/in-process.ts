/**
 * The in-process section of `npm run bench`: runs bench/in-process/cookie-load.ts (built
 * like the servers) pinned to the server CPU, and turns its rounds into a table and the
 * target line "uncached cookie load ≤ 2 × one AES-256-GCM decrypt of the same payload".
 */
import { spawn } from 'node:child_process';
import type { InProcessResult, OperationName } from '../in-process/cookie-load.js';
import { pinned } from './pinning.js';
import { median } from './stats.js';

/** Where the in-process script lives, relative to the project root. */
export const IN_PROCESS_SCRIPT = 'bench/in-process/cookie-load.ts';
/** `--only` matches this id to select the section. */
export const IN_PROCESS_ID = 'in-process';

/** The target: an uncached cookie-mode load costs at most this many raw decrypts. */
export const MAX_LOAD_PER_DECRYPT = 2;

const LABELS: Readonly<Record<OperationName, string>> = {
  decrypt: 'AES-256-GCM decrypt alone (node:crypto, same size and associated data)',
  unseal: 'unseal (base64url, subkey, decrypt)',
  loadUncached: 'cookie-mode load, 5,000 rotating sessions (uncached)',
  loadCached: 'cookie-mode load, one session (cached)',
  write: 'cookie-mode load + change + commit (WRITE)',
};

/** Runs the built script; rejects with its stderr when it fails. */
export function runInProcess(
  js: string,
  cpu: string | null,
  smoke: boolean,
  cwd: string,
): Promise<InProcessResult> {
  const [command, args] = pinned(cpu, process.execPath, [js]);
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    ...(smoke ? { BENCH_ROUNDS: '2', BENCH_ROUND_OPS: '2000' } : {}),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`in-process bench exited with code ${code}: ${err.trim()}`));
        return;
      }
      try {
        resolve(JSON.parse(out) as InProcessResult);
      } catch {
        reject(new Error(`in-process bench printed no result: ${err.trim()}`));
      }
    });
  });
}

/** Median per round of `numerator / denominator`, paired by round. */
function pairedRatio(numerator: readonly number[], denominator: readonly number[]): number {
  return median(numerator.map((value, round) => value / denominator[round]!));
}

/** The section's lines: a table of CPU µs per call, then the target line (full runs). */
export function inProcessLines(result: InProcessResult, withTarget: boolean): string[] {
  const { rounds } = result;
  const lines = [
    '### In process (no HTTP)',
    '',
    `${rounds.decrypt.length} rounds alternating the operations; CPU µs per call; ` +
      `sealed cookie value ${result.cookieValueLength} characters; ratios are ` +
      'paired per round against the decrypt, then reduced to the median.',
    '',
    '| Operation | median µs | lowest µs | × decrypt |',
    '|---|---:|---:|---:|',
  ];
  for (const op of Object.keys(LABELS) as OperationName[]) {
    const values = rounds[op];
    lines.push(
      `| ${LABELS[op]} | ${median(values).toFixed(2)} | ${Math.min(...values).toFixed(2)} | ` +
        `${pairedRatio(values, rounds.decrypt).toFixed(2)} |`,
    );
  }
  if (withTarget) {
    const ratio = pairedRatio(rounds.loadUncached, rounds.decrypt);
    const verdict = ratio <= MAX_LOAD_PER_DECRYPT ? 'PASS' : 'FAIL';
    lines.push(
      '',
      `- ${verdict} uncached cookie-mode load: ${ratio.toFixed(2)} × one AES-256-GCM decrypt ` +
        `of the same payload (target ≤ ${MAX_LOAD_PER_DECRYPT} ×)`,
    );
  }
  return lines;
}
