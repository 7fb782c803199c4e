import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidOptionsError } from '../../errors.js';
import { postgresStore } from './store.js';

describe('postgres store options', { timeout: 60_000 }, () => {
  it('needs exactly one of pool and connectionString, and sane numbers', () => {
    const pool = { query: async () => ({ rows: [], rowCount: 0 }) };
    const bad: object[] = [
      {},
      { pool, connectionString: 'postgres://x' },
      { connectionString: '' },
      { pool: {} },
      { pool, queryTimeout: 0 },
      { pool, queryTimeout: 2 ** 31 },
      { pool, pruneInterval: -1 },
      { pool, tableName: 'public.Sessions' },
    ];
    for (const options of bad) {
      assert.throws(() => postgresStore(options), InvalidOptionsError, JSON.stringify(options));
    }
  });
});
