/**
 * The stores warn, once per client, about a Redis client or a pg.Pool the application
 * hands them that can hang on a silent connection (docs/stores-redis.md and
 * docs/stores-sql.md, "Silent connections"). Nothing here connects: the stores judge the
 * client's settings at construction, and the clients connect lazily.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { postgresStore } from '../../src/stores/postgres/index.js';
import { redisStore } from '../../src/stores/redis/index.js';

/** The warnings with `code` emitted while `run` builds stores. */
async function warningsDuring(code: string, run: () => void): Promise<string[]> {
  const seen: string[] = [];
  const listener = (warning: Error & { code?: string }): void => {
    if (warning.code === code) seen.push(warning.message);
  };
  process.on('warning', listener);
  try {
    run();
    // emitWarning delivers on the next tick; a macrotask later every one has arrived.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

describe('stores warn about clients passed in without silent-connection settings', {
  timeout: 60_000,
}, () => {
  it('redisStore: one TESSERA_REDIS_CLIENT_SETTINGS warning per bare ioredis client, none for a tuned one', async () => {
    const bare = new Redis({ lazyConnect: true });
    const tuned = new Redis({
      lazyConnect: true,
      socketTimeout: 2000,
      autoResendUnfulfilledCommands: false,
    });
    const warnings = await warningsDuring('TESSERA_REDIS_CLIENT_SETTINGS', () => {
      redisStore({ client: bare });
      redisStore({ client: bare, prefix: 'second:' });
      redisStore({ client: tuned });
    });
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /socketTimeout/);
    assert.match(warnings[0]!, /autoResendUnfulfilledCommands: false/);
    bare.disconnect();
    tuned.disconnect();
  });

  it('postgresStore: one TESSERA_PG_POOL_SETTINGS warning per pool without query_timeout, none with it', async () => {
    const bare = new pg.Pool({ connectionString: 'postgres://127.0.0.1:1/none' });
    const tuned = new pg.Pool({
      connectionString: 'postgres://127.0.0.1:1/none',
      query_timeout: 2000,
    });
    const warnings = await warningsDuring('TESSERA_PG_POOL_SETTINGS', () => {
      postgresStore({ pool: bare, createTable: false, pruneInterval: 0 });
      postgresStore({ pool: bare, createTable: false, pruneInterval: 0 });
      postgresStore({ pool: tuned, createTable: false, pruneInterval: 0 });
    });
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /query_timeout/);
    await Promise.all([bare.end(), tuned.end()]);
  });
});
