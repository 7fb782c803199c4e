import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROWS } from '../rows.js';
import type { Sample } from './measure.js';
import { cookieHeader } from './probe.js';
import { cacheTable } from './report.js';
import { median } from './stats.js';
import { summarize } from './summary.js';

const sample = (rps: number, cpuUsPerRequest: number): Sample => ({
  rps,
  p99Us: 1000,
  cpuUsPerRequest,
  cache: null,
  foreignCpu: null,
});
const rows = ROWS.filter((r) => r.id === 'node-bare' || r.id === 'tessera-cookie-read');

test('median of odd and even lists', { timeout: 60_000 }, () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('ratio and overhead are paired per repetition, then reduced to medians', {
  timeout: 60_000,
}, () => {
  const samples = new Map([
    ['node-bare', [sample(100, 20), sample(50, 40), sample(100, 20)]],
    ['tessera-cookie-read', [sample(90, 21), sample(40, 43), sample(80, 25)]],
  ]);
  const [bare, tessera] = summarize(rows, samples, new Map());
  assert.equal(bare?.ratio, 1);
  assert.equal(tessera?.rps, 80);
  assert.equal(tessera?.ratio, 0.8); // per-rep ratios 0.9, 0.8, 0.8
  assert.equal(tessera?.overheadUs, 3); // per-rep overheads 1, 3, 5
  assert.equal(tessera?.bestOverheadUs, 1); // lowest 21 minus lowest 20
  assert.equal(tessera?.failure, null);
});

test('a repetition without a baseline sample is left out of the paired columns', {
  timeout: 60_000,
}, () => {
  const samples = new Map([
    ['node-bare', [undefined, sample(100, 20)]],
    ['tessera-cookie-read', [sample(10, 99), sample(90, 22)]],
  ]);
  const [, tessera] = summarize(rows, samples, new Map([['tessera-cookie-read', 'boom']]));
  assert.equal(tessera?.overheadUs, 2);
  assert.equal(tessera?.ratio, 0.9);
  assert.equal(tessera?.failure, 'boom');
});

test('cookieHeader keeps the last value per name and drops cleared cookies', {
  timeout: 60_000,
}, () => {
  assert.equal(cookieHeader(['a=1', 'b=2', 'a=3']), 'a=3; b=2');
  assert.equal(cookieHeader(['a=1', 'a=', 'c=x=y']), 'c=x=y');
  assert.equal(cookieHeader(['novalue']), '');
});

test('the cache columns are medians over repetitions; rows without a cache get none', {
  timeout: 60_000,
}, () => {
  const cached = (hitRate: number, entries: number): Sample => ({
    ...sample(90, 21),
    cache: { hitRate, entries, valueBytes: entries * 140 },
  });
  const samples = new Map([
    ['node-bare', [sample(100, 20), sample(100, 20), sample(100, 20)]],
    ['tessera-cookie-read', [cached(0.1, 1024), cached(0, 1024), cached(0.3, 1000)]],
  ]);
  const summaries = summarize(rows, samples, new Map());
  assert.equal(summaries[0]?.cache, null);
  assert.deepEqual(summaries[1]?.cache, { hitRate: 0.1, entries: 1024, valueBytes: 143_360 });
  assert.deepEqual(cacheTable(summaries), [
    '### Verified-cookie cache',
    '',
    '| Row | hit rate | entries held | cookie value bytes held |',
    '|---|---:|---:|---:|',
    '| Tessera cookie (node:http) READ | 10.0 % | 1,024 | 143,360 |',
  ]);
  assert.deepEqual(cacheTable([summaries[0]!]), []);
});
