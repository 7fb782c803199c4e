/**
 * A private `redis-server` child for outage tests: started on a given port with no
 * persistence (a restart forgets everything), and killed, paused (SIGSTOP) or resumed
 * (SIGCONT) for real. It never outlives the test process: it is killed on exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';

/** Controls one private Redis server on a fixed port. */
export class PrivateRedis {
  readonly port: number;
  #child: ChildProcess | undefined;

  constructor(port: number) {
    this.port = port;
    process.once('exit', () => this.#child?.kill('SIGKILL'));
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server and waits until it answers PING. */
  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1'];
    this.#child = spawn('redis-server', [...args, '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    for (let attempt = 0; ; attempt++) {
      const admin = this.admin();
      try {
        await admin.ping();
        return;
      } catch (error) {
        if (attempt > 100 || this.#child.exitCode !== null) throw error;
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
