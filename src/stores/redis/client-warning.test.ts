import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cluster, Redis } from 'ioredis';
import { createClient } from 'redis';
import { ownedClientDefaults } from './client.js';
import { missingClientSettings } from './client-warning.js';

// lazyConnect / no connect(): nothing here opens a connection.
describe('redis client settings check', { timeout: 60_000 }, () => {
  it('names what an ioredis client lacks, and nothing for the store-created defaults', () => {
    const bare = new Redis({ lazyConnect: true });
    assert.deepEqual(missingClientSettings(bare), [
      'socketTimeout (e.g. 2000)',
      'autoResendUnfulfilledCommands: false',
    ]);
    const tuned = new Redis({ lazyConnect: true, ...ownedClientDefaults(2000) });
    assert.deepEqual(missingClientSettings(tuned), []);
    const half = new Redis({ lazyConnect: true, socketTimeout: 1000 });
    assert.deepEqual(missingClientSettings(half), ['autoResendUnfulfilledCommands: false']);
  });

  it('reads an ioredis Cluster from its redisOptions', () => {
    const bare = new Cluster([{ port: 1 }], { lazyConnect: true });
    assert.equal(missingClientSettings(bare).length, 2);
    const tuned = new Cluster([{ port: 1 }], {
      lazyConnect: true,
      redisOptions: { socketTimeout: 2000, autoResendUnfulfilledCommands: false },
    });
    assert.deepEqual(missingClientSettings(tuned), []);
  });

  it('asks node-redis only for a socket timeout; leaves unknown clients alone', () => {
    const bare = createClient();
    assert.equal(missingClientSettings(bare).length, 1);
    assert.match(missingClientSettings(bare)[0]!, /socket\.socketTimeout/);
    assert.deepEqual(missingClientSettings(createClient({ socket: { socketTimeout: 5000 } })), []);
    assert.deepEqual(missingClientSettings({ call: async () => null }), []);
    assert.deepEqual(missingClientSettings({ sendCommand: async () => null }), []);
  });
});
