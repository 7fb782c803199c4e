/**
 * The child-process side of every benchmark server: listen on an ephemeral loopback
 * port, tell the parent which one over IPC, and answer CPU-usage queries over IPC.
 *
 * CPU usage travels over IPC rather than an HTTP route so that the measured request
 * path is exactly the application's, with no extra URL check in front of it.
 */
import type { Server } from 'node:http';
import type { VerifiedCacheStats } from '../../src/session/verified-cache.js';

/** Messages the parent sends to a benchmark server. */
export type ParentMessage = { readonly type: 'cpu' };

/** Messages a benchmark server sends to the parent. */
export type ServerMessage =
  | { readonly type: 'ready'; readonly port: number }
  | {
      readonly type: 'cpu';
      readonly user: number;
      readonly system: number;
      /** Tessera servers: what their verified-cookie cache has done so far. */
      readonly cache: VerifiedCacheStats | null;
    };

function send(message: ServerMessage): void {
  process.send?.(message);
}

/**
 * Starts `server` on 127.0.0.1:0 and wires the IPC protocol; exits when the parent goes.
 * Tessera servers pass their engine's `verifiedCacheStats`, read with every CPU sample.
 */
export function serve(server: Server, cacheStats?: () => VerifiedCacheStats): void {
  if (!process.send) throw new Error('benchmark servers must be started by bench/run.ts (IPC)');
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'cpu') {
      send({ type: 'cpu', ...process.cpuUsage(), cache: cacheStats?.() ?? null });
    }
  });
  // An orphaned server would keep a core busy for the next run; follow the parent out.
  process.on('disconnect', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    send({ type: 'ready', port: address.port });
  });
}

/** Whether the server runs the READ or the WRITE variant of its row (`BENCH_MODE`). */
export function benchMode(): 'read' | 'write' {
  const mode = process.env.BENCH_MODE;
  if (mode !== 'read' && mode !== 'write') throw new Error('BENCH_MODE must be read or write');
  return mode;
}

/** The per-run secret the parent generated (`BENCH_SECRET`, 32 random bytes, base64url). */
export function benchSecret(): string {
  const secret = process.env.BENCH_SECRET;
  if (!secret || secret.length < 43) throw new Error('BENCH_SECRET must hold 32 bytes');
  return secret;
}

/**
 * The counter a session should hold after this request: `/init` starts it at 1, WRITE
 * adds one, READ leaves it. A missing counter counts as 0, so a request that fell back
 * to a guest session answers 0 (READ) or 1 (WRITE), never what a valid cookie gives.
 */
export function nextCount(
  url: string | undefined,
  mode: 'read' | 'write',
  current: unknown,
): number {
  const count = typeof current === 'number' ? current : 0;
  if (url === '/init') return 1;
  return mode === 'write' ? count + 1 : count;
}

/** A variable the runner must have set for this server (store URLs, names, files). */
export function benchEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (servers are started by bench/run.ts)`);
  return value;
}
