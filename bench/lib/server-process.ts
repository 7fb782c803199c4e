/**
 * The parent side of a benchmark server: spawn it (pinned when possible), learn its
 * port, sample its CPU time, and notice if it dies.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { basename } from 'node:path';
import type { VerifiedCacheStats } from '../../src/session/verified-cache.js';
import { pinned } from './pinning.js';
import type { ParentMessage, ServerMessage } from './serve.js';

const START_TIMEOUT_MS = 30_000;
const CPU_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 5_000;

/** A running benchmark server. */
export interface ServerProcess {
  readonly port: number;
  /** Set once the process has exited; a row whose server exited has failed. */
  readonly exited: () => string | null;
  /** User + system CPU time the server has used so far, in microseconds. */
  readonly cpuUs: () => Promise<number>;
  /** The Tessera engine's verified-cookie cache counters (null for other servers). */
  readonly cacheStats: () => Promise<VerifiedCacheStats | null>;
  /** Asks the server to exit (so a `--cpu-prof` profile gets written), then kills it. */
  readonly stop: () => Promise<void>;
}

/** What to start: a built server (see build-servers.ts) and its environment. */
export interface ServerLaunch {
  /** The JavaScript file to run with node. */
  readonly file: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cpu: string | null;
  /** Extra node flags, such as `--cpu-prof`. */
  readonly nodeArgs: readonly string[];
  readonly cwd: string;
}

function nextMessage(child: ChildProcess, type: ServerMessage['type'], timeoutMs: number) {
  return new Promise<ServerMessage>((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`no "${type}" message in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: ServerMessage): void => {
      if (message.type === type) done(null, message);
    };
    const onExit = (code: number | null, signal: string | null): void =>
      done(new Error(`server exited (code ${code}, signal ${signal})`));
    function done(error: Error | null, message?: ServerMessage): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Starts a server and resolves once it listens. */
export async function startServer(launch: ServerLaunch): Promise<ServerProcess> {
  const [command, args] = pinned(launch.cpu, process.execPath, [...launch.nodeArgs, launch.file]);
  const child = spawn(command, args, {
    cwd: launch.cwd,
    env: { ...process.env, ...launch.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const name = basename(launch.file);
  let exitReason: string | null = null;
  child.on('exit', (code, signal) => {
    exitReason = `server ${name} exited (code ${code}, signal ${signal})`;
  });
  // Sending to a dead child reports through 'error'; the exit handler already noted it.
  child.on('error', () => {});
  const ready = await nextMessage(child, 'ready', START_TIMEOUT_MS).catch((error: Error) => {
    child.kill();
    throw new Error(`${name} did not start: ${error.message}`);
  });
  if (ready.type !== 'ready') throw new Error('unexpected message');
  const sample = async () => {
    if (exitReason !== null || !child.connected) throw new Error(exitReason ?? `${name} is gone`);
    const reply = nextMessage(child, 'cpu', CPU_TIMEOUT_MS);
    child.send({ type: 'cpu' } satisfies ParentMessage);
    const usage = await reply;
    if (usage.type !== 'cpu') throw new Error('unexpected message');
    return usage;
  };
  return {
    port: ready.port,
    exited: () => exitReason,
    cpuUs: async () => {
      const usage = await sample();
      return usage.user + usage.system;
    },
    cacheStats: async () => (await sample()).cache,
    stop: async () => {
      if (exitReason !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // Closing IPC makes the server call process.exit(), which flushes CPU profiles.
      if (child.connected) child.disconnect();
      else child.kill();
      const timer = setTimeout(() => child.kill(), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
