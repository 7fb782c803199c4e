/**
 * A private `redis-server` child for fault, outage and cluster tests: started on a given
 * (or free) port with no persistence, so a restart forgets everything, and killed, paused
 * (SIGSTOP) or resumed (SIGCONT) for real. It never outlives the test process: it is
 * killed on exit even when a test forgets to.
 *
 * Check `probeRedisServerBinary()` from `services.ts` before starting one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { freePort } from './services.js';

/** Controls one private Redis server on a fixed port. */
export class PrivateRedis {
  /** The loopback port the server listens on, the same across restarts. */
  readonly port: number;
  readonly #args: readonly string[];
  #child: ChildProcess | undefined;

  /**
   * @param port - where to listen; see {@link PrivateRedis.onFreePort} for any free one.
   * @param extraArgs - more `redis-server` arguments, e.g. cluster mode. @default []
   */
  constructor(port: number, extraArgs: readonly string[] = []) {
    this.port = port;
    this.#args = extraArgs;
    process.once('exit', () => this.#child?.kill('SIGKILL'));
  }

  /** A server on a port that was free a moment ago, started and answering PING. */
  static async onFreePort(extraArgs: readonly string[] = []): Promise<PrivateRedis> {
    const server = new PrivateRedis(await freePort(), extraArgs);
    await server.start();
    return server;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /**
   * Starts the server and waits until it answers PING. After {@link kill} it starts
   * again on the same port, empty, so clients can reconnect to where they were.
   */
  async start(): Promise<void> {
    const listen = ['--port', String(this.port), '--bind', '127.0.0.1'];
    const args = [...listen, '--save', '', '--appendonly', 'no', ...this.#args];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.#child = child;
    for (let attempt = 0; ; attempt++) {
      const admin = this.admin();
      try {
        await admin.ping();
        return;
      } catch (error) {
        if (attempt > 100 || child.exitCode !== null) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        admin.disconnect();
      }
    }
  }

  /** Kills the server (SIGKILL: no goodbye to clients) and waits for it to be gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** Freezes the process: connections stay open, nothing is answered. */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** Lets a paused process run again; it then answers what it received meanwhile. */
  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /** A one-shot admin client that fails fast instead of reconnecting. */
  admin(): Redis {
    const client = new Redis(this.port, '127.0.0.1', {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    return client;
  }
}
