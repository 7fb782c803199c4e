/**
 * Waiting for an ioredis client to be connected before handing it a command.
 *
 * ioredis queues a command given to a client that is (re)connecting and writes it once
 * connected, however late: there is no way to take it back out. An operation that timed
 * out meanwhile has been answered 503, yet its write would still reach Redis. So the store
 * hands ioredis a command only while the client is `ready`; until then it waits here,
 * and stops waiting when the operation's deadline passes, having sent nothing.
 *
 * node-redis needs none of this: the deadline's signal is passed with every command and
 * node-redis drops a command still queued when it fires (see `client.ts`).
 */

/** The part of an ioredis `Redis` or `Cluster` that tells and signals its state. */
interface StatefulClient {
  readonly status: string;
  once(event: 'ready', listener: () => void): unknown;
  connect?(): Promise<unknown>;
}

function isStateful(client: object): client is StatefulClient {
  const candidate = client as Partial<StatefulClient>;
  return typeof candidate.status === 'string' && typeof candidate.once === 'function';
}

/** States from which ioredis will reach `ready` by itself. */
const CONNECTING = new Set(['connecting', 'connect', 'reconnecting']);

/** One `ready` listener per client, however many operations wait. */
const nextReady = new WeakMap<object, Promise<void>>();

function whenReady(client: StatefulClient): Promise<void> {
  let ready = nextReady.get(client);
  if (ready === undefined) {
    ready = new Promise<void>((resolve) => {
      client.once('ready', () => {
        nextReady.delete(client);
        resolve();
      });
    });
    nextReady.set(client, ready);
  }
  return ready;
}

function aborted(signal: AbortSignal): { promise: Promise<never>; stop: () => void } {
  let stop = (): void => {};
  const promise = new Promise<never>((_, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    stop = () => signal.removeEventListener('abort', onAbort);
  });
  return { promise, stop };
}

/**
 * Resolves once `client` can take a command now, or at once for a client that does not
 * tell its state (node-redis, a wrapper) or will not become ready by itself (closed:
 * the command then fails fast). Rejects with the signal's reason at the deadline.
 */
export async function untilReady(client: object, signal: AbortSignal): Promise<void> {
  if (!isStateful(client)) return;
  // A `lazyConnect` client connects on its first command; with the offline queue off, that
  // command would be refused, so connect it here and wait like for any other connect.
  if (client.status === 'wait' && typeof client.connect === 'function') {
    client.connect().catch(() => {});
  }
  if (!CONNECTING.has(client.status)) return;
  signal.throwIfAborted();
  const deadline = aborted(signal);
  try {
    await Promise.race([whenReady(client), deadline.promise]);
  } finally {
    deadline.stop();
  }
}
