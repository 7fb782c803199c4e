/**
 * What the configuration asks for, built: the session store (store mode) or registry
 * (cookie mode), the user repository and the sign-in throttle's counters, with one
 * `close()` for shutdown and one line each for the start-up banner.
 *
 * - `sqlite` (default): sessions and users in one SQLite file in the data folder.
 * - `cookie`: sessions sealed in the cookie; a registry of them in the same SQLite file,
 *   so the account page can list and revoke devices; users in SQLite.
 * - `redis`: sessions and the throttle's counters in Redis; users in SQLite.
 * - `postgres`: sessions and users in PostgreSQL.
 */
import { type AttemptStore, memoryAttempts, type UserRepository } from '../../src/auth/index.js';
import { redisAttempts } from '../../src/auth/throttle/redis/index.js';
import { postgresUsers } from '../../src/auth/users/postgres/index.js';
import { sqliteUsers } from '../../src/auth/users/sqlite/index.js';
import type { SessionStore } from '../../src/stores/contract.js';
import { postgresStore } from '../../src/stores/postgres/index.js';
import { redisStore } from '../../src/stores/redis/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import type { AppConfig } from './config.js';

/** The app's storage, ready to hand to `expressSessions` and `createAuth`. */
export interface Backends {
  /** Store mode: where sessions live. */
  readonly store?: SessionStore;
  /** Cookie mode: the record of sealed sessions (devices, revocation). */
  readonly registry?: SessionStore;
  readonly users: UserRepository & { ready?(): Promise<void> };
  readonly attempts: AttemptStore & { close?(): Promise<void> };
  /** For the start-up banner: the mode, where sessions and users live (paths, hosts). */
  readonly description: {
    readonly mode: string;
    readonly sessions: string;
    readonly users: string;
    /** For the pages' footer: the kind of store only, no path or host. */
    readonly brief: string;
  };
  /** Closes every connection opened here. */
  close(): Promise<void>;
}

/** Where a URL points, without its password (for the banner). */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export function createBackends(config: AppConfig): Backends {
  const file = config.databaseFile;
  const inFile = `SQLite ${file}`;
  const closers: Array<() => Promise<void>> = [];
  const owned = <T extends { close?(): Promise<void> }>(resource: T): T => {
    closers.push(async () => resource.close?.());
    return resource;
  };
  const close = async (): Promise<void> => {
    // Newest first, every one attempted even when one fails.
    const results = await Promise.allSettled(closers.reverse().map((closer) => closer()));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  };

  switch (config.mode) {
    case 'sqlite':
      return {
        store: owned(sqliteStore({ filename: file })),
        users: owned(sqliteUsers({ filename: file })),
        attempts: owned(memoryAttempts()),
        description: {
          mode: 'store',
          sessions: inFile,
          users: inFile,
          brief: 'store mode, in SQLite',
        },
        close,
      };
    case 'cookie':
      return {
        registry: owned(sqliteStore({ filename: file })),
        users: owned(sqliteUsers({ filename: file })),
        attempts: owned(memoryAttempts()),
        description: {
          mode: 'cookie',
          sessions: `sealed in the cookie, registry in ${inFile}`,
          users: inFile,
          brief: 'cookie mode, sealed in the cookie',
        },
        close,
      };
    case 'redis':
      return {
        store: owned(redisStore({ url: config.redisUrl })),
        users: owned(sqliteUsers({ filename: file })),
        attempts: owned(redisAttempts({ url: config.redisUrl })),
        description: {
          mode: 'store',
          sessions: `Redis ${withoutPassword(config.redisUrl)}`,
          users: inFile,
          brief: 'store mode, in Redis',
        },
        close,
      };
    case 'postgres': {
      const where = `PostgreSQL ${withoutPassword(config.databaseUrl)}`;
      return {
        store: owned(postgresStore({ connectionString: config.databaseUrl })),
        users: owned(postgresUsers({ connectionString: config.databaseUrl })),
        attempts: owned(memoryAttempts()),
        description: {
          mode: 'store',
          sessions: where,
          users: where,
          brief: 'store mode, in PostgreSQL',
        },
        close,
      };
    }
  }
}
