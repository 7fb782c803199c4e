import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidOptionsError } from '../../errors.js';
import { postgresSchemaSql, postgresTableName } from './schema.js';

describe('postgres table names', { timeout: 60_000 }, () => {
  it('quotes plain and schema-qualified names', () => {
    assert.deepStrictEqual(postgresTableName('tessera_sessions'), {
      quoted: '"tessera_sessions"',
      bare: 'tessera_sessions',
    });
    assert.deepStrictEqual(postgresTableName('auth.sessions'), {
      quoted: '"auth"."sessions"',
      bare: 'sessions',
    });
  });

  it('refuses anything that is not a plain lower-case identifier', () => {
    for (const name of [
      '',
      'Sessions',
      '1sessions',
      'a.b.c',
      'a.',
      'sessions;DROP TABLE users',
      'se"ssions',
      "se'ssions",
      'sessions -- x',
      'a'.repeat(49),
    ]) {
      assert.throws(() => postgresTableName(name), InvalidOptionsError, name);
    }
  });

  it('schema SQL names every object after the table and records the version', () => {
    const sql = postgresSchemaSql('auth.sessions');
    assert.match(sql, /CREATE TABLE IF NOT EXISTS "auth"."sessions"/);
    assert.match(sql, /"sessions_expires_at_idx" ON "auth"."sessions"/);
    assert.match(sql, /"sessions_user_id_idx" ON "auth"."sessions"/);
    assert.match(sql, /schema version 1'/);
  });
});
