/**
 * S-55 over real HTTP with a real PostgreSQL outage: the test app runs in this process
 * over `postgresStore({ connectionString, queryTimeout: 500 })`, whose connections go
 * through a TCP proxy this file controls (test/integration/tcp-proxy.ts). Stopping the
 * proxy is the database going away (connections reset, port closed); freezing it is a
 * hung database. A table lock stalls a write after its read. The shared PostgreSQL is
 * never touched beyond a schema of this run's own, dropped at the end.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { isSessionStoreError } from '../../src/errors.js';
import { type PostgresStore, postgresStore } from '../../src/stores/postgres/index.js';
import { startApp, type TestApp } from '../support/app.js';
import { CookieJar, newSecret, send, type TestResponse } from '../support/http.js';
import { DATABASE_URL, freePort, probePostgres, waitUntil } from '../support/services.js';
import { TcpProxy } from './tcp-proxy.js';

const QUERY_TIMEOUT = 500;
/** Bound on waiting for recovery; only a ceiling, nothing asserts how fast it was. */
const RECOVERY_DEADLINE = 15_000;
const run = randomBytes(6).toString('hex');
const schema = `tessera_it_outage_${run}`;
const table = `${schema}.sessions`;
/** Tells this run's store connections apart in pg_stat_activity. */
const applicationName = `tessera-it-${run}`;

/** The fail-closed answer: 503, Retry-After, a fixed body, no cookie, no stack trace. */
function assertUnavailable(response: TestResponse, what: string): void {
  assert.equal(response.status, 503, what);
  assert.equal(response.headers['retry-after'], '5', what);
  assert.equal(response.body, 'Service Unavailable', what);
  assert.deepEqual(response.setCookie, [], `${what}: no Set-Cookie`);
}

function data(response: TestResponse): { isNew: boolean; data: Record<string, unknown> } {
  assert.equal(response.status, 200, response.body);
  return JSON.parse(response.body);
}

const skip = await probePostgres();

describe('PostgreSQL outage over HTTP (through a TCP proxy)', { skip, timeout: 60_000 }, () => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  let admin: pg.Pool;
  let proxy: TcpProxy;
  let store: PostgresStore;
  let app: TestApp;

  before(async () => {
    process.on('unhandledRejection', onRejection);
    admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    admin.on('error', () => {});
    await admin.query(`CREATE SCHEMA ${schema}`);
    const target = new URL(DATABASE_URL);
    proxy = new TcpProxy(await freePort(), {
      host: target.hostname,
      port: Number(target.port || 5432),
    });
    await proxy.start();
    target.hostname = '127.0.0.1';
    target.port = String(proxy.port);
    store = postgresStore({
      connectionString: target.href,
      poolOptions: { application_name: applicationName },
      tableName: table,
      queryTimeout: QUERY_TIMEOUT,
      pruneInterval: 0,
    });
    await store.ready();
    app = await startApp({ secrets: [newSecret()], store, cookie: { secure: false } });
  });

  after(async () => {
    process.off('unhandledRejection', onRejection);
    proxy?.thaw();
    await app?.close();
    await store?.close();
    await proxy?.stop();
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  it('S-55 the database gone: 503 + Retry-After, guests unaffected; when it returns the original cookie works again', async () => {
    const jar = new CookieJar();
    data(await jar.send(`${app.url}/inc`));
    await proxy.stop();
    assertUnavailable(await jar.send(`${app.url}/read`), 'read with a session cookie');
    assertUnavailable(await jar.send(`${app.url}/inc`), 'write with a session cookie');
    const signOut = await jar.send(`${app.url}/destroy`);
    assert.equal(signOut.status, 503, 'sign-out never reports success while the row may live');
    assertUnavailable(await send(`${app.url}/inc`), 'creating a session');
    assertUnavailable(await send(`${app.url}/login?user=alice`), 'signing in');
    const guest = await send(`${app.url}/read`);
    assert.equal(data(guest).isNew, true, 'no cookie: served without touching the store');
    assert.deepEqual(guest.setCookie, []);

    await proxy.start();
    await waitUntil(
      async () => (await jar.send(`${app.url}/read`)).status === 200,
      RECOVERY_DEADLINE,
      'reads after the database returned',
    );
    // PostgreSQL kept the row: the outage revoked nothing and the 503s changed nothing.
    const back = data(await jar.send(`${app.url}/read`));
    assert.equal(back.isNew, false);
    assert.deepEqual(back.data, { count: 1 });
    // The sign-out that failed during the outage succeeds now.
    const retried = await jar.send(`${app.url}/destroy`);
    assert.equal(retried.status, 200);
    assert.match(retried.setCookie.join('\n'), /Max-Age=0/i);
    assert.equal(data(await jar.send(`${app.url}/read`)).isNew, true);
  });

  it('S-55 the database hung: 503 after queryTimeout; once it answers, the session is intact', async () => {
    const jar = new CookieJar();
    data(await jar.send(`${app.url}/set?k=who&v=${encodeURIComponent('"kept"')}`));
    proxy.freeze();
    try {
      assertUnavailable(await jar.send(`${app.url}/inc`), 'write with a session cookie');
      assertUnavailable(await send(`${app.url}/inc`), 'creating a session');
      assert.equal(data(await send(`${app.url}/read`)).isNew, true, 'guests are unaffected');
    } finally {
      proxy.thaw();
    }
    await waitUntil(
      async () => (await jar.send(`${app.url}/read`)).status === 200,
      RECOVERY_DEADLINE,
      'reads after the database answered again',
    );
    assert.deepEqual(data(await jar.send(`${app.url}/read`)).data, { who: 'kept' });
  });

  it('S-55 a write stalled after its read (table lock): 503, and statement_timeout means it was never applied', async () => {
    const jar = new CookieJar();
    data(await jar.send(`${app.url}/inc`));
    const locker = await admin.connect();
    try {
      await locker.query('BEGIN');
      // EXCLUSIVE lets plain SELECTs (the load) through and blocks UPDATEs (the commit).
      await locker.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
      assertUnavailable(await jar.send(`${app.url}/inc`), 'a write that timed out');
      // Hold the lock until the server has cancelled the blocked UPDATE by itself.
      await waitUntil(
        async () => {
          const { rows } = await admin.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE application_name = $1 AND wait_event_type = 'Lock'`,
            [applicationName],
          );
          return rows[0].n === 0;
        },
        RECOVERY_DEADLINE,
        'the blocked UPDATE to be cancelled',
      );
    } finally {
      // Released even when ROLLBACK fails: a client left checked out makes admin.end() wait forever.
      await locker.query('ROLLBACK').finally(() => locker.release());
    }
    const read = data(await jar.send(`${app.url}/read`));
    assert.deepEqual(read.data, { count: 1 }, 'the write answered 503 left no trace');
    assert.equal(data(await jar.send(`${app.url}/inc`)).data.count, 2);
  });

  it('S-55 only store errors were reported, and no promise rejection went unhandled', async () => {
    // Late failures of abandoned queries settle after their requests were answered.
    await new Promise((resolve) => setTimeout(resolve, QUERY_TIMEOUT * 2));
    assert.deepEqual(rejections, []);
    assert.ok(app.errors.length > 0);
    for (const error of app.errors) assert.ok(isSessionStoreError(error));
  });
});
