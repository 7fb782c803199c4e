import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { lacksQueryTimeout } from './pool-warning.js';

// A pg.Pool connects on first query only: nothing here opens a connection.
describe('postgres pool settings check', { timeout: 60_000 }, () => {
  it('flags a pg.Pool without query_timeout, and only that', async () => {
    const bare = new pg.Pool({ connectionString: 'postgres://x@127.0.0.1:1/x' });
    const tuned = new pg.Pool({
      connectionString: 'postgres://x@127.0.0.1:1/x',
      query_timeout: 2000,
    });
    try {
      assert.equal(lacksQueryTimeout(bare), true);
      assert.equal(lacksQueryTimeout(tuned), false);
      assert.equal(lacksQueryTimeout({ query: async () => ({ rows: [], rowCount: 0 }) }), false);
    } finally {
      await Promise.all([bare.end(), tuned.end()]);
    }
  });
});
