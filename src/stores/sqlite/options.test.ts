import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidOptionsError } from '../../errors.js';
import { sqliteStore } from './store.js';

describe('sqlite store options', { timeout: 60_000 }, () => {
  it('needs exactly one of database and filename, and sane numbers', () => {
    const bad: object[] = [
      {},
      { filename: 'a.db', database: { prepare() {}, exec() {} } },
      { filename: '' },
      { database: {} },
      { filename: 'a.db', driver: 'sqlite3' },
      { filename: 'a.db', busyTimeout: -1 },
      { filename: 'a.db', pruneInterval: 1.5 },
      { filename: 'a.db', pruneInterval: 2 ** 31 },
      { filename: 'a.db', tableName: 'Sessions' },
    ];
    for (const options of bad) {
      assert.throws(() => sqliteStore(options), InvalidOptionsError, JSON.stringify(options));
    }
  });
});
