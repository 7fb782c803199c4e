import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openRawSqlite } from '../../../test/support/sqlite-raw.js';
import { InvalidOptionsError } from '../../errors.js';
import { sqliteSchemaSql, sqliteTableName } from './schema.js';

describe('sqlite table names and schema', { timeout: 60_000 }, () => {
  it('refuses anything that is not a plain lower-case identifier', () => {
    for (const name of [
      '',
      'Sessions',
      'main.sessions',
      'sqlite_sessions',
      'tessera_schema',
      'se"ssions',
      'sessions;DROP TABLE users',
      'a'.repeat(49),
    ]) {
      assert.throws(() => sqliteTableName(name), InvalidOptionsError, name);
    }
  });

  it('the schema SQL is idempotent and STRICT refuses wrongly typed values', () => {
    const db = openRawSqlite(':memory:');
    try {
      db.exec(sqliteSchemaSql());
      db.exec(sqliteSchemaSql());
      const rows = db.prepare('SELECT table_name, version FROM tessera_schema').all();
      // Spread: node:sqlite rows have a null prototype.
      assert.deepStrictEqual(
        rows.map((row) => ({ ...(row as object) })),
        [{ table_name: 'tessera_sessions', version: 1 }],
      );
      assert.throws(() =>
        db.prepare(`INSERT INTO tessera_sessions VALUES ('k', '{}', 'soon', 1, 1, NULL)`).run(),
      );
    } finally {
      db.close();
    }
  });
});
