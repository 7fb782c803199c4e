/**
 * `npm run bench`: Tessera vs bare servers vs peer session libraries, measured in one
 * run with wrk over loopback. See docs/benchmarks.md for the method.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { authStormLines, defaultHasherFacts, summarizeAuthStorm } from './lib/auth-report.js';
import {
  type AuthStormSample,
  authCredentials,
  authServerEnv,
  measureAuthStorm,
} from './lib/auth-storm.js';
import { type Backends, prepareBackends } from './lib/backends.js';
import { buildServers } from './lib/build-servers.js';
import {
  IN_PROCESS_ID,
  IN_PROCESS_SCRIPT,
  inProcessLines,
  runInProcess,
} from './lib/in-process.js';
import { measureOnce, type Sample } from './lib/measure.js';
import { type BenchOptions, parseOptions, USAGE } from './lib/options.js';
import { detectPinning } from './lib/pinning.js';
import { cpuProfileArgs, mainThreadProfile, topSelfTime } from './lib/profile.js';
import { redisReport } from './lib/redis-report.js';
import { cacheTable, machineFacts, resultsTable, targetLines } from './lib/report.js';
import { type ServerProcess, startServer } from './lib/server-process.js';
import { summarize } from './lib/summary.js';
import { AUTH_STORM, REFERENCE_ROW, ROWS, type Row } from './rows.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function selectRows(options: BenchOptions): Row[] {
  const wanted = new Set<string>();
  for (const row of ROWS) {
    // Smoke runs keep the Redis and SQLite store rows (CI exercises the store rows and the
    // commandstats check) but leave out peers and PostgreSQL, for time and services.
    if (options.smoke && (row.kind === 'peer' || row.backend === 'postgres')) continue;
    if (options.only && !options.only.test(row.id) && !options.only.test(row.label)) continue;
    wanted.add(row.id).add(row.baseline).add(REFERENCE_ROW);
  }
  return ROWS.filter((row) => wanted.has(row.id));
}

/** Whether the run measures the sign-in storm (smoke runs do; `--only` may leave it out). */
function selectAuthStorm(options: BenchOptions): boolean {
  return (
    options.only === null || options.only.test(AUTH_STORM.id) || options.only.test(AUTH_STORM.label)
  );
}

/** Whether the run measures the in-process section (smoke runs do; `--only` may leave it out). */
function selectInProcess(options: BenchOptions): boolean {
  return options.only === null || options.only.test(IN_PROCESS_ID);
}

/** Each repetition visits every row once, starting at a different row each time. */
function rotated(rows: readonly Row[], rep: number, reps: number): Row[] {
  if (rows.length === 0) return [];
  const shift = (rep * Math.ceil(rows.length / reps)) % rows.length;
  return [...rows.slice(shift), ...rows.slice(0, shift)];
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    log(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error) {
    log('wrk not found on PATH (Debian/Ubuntu: apt-get install wrk)');
    return 2;
  }
  const pinning = detectPinning();
  // Taken now, so the date and the load average describe the start of the run.
  const facts = machineFacts(ROOT, pinning);
  const rows = selectRows(options);
  const withAuthStorm = selectAuthStorm(options);
  const withInProcess = selectInProcess(options);
  let inProcess: string[] = [];
  const workDir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const profileDir = options.cpuProf ? join(workDir, 'profiles') : null;
  // One secret per run, handed to servers through the environment (never argv or logs).
  const secret = randomBytes(32).toString('base64url');
  const failures = new Map<string, string>();
  const servers = new Map<string, ServerProcess>();
  let backends: Backends | undefined;
  const samples = new Map<string, (Sample | undefined)[]>(rows.map((row) => [row.id, []]));
  // The storm's server and samples, when the run measures it.
  const credentials = authCredentials();
  let authServer: ServerProcess | undefined;
  const authSamples: (AuthStormSample | undefined)[] = [];
  let hasher = 'unknown';
  const fail = (row: { readonly id: string }, reason: string): void => {
    failures.set(row.id, reason);
    log(`ROW FAILED: ${row.id}: ${reason}`);
  };

  try {
    const serverFile = (row: Row): string => join('bench', 'servers', row.server);
    const authFile = join('bench', 'servers', AUTH_STORM.server);
    const built = await buildServers(
      ROOT,
      [
        ...rows.map(serverFile),
        ...(withAuthStorm ? [authFile] : []),
        ...(withInProcess ? [IN_PROCESS_SCRIPT] : []),
      ],
      join(workDir, 'servers'),
    );
    if (withInProcess) {
      // First, while no server is running: it is pinned to the servers' CPU.
      const build = built.get(IN_PROCESS_SCRIPT)!;
      try {
        if ('error' in build) throw new Error(build.error);
        log('in-process: cookie-mode load and commit next to one AES-256-GCM decrypt');
        const result = await runInProcess(build.js, pinning.serverCpu, options.smoke, ROOT);
        inProcess = inProcessLines(result, !options.smoke);
      } catch (error) {
        failures.set(IN_PROCESS_ID, (error as Error).message);
        log(`ROW FAILED: ${IN_PROCESS_ID}: ${(error as Error).message}`);
        inProcess = ['### In process (no HTTP)', '', `FAILED: ${(error as Error).message}`];
      }
    }
    backends = await prepareBackends(rows, {
      workDir,
      loadCpu: pinning.loadCpu,
      connections: options.connections,
    });
    for (const row of rows) {
      const mode = row.mode === 'write' ? 'write' : 'read';
      const build = built.get(serverFile(row))!;
      if ('error' in build) {
        fail(row, build.error);
        continue;
      }
      try {
        const server = await startServer({
          file: build.js,
          env: { ...row.env, ...backends.env(row), BENCH_MODE: mode, BENCH_SECRET: secret },
          cpu: pinning.serverCpu,
          nodeArgs: profileDir === null ? [] : cpuProfileArgs(join(profileDir, row.id)),
          cwd: ROOT,
        });
        servers.set(row.id, server);
      } catch (error) {
        fail(row, (error as Error).message);
      }
    }
    if (withAuthStorm) {
      const build = built.get(authFile)!;
      try {
        if ('error' in build) throw new Error(build.error);
        hasher = await defaultHasherFacts();
        authServer = await startServer({
          file: build.js,
          env: { ...authServerEnv(credentials), BENCH_SECRET: secret },
          cpu: pinning.serverCpu,
          nodeArgs: profileDir === null ? [] : cpuProfileArgs(join(profileDir, AUTH_STORM.id)),
          cwd: ROOT,
        });
      } catch (error) {
        fail(AUTH_STORM, (error as Error).message);
      }
    }
    const load = { ...options, ...pinning, workDir };
    for (let rep = 0; rep < options.reps; rep++) {
      for (const row of rotated(rows, rep, options.reps)) {
        const server = servers.get(row.id);
        if (!server || failures.has(row.id)) continue;
        try {
          const sample = await measureOnce(row, server, load, backends.observer(row, server.port));
          samples.get(row.id)![rep] = sample;
          log(
            `[rep ${rep + 1}/${options.reps}] ${row.id}: ${Math.round(sample.rps)} req/s, ` +
              `${sample.cpuUsPerRequest.toFixed(1)} µs CPU/req`,
          );
        } catch (error) {
          // A failed check (RowCheckError), a crashed server, a refused connection: this
          // row is done, the others still run, and the exit code reports it.
          fail(row, error instanceof Error ? error.message : String(error));
        }
      }
      if (authServer !== undefined && !failures.has(AUTH_STORM.id)) {
        try {
          const sample = await measureAuthStorm(authServer, credentials, load);
          authSamples[rep] = sample;
          log(
            `[rep ${rep + 1}/${options.reps}] ${AUTH_STORM.id}: ` +
              `${sample.stormAlone.signInsPerS.toFixed(1)} sign-ins/s, GET /me p99 ` +
              `${Math.round(sample.meAlone.p99Us)} µs alone, ` +
              `${Math.round(sample.meDuringStorm.p99Us)} µs during the storm`,
          );
        } catch (error) {
          fail(AUTH_STORM, error instanceof Error ? error.message : String(error));
        }
      }
    }
  } finally {
    await Promise.all(
      [...servers.values(), ...(authServer ? [authServer] : [])].map((server) => server.stop()),
    );
    await backends?.cleanup();
    // Profiles refer to the built files, so keep them together when profiling.
    if (profileDir === null) rmSync(workDir, { recursive: true, force: true });
  }

  const argv = process.argv.slice(2).join(' ');
  const summaries = summarize(rows, samples, failures);
  const out = [
    '## Results',
    '',
    `Command: \`npm run bench${argv ? ` -- ${argv}` : ''}\` — ${options.reps} rep(s) × ` +
      `${options.durationS} s per row after ${options.warmupS} s warm-up, ` +
      `wrk -t1 -c${options.connections}, ${options.sessions} session(s) per row; medians.`,
    '',
    ...facts,
    ...(backends?.facts() ?? []),
    ...(rows.length > 0 ? ['', ...resultsTable(summaries)] : []),
  ];
  if (withAuthStorm) {
    const facts = {
      hasher,
      connections: options.connections,
      failure: failures.get(AUTH_STORM.id) ?? null,
    };
    out.push('', ...authStormLines(summarizeAuthStorm(authSamples), facts));
  }
  if (inProcess.length > 0) out.push('', ...inProcess);
  const cache = cacheTable(summaries);
  if (cache.length > 0) out.push('', ...cache);
  const redis = redisReport(rows, backends?.tallies ?? new Map());
  if (redis.lines.length > 0) out.push('', ...redis.lines);
  if (!options.smoke && rows.length > 0) {
    out.push('', '### Targets (Tessera rows)', '', ...targetLines(summaries));
  }
  if (profileDir !== null) {
    out.push('', `### CPU profiles (numbers above are distorted by profiling): ${profileDir}`);
    const profiled = [
      ...rows.filter((r) => servers.has(r.id)),
      ...(authServer ? [AUTH_STORM] : []),
    ];
    for (const row of profiled) {
      const file = mainThreadProfile(join(profileDir, row.id));
      const top = file === null ? ['(no profile written)'] : topSelfTime(file, ROOT, 15);
      out.push('', `${row.id}: ${file ?? ''}`, '```', ...top, '```');
    }
  }
  console.log(out.join('\n'));
  // Round trips are a correctness check: in smoke runs (CI) a wrong count fails the command.
  return failures.size > 0 || (options.smoke && redis.failed) ? 1 : 0;
}

process.exitCode = await main();
