/**
 * The Redis clients the store accepts, typed structurally so that no driver is imported at
 * run time and a driver's next major version does not break the store: every command goes
 * through the driver's raw "send a command" entry point, which all majors keep.
 */

/**
 * An `ioredis` client: `Redis`, `Cluster`, or a Sentinel-backed `Redis`. Only its raw
 * `call(command, ...args)` method is used, so ioredis' reply transformers and key
 * prefixing behave the same for every command the store sends.
 */
export interface IoRedisLike {
  call(command: string, ...args: string[]): Promise<unknown>;
}

/**
 * Per-command options of node-redis v5: a command still waiting to be written when its
 * `abortSignal` fires is taken out of the client's queue and never sent.
 */
export interface NodeRedisCommandOptions {
  readonly abortSignal?: AbortSignal;
}

/** A node-redis (`redis` v4/v5) client from `createClient()`, already connected. */
export interface NodeRedisLike {
  sendCommand(args: string[], options?: NodeRedisCommandOptions): Promise<unknown>;
}

/**
 * A node-redis cluster from `createCluster()`, already connected. Recognised by its
 * `masters` list; commands are routed by their first key.
 */
export interface NodeRedisClusterLike {
  readonly masters: readonly unknown[];
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
    options?: NodeRedisCommandOptions,
  ): Promise<unknown>;
}

/** Any client {@link redisStore} accepts. */
export type RedisClientLike = IoRedisLike | NodeRedisLike | NodeRedisClusterLike;

/**
 * Sends one command; `firstKey` routes it in a cluster. Replies are the driver's raw
 * RESP replies: strings, numbers, `null`, arrays (RESP3 maps may arrive as `Map` or
 * plain objects). `signal` is the operation's deadline: node-redis drops a command that is
 * still queued when it fires (ioredis has no such hook, see `ready.ts`).
 */
export type SendCommand = (
  args: string[],
  firstKey: string | undefined,
  signal?: AbortSignal,
) => Promise<unknown>;

function isIoRedis(client: RedisClientLike): client is IoRedisLike {
  return typeof (client as Partial<IoRedisLike>).call === 'function';
}

function isNodeRedisCluster(client: RedisClientLike): client is NodeRedisClusterLike {
  return Array.isArray((client as Partial<NodeRedisClusterLike>).masters);
}

/** True when `value` looks like a client {@link toSendCommand} can drive. */
export function isRedisClientLike(value: unknown): value is RedisClientLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<IoRedisLike & NodeRedisLike>;
  return typeof candidate.call === 'function' || typeof candidate.sendCommand === 'function';
}

/** Adapts either driver's raw command method to one {@link SendCommand} function. */
export function toSendCommand(client: RedisClientLike): SendCommand {
  if (isIoRedis(client)) {
    return (args) => {
      const [command, ...rest] = args;
      return client.call(command as string, ...rest);
    };
  }
  if (isNodeRedisCluster(client)) {
    // Reads go to masters too (isReadonly false): a replica may lag behind a just-written
    // session, and a stale read could resurrect what a sign-out just destroyed.
    return (args, firstKey, signal) =>
      client.sendCommand(firstKey, false, args, signal && { abortSignal: signal });
  }
  const single = client as NodeRedisLike;
  return (args, _firstKey, signal) => single.sendCommand(args, signal && { abortSignal: signal });
}

/** The part of an ioredis client the store needs to own its lifetime. */
export interface OwnedClient extends IoRedisLike {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

interface IoRedisModule {
  readonly Redis?: new (url: string, options: object) => OwnedClient;
  readonly default?: new (url: string, options: object) => OwnedClient;
}

/** The defaults of the client {@link createIoRedisClient} makes; `clientOptions` win. */
export function ownedClientDefaults(commandTimeout: number): Record<string, unknown> {
  return {
    // A command waiting for a reconnect is dropped after one failed reconnection attempt,
    // while the client itself keeps reconnecting forever (ioredis' default retry strategy).
    maxRetriesPerRequest: 1,
    // A connection that delivers nothing for this long while a command is pending is
    // destroyed and replaced: without it, a half-open connection (a NAT or load balancer
    // that dropped its state) fails every request for as long as the process runs.
    socketTimeout: commandTimeout,
    // A command written to a connection that died may already have run, or not; its
    // operation has failed (503) by then, so it is never written again on the next one.
    autoResendUnfulfilledCommands: false,
    // No queue of commands for a connection that is not there: the store waits for the
    // client to be ready itself (ready.ts) and gives up at its deadline, so nothing it
    // answered 503 for is sent later from a queue.
    enableOfflineQueue: false,
  };
}

/**
 * Creates an ioredis client for `url`. ioredis is imported here, on first use, so that an
 * application passing its own client (or using node-redis) never needs ioredis installed.
 *
 * Defaults (see {@link ownedClientDefaults}) favour failing fast over queueing, replace a
 * silent connection after `commandTimeout`, and never re-send a command; the client keeps
 * reconnecting, so the store recovers by itself. `clientOptions` override any of these.
 */
export async function createIoRedisClient(
  url: string,
  clientOptions: object,
  commandTimeout: number,
): Promise<OwnedClient> {
  // A literal specifier, so bundlers see the optional dependency and can include it.
  const mod = (await import('ioredis')) as unknown as IoRedisModule;
  const Redis = mod.Redis ?? mod.default;
  if (typeof Redis !== 'function') throw new Error('the ioredis module exports no Redis class');
  const client = new Redis(url, { ...ownedClientDefaults(commandTimeout), ...clientOptions });
  // Without a listener ioredis prints every connection error; the store reports failures
  // through rejected operations (SessionStoreError with the driver error as `cause`).
  client.on('error', () => {});
  return client;
}
