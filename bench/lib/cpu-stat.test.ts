import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foreignShare, readCpuTicks } from './cpu-stat.js';

test('foreign share is busy time not spent by the server, over the window', {
  timeout: 60_000,
}, () => {
  // 100 ticks of 10 ms = 1 s window (CLK_TCK is 100 on Linux); 60 busy, server used 0.4 s.
  const share = foreignShare({ busy: 0, total: 0 }, { busy: 60, total: 100 }, 400_000);
  assert.ok(share !== null && Math.abs(share - 0.2) < 1e-9);
});

test('foreign share is clamped to [0, 1] and unknown without counters', { timeout: 60_000 }, () => {
  assert.equal(foreignShare({ busy: 0, total: 0 }, { busy: 10, total: 100 }, 900_000), 0);
  assert.equal(foreignShare(null, { busy: 1, total: 2 }, 0), null);
  assert.equal(foreignShare({ busy: 5, total: 9 }, { busy: 5, total: 9 }, 0), null);
  assert.equal(readCpuTicks(null), null);
});

test('reads counters for CPU 0 on Linux', {
  timeout: 60_000,
  skip: process.platform !== 'linux',
}, () => {
  const ticks = readCpuTicks('0');
  assert.ok(ticks !== null && ticks.total >= ticks.busy && ticks.busy > 0);
});
