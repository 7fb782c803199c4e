/**
 * The Redis store on Redis Cluster: a private one-node cluster (a `redis-server` child in
 * cluster mode owning all 16384 slots). One node is enough to prove the key design, since
 * Redis refuses a command or script touching keys of different slots (CROSSSLOT) on any
 * cluster node, and the session hashes and user indexes of one run spread over many slots.
 * The conformance suite runs through ioredis' Cluster and node-redis' createCluster().
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { redisStore } from '../../src/stores/redis/index.js';
import {
  liveRecord,
  randomStoreKey,
  randomUserId,
  runStoreConformance,
} from '../../src/testing/index.js';
import { PrivateRedis } from '../support/redis-server.js';
import { probeRedisServerBinary, waitUntil } from '../support/services.js';

const skip = probeRedisServerBinary('the Redis Cluster tests');
let server: PrivateRedis | undefined;
let dir: string | undefined;

/** Starts a one-node cluster and waits until it serves every slot. */
async function startCluster(): Promise<number> {
  dir = mkdtempSync(join(tmpdir(), 'tessera-redis-cluster-'));
  // One node never learns its own address; without announce-ip it would tell clients
  // to connect to "" and they would wait forever.
  const args =
    '--cluster-enabled yes --cluster-config-file nodes.conf --cluster-announce-ip 127.0.0.1';
  server = await PrivateRedis.onFreePort(['--dir', dir, ...args.split(' ')]);
  const admin = server.admin();
  try {
    await waitUntil(
      async () => {
        const info = String(await admin.call('CLUSTER', 'INFO'));
        if (info.includes('cluster_slots_assigned:0')) {
          await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
        }
        return info.includes('cluster_state:ok');
      },
      10_000,
      'the one-node cluster to serve every slot',
    );
  } finally {
    admin.disconnect();
  }
  return server.port;
}

const port = skip ? 0 : await startCluster();
const io = new Cluster([{ host: '127.0.0.1', port }], { lazyConnect: true });
io.on('error', () => {});
const nodeRedis = createCluster({ rootNodes: [{ url: `redis://127.0.0.1:${port}` }] });
nodeRedis.on('error', () => {});
if (!skip) await Promise.all([io.connect(), nodeRedis.connect()]);

after(async () => {
  if (!skip) await nodeRedis.close();
  io.disconnect();
  await server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

runStoreConformance({
  name: 'redis cluster (ioredis Cluster)',
  create: async () => redisStore({ client: io, prefix: 'io:' }),
  capabilities: { byUser: true, prune: false },
  skip,
});

runStoreConformance({
  name: 'redis cluster (node-redis createCluster)',
  create: async () => redisStore({ client: nodeRedis, prefix: 'nr:' }),
  capabilities: { byUser: true, prune: false },
  skip,
});

describe('redis cluster key design', { skip, timeout: 60_000 }, () => {
  before(() => assert.ok(port > 0));

  it("a user's sessions and index live in different slots, and all operations work", async () => {
    const store = redisStore({ client: io, prefix: 'slots:' });
    const userId = randomUserId();
    const keys = Array.from({ length: 5 }, randomStoreKey);
    for (const key of keys) await store.set(key, liveRecord({ a: '1' }, userId));
    const slots = new Set<number>();
    for (const name of [...keys.map((k) => `slots:s:${k}`), `slots:u:${userId}`]) {
      slots.add(Number(await io.call('CLUSTER', 'KEYSLOT', name)));
    }
    assert.ok(slots.size > 1, 'the keys spread over several slots');
    assert.equal((await store.listByUser(userId)).length, 5);
    assert.equal(await store.destroyByUser(userId, keys[0]), 4);
    assert.equal(
      await store.patch(keys[0]!, {
        set: {},
        remove: [],
        expiresAt: Date.now() + 60_000,
        userId: 'x',
      }),
      true,
    );
  });
});
