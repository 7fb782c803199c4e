/**
 * Fastify helpers for the adapter tests: listen on 127.0.0.1 with an ephemeral port,
 * and a MemoryStore that can be switched off to play a store outage.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { SessionPatch, SessionRecord } from '../../src/stores/contract.js';
import { MemoryStore } from '../../src/stores/memory/index.js';

/** Listens on 127.0.0.1:0 and returns the base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** A MemoryStore whose calls fail while `down` is true, as a store outage would. */
export class SwitchableStore extends MemoryStore {
  down = false;

  #check(): void {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  }

  override async get(key: string): Promise<SessionRecord | null> {
    this.#check();
    return super.get(key);
  }

  override async set(key: string, record: SessionRecord): Promise<void> {
    this.#check();
    return super.set(key, record);
  }

  override async patch(key: string, patch: SessionPatch): Promise<boolean> {
    this.#check();
    return super.patch(key, patch);
  }

  override async touch(key: string, expiresAt: number): Promise<void> {
    this.#check();
    return super.touch(key, expiresAt);
  }
}
