/**
 * One Redis connection with deadlines, shared by everything Tessera keeps in Redis (the
 * session store, the throttle's counters): the client passed in or the ioredis client
 * made from a URL on first use, each operation bounded by `commandTimeout`, and nothing
 * sent after an operation's deadline.
 */
import { SessionStoreError } from '../../errors.js';
import { withDeadline } from '../deadline.js';
import {
  createIoRedisClient,
  type OwnedClient,
  type RedisClientLike,
  type SendCommand,
  toSendCommand,
} from './client.js';
import { warnAboutClient } from './client-warning.js';
import { untilReady } from './ready.js';

/** What a {@link RedisConnection} is made from: exactly one of `client` and `url`. */
export interface RedisConnectionOptions {
  readonly client: RedisClientLike | undefined;
  readonly url: string | undefined;
  readonly clientOptions: object;
  readonly commandTimeout: number;
}

/** A client and the way of sending commands through it. */
interface Connection {
  readonly client: RedisClientLike;
  readonly send: SendCommand;
}

function connection(client: RedisClientLike): Connection {
  return { client, send: toSendCommand(client) };
}

/** A client passed in, or owned (made from `url`, quit by {@link RedisConnection.close}). */
export class RedisConnection {
  readonly #options: RedisConnectionOptions;
  /** What failures are called in messages: `session store`, `throttle store`. */
  readonly #backend: string;
  /** The factory whose `url` needs ioredis, for the message when it is missing. */
  readonly #owner: string;
  #connection: Promise<Connection> | undefined;
  #owned: Promise<OwnedClient> | undefined;
  #closed = false;

  constructor(options: RedisConnectionOptions, backend: string, owner: string) {
    this.#options = options;
    this.#backend = backend;
    this.#owner = owner;
    if (options.client !== undefined) {
      warnAboutClient(options.client);
      this.#connection = Promise.resolve(connection(options.client));
    }
  }

  /** The client and its command sender, creating the owned ioredis client on first use. */
  #sender(operation: string): Promise<Connection> {
    if (this.#closed) {
      return Promise.reject(
        new SessionStoreError(operation, { message: `redis ${this.#backend} is closed` }),
      );
    }
    if (this.#connection === undefined) {
      const { url, clientOptions, commandTimeout } = this.#options;
      this.#owned = createIoRedisClient(url as string, clientOptions, commandTimeout).catch(
        (cause: unknown) => {
          throw new SessionStoreError(operation, {
            cause,
            message: `${this.#owner}: \`url\` needs the ioredis package; install it or pass \`client\``,
          });
        },
      );
      this.#connection = this.#owned.then(connection);
    }
    return this.#connection;
  }

  /**
   * Runs `work` within `commandTimeout`. No command leaves after the deadline: the
   * client is waited for until it is connected (so ioredis never queues one), and each
   * command is checked against the deadline as it is sent (node-redis also gets the
   * signal, dropping a command still in its queue). A 503 write is thus never sent late;
   * one sent before the deadline may still have run.
   */
  run<T>(operation: string, work: (send: SendCommand) => Promise<T>): Promise<T> {
    return withDeadline(
      operation,
      this.#options.commandTimeout,
      async (signal) => {
        const { client, send } = await this.#sender(operation);
        await untilReady(client, signal);
        const guarded: SendCommand = (args, firstKey) => {
          if (signal.aborted) return Promise.reject(signal.reason);
          return send(args, firstKey, signal);
        };
        return work(guarded);
      },
      this.#backend,
    );
  }

  /** Quits the client made from `url`; a client passed in is left open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const owned = await this.#owned?.catch(() => undefined);
    if (owned === undefined) return;
    try {
      await withDeadline('close', this.#options.commandTimeout, () => owned.quit());
    } catch {
      // Unreachable server: nothing to say goodbye to; disconnect below frees the socket.
    } finally {
      owned.disconnect();
    }
  }
}
