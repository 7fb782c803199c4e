import { InvalidOptionsError } from '../errors.js';
import type { SessionStore } from './contract.js';

const REQUIRED = ['get', 'set', 'patch', 'touch', 'destroy'] as const;
const OPTIONAL = ['listByUser', 'destroyByUser', 'prune', 'close', 'ready'] as const;

/**
 * Refuses anything that is not a {@link SessionStore} when the engine is built, with the
 * likely mistake named: a Redis or PostgreSQL client passed where its store belongs
 * (it "works" and writes `[object Object]` keys with no expiry), a factory that was not
 * called, an express-session store (it needs the bridge).
 */
export function checkStore(store: unknown, option: string): SessionStore {
  if (typeof store === 'function') {
    throw new InvalidOptionsError(
      `${option} is a function, not a store: call the factory (e.g. \`${option}: memoryStore()\`)`,
    );
  }
  if (store === null || typeof store !== 'object') {
    throw new InvalidOptionsError(`${option} must be a SessionStore object`);
  }
  const candidate = store as Record<string, unknown>;
  const hint = misuseHint(candidate);
  if (hint !== null) throw new InvalidOptionsError(`${option} ${hint}`);
  const missing = REQUIRED.filter((method) => typeof candidate[method] !== 'function');
  if (missing.length > 0) {
    throw new InvalidOptionsError(
      `${option} is not a SessionStore: it lacks ${missing.map((m) => `${m}()`).join(', ')}`,
    );
  }
  for (const method of OPTIONAL) {
    if (candidate[method] !== undefined && typeof candidate[method] !== 'function') {
      throw new InvalidOptionsError(`${option}.${method} must be a function when present`);
    }
  }
  return store as SessionStore;
}

function misuseHint(candidate: Record<string, unknown>): string | null {
  if (typeof candidate.hgetall === 'function' || typeof candidate.hGetAll === 'function') {
    return 'is a Redis client, not a store: pass `redisStore({ client })` from tesserajs/stores/redis';
  }
  if (typeof candidate.query === 'function' && typeof candidate.connect === 'function') {
    return 'is a PostgreSQL client or pool, not a store: pass `postgresStore({ pool })` from tesserajs/stores/postgres';
  }
  if (typeof candidate.prepare === 'function' && typeof candidate.exec === 'function') {
    return 'is a SQLite database, not a store: pass `sqliteStore({ database })` from tesserajs/stores/sqlite';
  }
  if (typeof candidate.regenerate === 'function' && typeof candidate.createSession === 'function') {
    return 'is an express-session store: wrap it with `connectStore(store)` from tesserajs/stores/connect';
  }
  return null;
}
