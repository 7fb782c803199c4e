/**
 * A body written in full before `end()` (a `Content-Length` response through `write()`,
 * as `res.sendFile` and piped streams do) must not reach the client before the store
 * write of the session is durable: the client would take the response as complete and
 * its next request could load the session from before the change. Both outcomes are
 * checked: held until the write lands, cut if the write fails.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { nodeSessions } from '../../src/adapters/node/index.js';
import type { SessionRecord } from '../../src/stores/contract.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { newSecret, startServer, type TestServer } from '../support/http.js';

/** A memory store whose `set` waits until the test releases (or fails) it. */
class HeldStore extends MemoryStore {
  #release: ((ok: boolean) => void) | undefined;
  #entered: (() => void) | undefined;
  /** Resolves once a `set` is waiting. */
  entered = new Promise<void>((resolve) => {
    this.#entered = resolve;
  });
  override async set(key: string, record: SessionRecord): Promise<void> {
    const ok = await new Promise<boolean>((resolve) => {
      this.#release = resolve;
      this.#entered?.();
    });
    if (!ok) throw new Error('write lost');
    return super.set(key, record);
  }
  release(ok: boolean): void {
    this.entered = new Promise<void>((resolve) => {
      this.#entered = resolve;
    });
    this.#release?.(ok);
  }
}

/** Resolves with the status once a complete response arrived, or with 'cut'. */
function fetchBody(url: string): { done: Promise<number | 'cut'>; arrived: () => boolean } {
  let arrived = false;
  const done = new Promise<number | 'cut'>((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        arrived = true;
        resolve(res.statusCode ?? 0);
      });
      res.on('error', () => resolve('cut'));
    });
    req.on('error', () => resolve('cut'));
    req.end();
  });
  return { done, arrived: () => arrived };
}

describe('a body written before end() waits for the store write', { timeout: 30_000 }, () => {
  const store = new HeldStore();
  const errors: unknown[] = [];
  let server: TestServer;

  before(async () => {
    const sessions = nodeSessions<{ n: number }>({
      secrets: [newSecret()],
      store,
      cookie: { secure: false },
      onError: (error) => errors.push(error),
    });
    server = await startServer(
      sessions.handle((_req, res, session) => {
        session.data.n = 1;
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '4' });
        res.write('body');
        // end() comes later, as it does after a piped stream's last chunk.
        setImmediate(() => res.end());
      }),
    );
  });
  after(async () => server?.close());

  it('is held until the write lands', async () => {
    const response = fetchBody(`${server.url}/`);
    await store.entered;
    await delay(50);
    assert.equal(response.arrived(), false, 'nothing arrives while the write is pending');
    store.release(true);
    assert.equal(await response.done, 200);
  });

  it('is cut, and the failure reported, when the write fails', async () => {
    const response = fetchBody(`${server.url}/`);
    await store.entered;
    store.release(false);
    assert.equal(await response.done, 'cut');
    assert.ok(errors.length > 0);
  });
});
