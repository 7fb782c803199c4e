/**
 * A TCP proxy on 127.0.0.1 that a test controls, to give a shared server (PostgreSQL) a
 * real outage without touching the server itself:
 * - `stop()` resets every proxied connection and closes the port (server gone: drivers
 *   see their connections die, new ones are refused);
 * - `freeze()` keeps connections open but forwards nothing (server hung), and `thaw()`
 *   delivers what was held, in order, like a resumed process would;
 * - `blackholeExisting()` silently drops everything on the connections open at that
 *   moment, in both directions, for as long as they live, while connections made after it
 *   pass normally: a half-open connection behind a NAT or load balancer that lost its
 *   state, with the server itself reachable. Only the client closing such a connection
 *   ends it (the proxy never does), so it shows whether a driver notices by itself.
 */
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

export class TcpProxy {
  readonly port: number;
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #frozen = false;
  /** Sockets whose traffic is dropped (see {@link blackholeExisting}). */
  readonly #blackholed = new WeakSet<Socket>();
  /** Bytes dropped on blackholed connections, and connections accepted, for diagnostics. */
  dropped = 0;
  accepted = 0;
  /** Held while frozen, in order: data, or `null` for the end of the stream. */
  #held: Array<[Socket, Buffer | null]> = [];

  constructor(port: number, target: { host: string; port: number }) {
    this.port = port;
    this.#target = target;
  }

  async start(): Promise<void> {
    const server = createServer((client) => this.#proxy(client));
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.#server = server;
  }

  /** Cuts every connection (RST) and stops accepting new ones. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#held = [];
    for (const socket of this.#sockets) {
      // A reset after this side has sent its FIN spins Node 20's event loop at 100% CPU
      // forever (seen after a client's QUIT); such a connection is closing anyway.
      if (socket.readyState === 'open' && !socket.writableEnded) socket.resetAndDestroy();
      else socket.destroy();
    }
    this.#sockets.clear();
    if (server !== undefined) {
      server.close();
      await once(server, 'close');
    }
  }

  freeze(): void {
    this.#frozen = true;
  }

  /**
   * From now on, drops every byte on the connections open now (both directions); they
   * stay open. New connections are proxied normally.
   */
  blackholeExisting(): void {
    for (const socket of this.#sockets) this.#blackholed.add(socket);
  }

  /** How many proxied connections are open (client sides). */
  get open(): number {
    return this.#sockets.size / 2;
  }

  thaw(): void {
    this.#frozen = false;
    const held = this.#held;
    this.#held = [];
    for (const [to, chunk] of held) {
      if (to.destroyed) continue;
      if (chunk === null) to.end();
      else to.write(chunk);
    }
  }

  #proxy(client: Socket): void {
    this.accepted++;
    const upstream = connect(this.#target.port, this.#target.host);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    this.#forward(client, upstream);
    this.#forward(upstream, client);
  }

  #forward(from: Socket, to: Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (this.#blackholed.has(from)) this.dropped += chunk.length;
      else if (this.#frozen) this.#held.push([to, chunk]);
      else if (!to.destroyed) to.write(chunk);
    });
    from.on('end', () => {
      if (this.#blackholed.has(from)) return;
      if (this.#frozen) this.#held.push([to, null]);
      else to.end();
    });
  }
}
