/** The Redis session store: one hash per session, native expiry, a per-user index. */
import { CorruptRecordError } from '../../errors.js';
import type { SessionPatch, SessionRecord, SessionStore, UserSessionEntry } from '../contract.js';
import { patchTooLarge } from '../data-bytes.js';
import type { SendCommand } from './client.js';
import { RedisConnection } from './connection.js';
import { decodeRecord } from './decode.js';
import {
  dataFields,
  expiryArgument,
  instant,
  isStorable,
  recordFields,
  removedFields,
  sessionKey,
  storable,
} from './layout.js';
import {
  type RedisStoreOptions,
  type ResolvedRedisStoreOptions,
  resolveRedisStoreOptions,
} from './options.js';
import { PATCH, PATCH_TOO_LARGE, runScript, SET } from './scripts.js';
import {
  destroyUserSessions,
  indexAdd,
  indexSettle,
  listUserSessions,
  PROVISIONAL,
} from './user-index.js';

/** PATCH's result as `patch()` reports it: applied, not (record gone), or too large (throws). */
function patchApplied(result: unknown, max: number | undefined): boolean {
  if (result === null || result === undefined) return false;
  if (max !== undefined && Number(result) === PATCH_TOO_LARGE) throw patchTooLarge(max);
  return true;
}

function isWrongType(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('WRONGTYPE');
}

/**
 * A {@link SessionStore} on Redis >= 6.2 (standalone, Sentinel or Cluster), through ioredis
 * or node-redis. Every contract method except the by-user ones is one round trip; patch
 * and touch are atomic Lua scripts, so concurrent patches of different keys never lose
 * each other. Records expire natively (PEXPIREAT), so there is no `prune()`.
 */
export class RedisStore implements SessionStore {
  readonly #options: ResolvedRedisStoreOptions;
  readonly #connection: RedisConnection;

  constructor(options: RedisStoreOptions) {
    this.#options = resolveRedisStoreOptions(options);
    this.#connection = new RedisConnection(this.#options, 'session store', 'redisStore');
  }

  #run<T>(operation: string, work: (send: SendCommand) => Promise<T>): Promise<T> {
    return this.#connection.run(operation, work);
  }

  #key(key: string): string {
    return sessionKey(this.#options.prefix, key);
  }

  async get(key: string): Promise<SessionRecord | null> {
    const hash = this.#key(key);
    const record = await this.#run('get', async (send) => {
      try {
        return decodeRecord(await send(['HGETALL', hash], hash));
      } catch (error) {
        if (isWrongType(error)) throw new CorruptRecordError('the key is not a hash');
        throw error;
      }
    });
    const now = this.#options.clock();
    // Redis expires by its own clock; the engine's clock decides as well.
    if (record === null || record.expiresAt <= now || record.absoluteExpiresAt <= now) return null;
    return record;
  }

  async set(key: string, record: SessionRecord): Promise<void> {
    const hash = this.#key(key);
    const args = [expiryArgument(record.expiresAt), ...recordFields(record)];
    const { prefix, clock } = this.#options;
    await this.#run('set', async (send) => {
      // The index entry is sent first (one connection runs it first; on Cluster it goes
      // to another node, see docs): a bound session stays findable by destroyByUser.
      const index =
        record.userId === null
          ? undefined
          : indexAdd(
              send,
              prefix,
              record.userId,
              key,
              expiryArgument(record.absoluteExpiresAt),
              clock(),
            );
      await Promise.all([index, runScript(send, SET, hash, args)]);
    });
  }

  async patch(key: string, patch: SessionPatch): Promise<boolean> {
    const hash = this.#key(key);
    const { prefix, clock } = this.#options;
    const userId = patch.userId;
    const mode = userId === undefined ? 'keep' : userId === null ? 'clear' : 'set';
    const set = dataFields(patch.set);
    const now = clock();
    const max = patch.maxDataBytes;
    const args = [
      String(now),
      instant(patch.expiresAt),
      expiryArgument(patch.expiresAt),
      mode,
      typeof userId === 'string' ? storable(userId, 'userId') : '',
      max === undefined ? '' : String(max),
      String(set.length),
      ...set,
      ...removedFields(patch.remove),
    ];
    return this.#run('patch', async (send) => {
      if (typeof userId !== 'string') {
        return patchApplied(await runScript(send, PATCH, hash, args), max);
      }
      // Binding a user: the index entry goes first with a provisional score (the record's
      // absolute expiry is only known to the script), then is settled to the real one.
      const [, absolute] = await Promise.all([
        indexAdd(send, prefix, userId, key, PROVISIONAL, now),
        runScript(send, PATCH, hash, args),
      ]);
      const applied =
        absolute !== null && absolute !== undefined && Number(absolute) !== PATCH_TOO_LARGE;
      const score = applied ? expiryArgument(Number(absolute)) : '';
      // The patch has applied (or not) whatever happens here; a lost settle leaves a
      // provisional member that the next listByUser heals.
      await indexSettle(send, prefix, userId, key, score, now).catch(() => {});
      return patchApplied(absolute, max);
    });
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    const hash = this.#key(key);
    const now = String(this.#options.clock());
    const args = [now, instant(expiresAt), expiryArgument(expiresAt), 'keep', '', '', '0'];
    await this.#run('touch', (send) => runScript(send, PATCH, hash, args));
  }

  async destroy(key: string): Promise<void> {
    const hash = this.#key(key);
    await this.#run('destroy', (send) => send(['DEL', hash], hash));
  }

  /** Two round trips: the index, then every indexed session (pipelined). */
  async listByUser(userId: string): Promise<UserSessionEntry[]> {
    // Nothing can be bound to a user id Redis cannot store exactly (see layout.storable).
    if (!isStorable(userId)) return [];
    const { prefix, clock } = this.#options;
    return this.#run('listByUser', (send) => listUserSessions(send, prefix, userId, clock()));
  }

  /** Two round trips: the index, then one atomic check-and-delete per session (pipelined). */
  async destroyByUser(userId: string, exceptKey?: string): Promise<number> {
    if (!isStorable(userId)) return 0;
    const { prefix } = this.#options;
    return this.#run('destroyByUser', (send) =>
      destroyUserSessions(send, prefix, userId, exceptKey),
    );
  }

  /** Quits the client the store created from `url`; a client passed in is left open. */
  close(): Promise<void> {
    return this.#connection.close();
  }
}
