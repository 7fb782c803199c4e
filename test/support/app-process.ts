/**
 * The reference app run as `npm start` runs it (examples/app/server.ts), or its NestJS
 * build as `npm run example:nest` does (examples/nest/server.ts): its own process, on a
 * free port (`PORT=0`, the URL read from its banner), with a data folder of its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The reference app's entry point (`npm start`). */
export const REFERENCE_APP = 'examples/app/server.ts';

/** A running app process. */
export interface AppProcess {
  /** `http://localhost:<port>`, from the banner. */
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Sends `signal` (default SIGINT, as Ctrl-C does) and resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** What a process that did not start printed, and its exit code. */
export interface FailedStart {
  readonly code: number | null;
  readonly output: string;
}

/**
 * The app's environment: the parent's, minus anything that configures the app, plus
 * `env`. So a developer's TESSERA_SECRETS or NODE_ENV never leaks into a test.
 */
function appEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(TESSERA_(SECRETS|DATA_DIR)|SESSION_MODE|PORT|HOST|NODE_ENV|PLATFORM)$/.test(name)) {
      continue;
    }
    clean[name] = value;
  }
  return { ...clean, PORT: '0', ...env };
}

function spawnApp(env: Record<string, string>, script: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: appEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Starts the app and waits for its banner; rejects with its output if it exits first.
 * @param script - the entry point, from the repository's root.
 */
export async function startAppProcess(
  env: Record<string, string>,
  script = REFERENCE_APP,
): Promise<AppProcess> {
  const child = spawnApp(env, script);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      // The whole banner: URL, mode, stores, then the Ctrl-C hint.
      const found = /on (http:\/\/localhost:\d+)[\s\S]*Press Ctrl-C to stop\./.exec(output)?.[1];
      if (found !== undefined) resolve(found);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`the app exited (${code}):\n${output}`)));
  });
  return {
    url,
    child,
    output: () => output,
    async stop(signal = 'SIGINT') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** Runs the app expecting it to fail at start-up; resolves to its exit code and output. */
export async function failedStart(
  env: Record<string, string>,
  script = REFERENCE_APP,
): Promise<FailedStart> {
  const child = spawnApp(env, script);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, output };
}
