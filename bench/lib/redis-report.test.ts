import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROWS } from '../rows.js';
import { redisReport } from './redis-report.js';
import { addWindow, emptyTally } from './round-trips.js';

const rows = ROWS.filter((row) => row.backend === 'redis' && row.mode === 'read');
const sample = { direct: new Set(['hgetall', 'get', 'expire']), scripted: new Set<string>() };

test('a checked row that sends one command too many fails; peers are only reported', {
  timeout: 60_000,
}, () => {
  const tessera = emptyTally();
  addWindow(tessera, new Map([['hgetall', 1000]]), 1000, 100, sample);
  const peer = emptyTally();
  addWindow(
    peer,
    new Map([
      ['get', 500],
      ['expire', 500],
    ]),
    500,
    100,
    sample,
  );
  const tallies = new Map([
    ['tessera-redis-read', tessera],
    ['connect-redis-read', peer],
  ]);
  const good = redisReport(rows, tallies);
  assert.equal(good.failed, false);
  assert.ok(good.lines.some((l) => l.startsWith('- PASS Tessera store=redis')));
  assert.ok(good.lines.some((l) => /connect-redis.*\| 2\.000 \| GET 1\.000, EXPIRE/.test(l)));

  tessera.calls.set('pexpire', 1);
  const bad = redisReport(rows, tallies);
  assert.equal(bad.failed, true);
  assert.ok(bad.lines.some((l) => /^- FAIL .*unexpected PEXPIRE/.test(l)));
});

test('an unmeasured checked row fails; no Redis row, no section', { timeout: 60_000 }, () => {
  assert.equal(redisReport(rows, new Map()).failed, true);
  const other = ROWS.filter((row) => row.backend === undefined);
  assert.deepEqual(redisReport(other, new Map()), { lines: [], failed: false });
});
