/**
 * Two app processes, one store: for Redis, PostgreSQL and a SQLite file, two separate
 * `node` child processes (test/integration/server-process.ts) serve the test app on their
 * own ports with the same secret over the same backend, as two instances behind a load
 * balancer would. A browser's session must follow it from one process to the other:
 * reads, writes, concurrent writes to different keys, destroy and regenerate.
 * Each run uses its own Redis prefix, PostgreSQL schema and SQLite file, removed at the end.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { CookieJar, firstCookie, newSecret, send } from '../support/http.js';
import { DATABASE_URL, probePostgres, probeRedis, REDIS_URL } from '../support/services.js';
import { type ChildServer, startChild } from './children.js';
import type { ServerConfig } from './server-process.js';

type Backend = {
  readonly name: string;
  readonly skip: string | false;
  /** The store part of the children's configuration. */
  readonly config: (secret: string) => ServerConfig;
  readonly setup: () => Promise<void>;
  readonly cleanup: () => Promise<void>;
};

const run = randomBytes(6).toString('hex');

const redisPrefix = `tessera-it:${run}:`;
const redisBackend: Backend = {
  name: 'Redis',
  skip: await probeRedis(),
  config: (secret) => ({ secret, backend: 'redis', url: REDIS_URL, prefix: redisPrefix }),
  setup: async () => {},
  cleanup: async () => {
    const client = new Redis(REDIS_URL);
    client.on('error', () => {});
    try {
      // The prefix is hex and ':' only, so it needs no glob escaping.
      const keys = await client.keys(`${redisPrefix}*`);
      if (keys.length > 0) await client.del(...keys);
    } finally {
      client.disconnect();
    }
  },
};

const schema = `tessera_it_${run}`;
async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
const postgresBackend: Backend = {
  name: 'PostgreSQL',
  skip: await probePostgres(),
  config: (secret) => ({
    secret,
    backend: 'postgres',
    url: DATABASE_URL,
    tableName: `${schema}.sessions`,
  }),
  // The schema exists beforehand; the two children race to create the table in it.
  setup: () => adminQuery(`CREATE SCHEMA ${schema}`),
  cleanup: () => adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
};

const sqliteFile = join(tmpdir(), `tessera-it-${run}.db`);
function removeSqliteFiles(): void {
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    rmSync(sqliteFile + suffix, { force: true });
}
process.once('exit', removeSqliteFiles);
const sqliteBackend: Backend = {
  name: 'SQLite (one file)',
  skip: false,
  config: (secret) => ({ secret, backend: 'sqlite', filename: sqliteFile }),
  setup: async () => {},
  cleanup: async () => removeSqliteFiles(),
};

/** The JSON body of a test-app response, after checking it succeeded. */
function body(response: { status: number; body: string }): {
  isNew: boolean;
  userId: string | null;
  data: Record<string, unknown>;
} {
  assert.equal(response.status, 200, response.body);
  return JSON.parse(response.body);
}

for (const backend of [redisBackend, postgresBackend, sqliteBackend]) {
  describe(`two processes over ${backend.name}`, { skip: backend.skip, timeout: 60_000 }, () => {
    let a: ChildServer;
    let b: ChildServer;

    before(async () => {
      await backend.setup();
      const config = backend.config(newSecret());
      // Started together; when one fails the other is still assigned, so `after` stops it.
      const started = await Promise.allSettled([startChild(config), startChild(config)]);
      [a, b] = started.map((result) =>
        result.status === 'fulfilled' ? result.value : undefined,
      ) as [ChildServer, ChildServer];
      for (const result of started) if (result.status === 'rejected') throw result.reason;
    });

    after(async () => {
      try {
        const errors = await Promise.all([a?.stop(), b?.stop()]);
        assert.deepEqual(errors, [[], []], 'neither process answered any request with a 5xx');
      } finally {
        await backend.cleanup();
      }
    });

    it('runs two distinct processes on two ports', () => {
      assert.notEqual(a.pid, b.pid);
      assert.ok(a.pid !== process.pid && b.pid !== process.pid);
      assert.notEqual(a.url, b.url);
    });

    it('a session created through A is read through B, changed through B and read through A', async () => {
      const jar = new CookieJar();
      const created = await jar.send(`${a.url}/inc?key=x`);
      assert.equal(body(created).isNew, true);
      assert.equal(created.setCookie.length, 1);
      const onB = body(await jar.send(`${b.url}/read`));
      assert.equal(onB.isNew, false);
      assert.deepEqual(onB.data, { x: 1 });
      const changed = await jar.send(`${b.url}/set?k=y&v=${encodeURIComponent('"from B"')}`);
      assert.deepEqual(body(changed).data, { x: 1, y: 'from B' });
      assert.deepEqual(changed.setCookie, [], 'same id: B re-issues no cookie for a change');
      const onA = body(await jar.send(`${a.url}/read`));
      assert.equal(onA.isNew, false);
      assert.deepEqual(onA.data, { x: 1, y: 'from B' });
    });

    it('concurrent requests changing different keys through both processes are all kept', async () => {
      const jar = new CookieJar();
      body(await jar.send(`${a.url}/inc?key=seed`));
      const cookie = jar.header()!;
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          send(`${i % 2 === 0 ? a.url : b.url}/inc?key=k${i}`, { cookie }),
        ),
      );
      for (const response of responses) assert.equal(response.status, 200, response.body);
      for (const url of [a.url, b.url]) {
        const { data } = body(await send(`${url}/read`, { cookie }));
        assert.equal(data.seed, 1);
        for (let i = 0; i < 20; i++) assert.equal(data[`k${i}`], 1, `k${i} read through ${url}`);
        assert.equal(Object.keys(data).length, 21);
      }
    });

    it('S-03 S-10 destroy through A makes B answer the same cookie as a guest', async () => {
      const jar = new CookieJar();
      body(await jar.send(`${a.url}/inc?key=before`));
      const cookie = jar.header()!;
      assert.deepEqual(body(await send(`${b.url}/read`, { cookie })).data, { before: 1 });
      const destroyed = await send(`${a.url}/destroy`, { cookie });
      assert.equal(destroyed.status, 200);
      assert.match(destroyed.setCookie.join('\n'), /Max-Age=0/i, 'A expires the cookie');
      const onB = body(await send(`${b.url}/read`, { cookie }));
      assert.equal(onB.isNew, true);
      assert.deepEqual(onB.data, {});
      // Writing through B with the dead cookie starts a new session; the old id is not adopted.
      const rewritten = await send(`${b.url}/inc?key=after`, { cookie });
      assert.equal(body(rewritten).isNew, true);
      const { value } = firstCookie(rewritten.setCookie);
      assert.notEqual(`sid=${value}`, cookie, 'a new id, never the destroyed one');
      assert.equal(body(await send(`${a.url}/read`, { cookie })).isNew, true);
    });

    it('S-05 S-06 regenerate through one process invalidates the old cookie on the other', async () => {
      const jar = new CookieJar();
      body(await jar.send(`${a.url}/inc?key=r`));
      const first = jar.header()!;
      const regenerated = await jar.send(`${b.url}/regenerate`);
      assert.deepEqual(body(regenerated).data, { r: 1 });
      const second = jar.header()!;
      assert.notEqual(second, first, 'B issued a new id');
      const stale = body(await send(`${a.url}/read`, { cookie: first }));
      assert.equal(stale.isNew, true, 'A no longer knows the old id');
      assert.deepEqual(stale.data, {});
      assert.deepEqual(body(await send(`${a.url}/read`, { cookie: second })).data, { r: 1 });
      // And the other way round, through sign-in (setUser + regenerate) on A.
      const login = body(await jar.send(`${a.url}/login?user=alice`));
      assert.equal(login.userId, 'alice');
      const third = jar.header()!;
      assert.notEqual(third, second);
      assert.equal(body(await send(`${b.url}/read`, { cookie: second })).isNew, true);
      const onB = body(await send(`${b.url}/read`, { cookie: third }));
      assert.equal(onB.userId, 'alice');
      assert.deepEqual(onB.data, { r: 1 });
    });
  });
}
