/**
 * Migration without signing anyone out: sessions minted by the original express-session
 * (its `s:` cookie and its records in MemoryStore, connect-redis on Redis and
 * connect-pg-simple on PostgreSQL) are accepted by `tesserajs/express-session`, what it
 * writes back is read by the original again (switching back), and the stores are used
 * unchanged.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, describe, it } from 'node:test';
import { RedisStore } from 'connect-redis';
import original from 'express-session';
import pg from 'pg';
import { createClient } from 'redis';
import dropIn from '../../src/adapters/express-session/index.js';
import { DATABASE_URL, probePostgres, probeRedis, REDIS_URL } from '../support/services.js';
import {
  Client,
  DROP_IN,
  listen,
  makeApp,
  ORIGINAL,
  type Running,
} from './express-session/harness.js';

// connect-pg-simple ships no types: `connectPg(session)` returns its store class.
const connectPg = createRequire(import.meta.url)('connect-pg-simple') as (
  session: unknown,
) => new (
  options: object,
) => object;

/** The raw session id in a client's `connect.sid` cookie. */
function rawId(client: Client): string {
  const value = decodeURIComponent(client.jar.get('connect.sid') ?? '');
  return value.slice(2, value.lastIndexOf('.'));
}

const SECRET = 'a secret both apps share, 32+ chars';
const OPTIONS = {
  secret: SECRET,
  resave: false,
  saveUninitialized: false,
  cookie: { maxAge: 3_600_000 },
};

const servers: Running[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function pair(
  storeFor: (side: 'original' | 'drop-in') => unknown,
  options: object = OPTIONS,
) {
  const a = await listen(makeApp(ORIGINAL, { ...options, store: storeFor('original') }));
  const b = await listen(makeApp(DROP_IN, { ...options, store: storeFor('drop-in') }));
  servers.push(a, b);
  return { original: a.url, dropIn: b.url };
}

type View = { sessionID: string; views: number | null; user: unknown };

/**
 * The migration script: sign in on the original, switch to the drop-in (same session),
 * change things there, switch back (same session, changes visible), and regenerate.
 */
async function migrate(urls: { original: string; dropIn: string }): Promise<void> {
  const client = new Client(urls.original);
  const body = async (path: string, base: string): Promise<View> => {
    const response = await client.get(path, {}, base);
    assert.equal(response.status, 200, `${path} on ${base}`);
    return response.body as View;
  };
  await body('/inc', urls.original);
  await body('/user', urls.original);
  const minted = await body('/inc', urls.original);
  assert.equal(minted.views, 2);

  const switched = await body('/', urls.dropIn);
  assert.equal(switched.sessionID, minted.sessionID, 'the same session: nobody is signed out');
  assert.equal(switched.views, 2);
  assert.deepStrictEqual(switched.user, { name: 'ada', roles: ['reader'] });
  await body('/promote', urls.dropIn);
  assert.equal((await body('/inc', urls.dropIn)).views, 3);

  const back = await body('/', urls.original);
  assert.equal(back.sessionID, minted.sessionID, 'switching back keeps the session too');
  assert.equal(back.views, 3);
  assert.deepStrictEqual(back.user, { name: 'ada', roles: ['reader', 'admin'] });

  // A session the drop-in starts is read by the original, and the other way round.
  const renewed = await body('/regenerate', urls.dropIn);
  assert.notEqual(renewed.sessionID, minted.sessionID);
  assert.equal((await body('/', urls.original)).views, 100);
  // Regenerating under the original works on a store of either module too.
  const again = await body('/regenerate', urls.original);
  assert.notEqual(again.sessionID, renewed.sessionID);
  assert.equal((await body('/', urls.dropIn)).views, 100);
  assert.equal((await body('/destroy', urls.original)).views, null);
  assert.equal((await body('/', urls.dropIn)).views, null, 'destroyed by the original');
}

describe('sessions survive the switch: MemoryStore', { timeout: 60_000 }, () => {
  it("express-session's MemoryStore, shared by both apps", async () => {
    const store = new original.MemoryStore();
    await migrate(await pair(() => store));
  });

  it("the drop-in's MemoryStore, shared by both apps", async () => {
    const store = new dropIn.MemoryStore();
    await migrate(await pair(() => store));
  });

  it('a cookie signed with a secret that is now second in the list still verifies', async () => {
    const store = new original.MemoryStore();
    const a = await listen(makeApp(ORIGINAL, { ...OPTIONS, store }));
    const b = await listen(
      makeApp(DROP_IN, {
        ...OPTIONS,
        secret: ['the new secret, 32 characters long', SECRET],
        store,
      }),
    );
    servers.push(a, b);
    const client = new Client(a.url);
    const minted = (await client.get('/inc')).body as View;
    const after = await client.get('/inc', {}, b.url);
    assert.equal((after.body as View).sessionID, minted.sessionID);
    assert.equal((after.body as View).views, 2);
  });
});

const redisSkip = await probeRedis();
const prefix = `tessera-test:${randomBytes(6).toString('base64url')}:es:`;
const redis = createClient({ url: REDIS_URL });
redis.on('error', () => {});
if (!redisSkip) await redis.connect();

describe('sessions survive the switch: connect-redis', { skip: redisSkip, timeout: 60_000 }, () => {
  after(async () => {
    if (redisSkip) return;
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) await redis.del(keys);
    }
    await redis.quit();
  });

  it('one RedisStore, both apps', async () => {
    const store = new RedisStore({ client: redis, prefix });
    await migrate(await pair(() => store));
  });

  it('records the drop-in writes have the shape express-session writes, TTL from cookie.expires', async () => {
    const store = new RedisStore({ client: redis, prefix });
    const urls = await pair(() => store);
    const client = new Client(urls.dropIn);
    await client.get('/inc');
    const sessionID = rawId(client);
    const raw = JSON.parse((await redis.get(`${prefix}${sessionID}`))!);
    assert.deepStrictEqual(Object.keys(raw).sort(), ['cookie', 'views']);
    assert.deepStrictEqual(Object.keys(raw.cookie).sort(), [
      'expires',
      'httpOnly',
      'originalMaxAge',
      'path',
    ]);
    assert.equal(raw.cookie.originalMaxAge, 3_600_000);
    const ttl = await redis.ttl(`${prefix}${sessionID}`);
    assert.ok(ttl > 0 && ttl <= 3600, `ttl ${ttl}`);
  });
});

const pgSkip = await probePostgres();
const table = `tessera_es_${randomBytes(6).toString('hex')}`;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
pool.on('error', () => {});

describe('sessions survive the switch: connect-pg-simple', {
  skip: pgSkip,
  timeout: 60_000,
}, () => {
  after(async () => {
    if (!pgSkip) await pool.query(`DROP TABLE IF EXISTS "${table}"`);
    await pool.end();
  });

  it('connect-pg-simple built on either module, one table', async () => {
    // As the migration guide says: connectPg(session) with the drop-in's default export.
    const OriginalStore = connectPg(original);
    const DropInStore = connectPg(dropIn);
    const options = {
      pool,
      tableName: table,
      createTableIfMissing: true,
      pruneSessionInterval: false as const,
    };
    const stores = { original: new OriginalStore(options), 'drop-in': new DropInStore(options) };
    assert.ok(stores['drop-in'] instanceof dropIn.Store, 'extends the drop-in Store');
    await migrate(await pair((side) => stores[side]));
    const { rows } = await pool.query(`SELECT sess FROM "${table}"`);
    for (const { sess } of rows) assert.equal(typeof sess.cookie, 'object');
  });
});
