/**
 * The connect bridge reads sessions that real express-session wrote (through its own
 * MemoryStore, and through connect-redis to Redis), instead of refusing them as corrupt.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { RedisStore } from 'connect-redis';
import session from 'express-session';
import { createClient } from 'redis';
import { connectStore } from '../../src/stores/connect/index.js';
import {
  Client,
  listen,
  makeApp,
  ORIGINAL,
  type Running,
} from '../adapters/express-session/harness.js';
import { probeRedis, REDIS_URL } from '../support/services.js';

const OPTIONS = {
  secret: 'a secret for the bridge test, 32 chars',
  resave: false,
  saveUninitialized: false,
  cookie: { maxAge: 3_600_000 },
};

const servers: Running[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** Runs a real express-session app on `store`; returns the id of the session it wrote. */
async function writeWithExpressSession(store: session.Store): Promise<string> {
  const server = await listen(makeApp(ORIGINAL, { ...OPTIONS, store }));
  servers.push(server);
  const client = new Client(server.url);
  await client.get('/inc');
  await client.get('/user');
  await client.get('/inc');
  const value = decodeURIComponent(client.jar.get('connect.sid') ?? '');
  return value.slice(2, value.lastIndexOf('.'));
}

async function checkRecord(store: session.Store, sid: string): Promise<void> {
  const bridge = connectStore(store);
  const before = Date.now();
  const record = await bridge.get(sid);
  assert.ok(record !== null, 'the record is read, not refused as corrupt');
  assert.deepStrictEqual(
    { ...record.data },
    { views: '2', user: '{"name":"ada","roles":["reader"]}' },
  );
  assert.equal(record.userId, null);
  assert.ok(record.expiresAt > before && record.expiresAt <= before + 3_600_000);
  assert.ok(record.createdAt <= record.expiresAt);
  // Listing by user scans them without failing (no express-session session has a user).
  assert.deepStrictEqual(await bridge.listByUser!('nobody'), []);
}

describe('connect bridge reads express-session sessions', { timeout: 60_000 }, () => {
  it("written by express-session's MemoryStore", async () => {
    const store = new session.MemoryStore();
    await checkRecord(store, await writeWithExpressSession(store));
  });
});

const skip = await probeRedis();
const prefix = `tessera-test:${randomBytes(6).toString('base64url')}:bridge-es:`;
const redis = createClient({ url: REDIS_URL });
redis.on('error', () => {});
if (!skip) await redis.connect();

describe('connect bridge reads express-session sessions in Redis', {
  skip,
  timeout: 60_000,
}, () => {
  after(async () => {
    if (skip) return;
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) await redis.del(keys);
    }
    await redis.quit();
  });

  it('written by express-session through connect-redis', async () => {
    const store = new RedisStore({ client: redis, prefix });
    await checkRecord(store, await writeWithExpressSession(store));
  });
});
