/**
 * A scheduled prune that fails on a real PostgreSQL server is reported, not swallowed:
 * without `onPruneError` the store prints one line on stderr per failed sweep (code and
 * message, no data) and tries again on the next tick. The fault is real (the table is
 * dropped under the store); only console.error is replaced, to read what it prints.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { postgresStore } from '../../src/stores/postgres/index.js';
import { liveRecord, randomStoreKey } from '../../src/testing/index.js';
import { probePostgres, DATABASE_URL as url, waitUntil } from '../support/services.js';

const skip = await probePostgres();
const admin = new pg.Pool({ connectionString: url, max: 1 });
admin.on('error', () => {});
after(() => admin.end());

describe('PostgreSQL store: a failed scheduled prune', { skip, timeout: 60_000 }, () => {
  it('prints one line per failed sweep by default, with the code and without data', async () => {
    const tableName = `tessera_prune_${randomBytes(6).toString('hex')}`;
    const store = postgresStore({ connectionString: url, tableName, pruneInterval: 50 });
    const printed: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    };
    try {
      const key = randomStoreKey();
      await store.set(key, liveRecord({ secret: 'do not print me' }));
      await admin.query(`DROP TABLE ${tableName}`);
      await waitUntil(async () => printed.length >= 2, 20_000, 'two failed sweeps reported');
    } finally {
      console.error = original;
      await store.close();
    }
    for (const line of printed) {
      assert.match(
        line,
        /^tesserajs: scheduled prune of expired sessions failed \(STORE_UNAVAILABLE\)/,
      );
      assert.doesNotMatch(line, /do not print me/);
    }
  });
});
