import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandDelta, parseCommandStats } from './commandstats.js';

// Shape of Redis 7.0's reply, CRLF line ends included.
const INFO = [
  '# Commandstats',
  'cmdstat_hgetall:calls=1200,usec=2400,usec_per_call=2.00,rejected_calls=0,failed_calls=0',
  'cmdstat_evalsha:calls=7,usec=71,usec_per_call=10.14,rejected_calls=2,failed_calls=1',
  'cmdstat_client|setname:calls=3,usec=3,usec_per_call=1.00,rejected_calls=0,failed_calls=0',
  'cmdstat_INFO:calls=9,usec=90,usec_per_call=10.00',
  '',
].join('\r\n');

test('parses calls per command, subcommands and case folded', { timeout: 60_000 }, () => {
  assert.deepEqual(
    parseCommandStats(INFO),
    new Map([
      ['hgetall', 1200],
      ['evalsha', 7],
      ['client|setname', 3],
      ['info', 9],
    ]),
  );
});

test('older replies without the rejected/failed fields, and non-stat lines', {
  timeout: 60_000,
}, () => {
  const old =
    'cmdstat_get:calls=5,usec=10,usec_per_call=2.00\nredis_version:6.0.0\ncmdstat_x:usec=1';
  assert.deepEqual(parseCommandStats(old), new Map([['get', 5]]));
  assert.deepEqual(parseCommandStats(''), new Map());
});

test('delta keeps commands called in between and leaves out the reader’s INFO', {
  timeout: 60_000,
}, () => {
  const before = new Map([
    ['hgetall', 100],
    ['info', 4],
    ['set', 2],
  ]);
  const after = new Map([
    ['hgetall', 350],
    ['info', 5],
    ['set', 2],
    ['evalsha', 40],
  ]);
  assert.deepEqual(
    commandDelta(before, after),
    new Map([
      ['hgetall', 250],
      ['evalsha', 40],
    ]),
  );
  assert.deepEqual(commandDelta(before, after, new Set()).get('info'), 1);
});

test('a reset between the readings is an error, not a negative count', { timeout: 60_000 }, () => {
  assert.throws(
    () => commandDelta(new Map([['get', 10]]), new Map([['get', 3]])),
    /went down: statistics were reset/,
  );
  assert.throws(() => commandDelta(new Map([['get', 10]]), new Map()), /statistics were reset/);
});
