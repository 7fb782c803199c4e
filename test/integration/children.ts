/**
 * Starting and stopping {@link ServerConfig} child servers (test/integration/server-process.ts)
 * from a test file. Every child is also killed when the test process exits, and ends by
 * itself when its stdin closes, so none outlives a crashed or interrupted run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ServerConfig } from './server-process.js';

const script = fileURLToPath(new URL('./server-process.ts', import.meta.url));
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Resolves after `ms`, without keeping the process alive for it. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** A running child server. */
export interface ChildServer {
  readonly url: string;
  readonly pid: number;
  /** Stops the child; resolves with the codes of the errors it answered with a 5xx. */
  stop(): Promise<string[]>;
}

/** Starts one child server and waits for it to report its URL (bounded by `deadline` ms). */
export async function startChild(config: ServerConfig, deadline = 20_000): Promise<ChildServer> {
  const env: NodeJS.ProcessEnv = { ...process.env, TESSERA_IT_CONFIG: JSON.stringify(config) };
  // The child is a plain server, not a test file: it must not report to this test runner.
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  running.add(child);
  // 'close' rather than 'exit': it comes after the last stdout line has been read.
  let closed = false;
  const exited = new Promise<void>((resolve) =>
    child.once('close', () => {
      closed = true;
      running.delete(child);
      resolve();
    }),
  );
  const lines = createInterface({ input: child.stdout! });
  const messages: Record<string, unknown>[] = [];
  let notify: (() => void) | undefined;
  lines.on('line', (line) => {
    try {
      messages.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // Not a protocol line (something in the child printed): not ours to interpret.
      return;
    }
    notify?.();
  });
  const next = async (key: string, ms: number): Promise<unknown> => {
    const end = Date.now() + ms;
    for (;;) {
      const found = messages.find((message) => key in message);
      if (found !== undefined) return found[key];
      if (closed || Date.now() > end) {
        throw new Error(`child server ${child.pid} sent no ${key} (exit code ${child.exitCode})`);
      }
      await Promise.race([
        new Promise<void>((resolve) => {
          notify = resolve;
        }),
        exited,
        delay(200),
      ]);
    }
  };
  const stop = async (): Promise<string[]> => {
    if (closed) return [];
    child.stdin!.end();
    try {
      return (await next('errors', 10_000)) as string[];
    } finally {
      await Promise.race([exited, delay(5000)]);
      if (!closed) child.kill('SIGKILL');
      await exited;
    }
  };
  try {
    const url = (await next('url', deadline)) as string;
    return { url, pid: child.pid!, stop };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}
