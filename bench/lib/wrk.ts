import { spawn } from 'node:child_process';
import { pinned } from './pinning.js';
import { parseWrkOutput, type WrkResult } from './wrk-output.js';

/** One wrk invocation against a local server. */
export interface WrkRun {
  readonly url: string;
  readonly durationS: number;
  readonly connections: number;
  /** Value of the `Cookie` request header wrk sends on every request, if any. */
  readonly cookie: string | null;
  /** A Lua script (`-s`) that builds the requests, if any. */
  readonly script: string | null;
  /** CPU to pin wrk to, or null. */
  readonly cpu: string | null;
  /** Seconds before wrk gives up on a response and counts a timeout. @default 2 (wrk's) */
  readonly timeoutS?: number;
}

/** What one wrk run printed, parsed, and the report itself (for what a script adds). */
export interface WrkReport {
  readonly result: WrkResult;
  readonly stdout: string;
}

/** Runs wrk once with one thread and `--latency`, and parses its report. */
export async function runWrk(run: WrkRun): Promise<WrkResult> {
  return (await runWrkReport(run)).result;
}

/** {@link runWrk}, also returning wrk's report as printed. */
export function runWrkReport(run: WrkRun): Promise<WrkReport> {
  const args = ['-t1', `-c${run.connections}`, `-d${run.durationS}s`, '--latency'];
  if (run.timeoutS !== undefined) args.push('--timeout', `${run.timeoutS}s`);
  if (run.cookie !== null) args.push('-H', `Cookie: ${run.cookie}`);
  if (run.script !== null) args.push('-s', run.script);
  args.push(run.url);
  const [command, argv] = pinned(run.cpu, 'wrk', args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`wrk exited with code ${code}: ${stderr.trim() || stdout.trim()}`));
        return;
      }
      try {
        resolve({ result: parseWrkOutput(stdout), stdout });
      } catch (error) {
        reject(error);
      }
    });
  });
}
