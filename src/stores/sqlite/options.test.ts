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
      { filename: 'a.db', pruneBatchSize: 0 },
      { filename: 'a.db', pruneBatchSize: 2.5 },
    ];
    for (const options of bad) {
      assert.throws(() => sqliteStore(options), InvalidOptionsError, JSON.stringify(options));
    }
  });

  it("driver 'node:sqlite' is refused at construction where the runtime lacks it", async () => {
    const available = await import('node:sqlite' as string).then(
      () => true,
      () => false,
    );
    const create = (): unknown =>
      sqliteStore({ filename: ':memory:', driver: 'node:sqlite', pruneInterval: 0 });
    if (available) {
      // Where the module exists the store is made and works.
      const store = create() as ReturnType<typeof sqliteStore>;
      await store.ready();
      await store.close();
    } else {
      assert.throws(create, (error: unknown) => {
        assert.ok(error instanceof InvalidOptionsError);
        assert.match(error.message, /needs Node\.js >= 22\.5/);
        return true;
      });
    }
  });
});
