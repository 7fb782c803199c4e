import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addWindow,
  type CommandTally,
  checkCalls,
  commandRates,
  emptyTally,
  roundTripsPerRequest,
} from './round-trips.js';

const READ = { hgetall: 1 };
const WRITE = { hgetall: 1, evalsha: 1 };
const WRITE_SAMPLE = {
  direct: new Set(['hgetall', 'evalsha']),
  scripted: new Set(['type', 'hget', 'hset', 'pexpireat']),
};

function tally(calls: Record<string, number>, requests: number, edge = 100): CommandTally {
  const t = emptyTally();
  const direct = new Set(Object.keys(calls).filter((n) => !WRITE_SAMPLE.scripted.has(n)));
  const scripted = new Set(Object.keys(calls).filter((n) => WRITE_SAMPLE.scripted.has(n)));
  addWindow(t, new Map(Object.entries(calls)), requests, edge, { direct, scripted });
  return t;
}

test('one HGETALL per request passes READ, with the edge requests as the only slack', {
  timeout: 60_000,
}, () => {
  assert.deepEqual(checkCalls(tally({ hgetall: 1000 }, 1000), READ), []);
  assert.deepEqual(checkCalls(tally({ hgetall: 1100 }, 1000), READ), []);
  assert.match(checkCalls(tally({ hgetall: 1101 }, 1000), READ).join(), /HGETALL 1\.101/);
  // Fewer commands than requests: some requests skipped Redis, so the count is wrong.
  assert.match(checkCalls(tally({ hgetall: 999 }, 1000), READ).join(), /expected 1/);
});

test('any other client command on READ fails, however rare', { timeout: 60_000 }, () => {
  const problems = checkCalls(tally({ hgetall: 1000, pexpire: 1 }, 1000), READ);
  assert.deepEqual(problems, ['unexpected PEXPIRE 0.001/request (1 calls)']);
});

test('WRITE: HGETALL + EVALSHA round trips; the script’s own commands are not round trips', {
  timeout: 60_000,
}, () => {
  const t = tally(
    { hgetall: 500, evalsha: 500, type: 500, hget: 1000, hset: 1000, pexpireat: 500 },
    500,
  );
  assert.deepEqual(checkCalls(t, WRITE), []);
  assert.equal(roundTripsPerRequest(t), 2);
  assert.deepEqual(
    commandRates(t).map((r) => `${r.name}${r.inScript ? '*' : ''} ${r.perRequest}`),
    ['hgetall 1', 'evalsha 1', 'hget* 2', 'hset* 2', 'type* 1', 'pexpireat* 1'],
  );
});

test('a write sent directly, or an EVAL instead of EVALSHA, fails WRITE', {
  timeout: 60_000,
}, () => {
  const direct = emptyTally();
  const sample = { direct: new Set(['hgetall', 'evalsha', 'hset']), scripted: new Set<string>() };
  addWindow(
    direct,
    new Map([
      ['hgetall', 10],
      ['evalsha', 10],
      ['hset', 10],
    ]),
    10,
    0,
    sample,
  );
  assert.deepEqual(checkCalls(direct, WRITE), ['unexpected HSET 1.000/request (10 calls)']);
  const t = emptyTally();
  addWindow(
    t,
    new Map([
      ['hgetall', 10],
      ['eval', 10],
    ]),
    10,
    0,
    WRITE_SAMPLE,
  );
  assert.deepEqual(checkCalls(t, WRITE), [
    'EVALSHA 0.000/request, expected 1',
    'unexpected EVAL 1.000/request (10 calls)',
  ]);
});

test('a name seen both inside a script and from a client counts as a round trip', {
  timeout: 60_000,
}, () => {
  const t = emptyTally();
  const both = { direct: new Set(['hgetall', 'evalsha', 'hset']), scripted: new Set(['hset']) };
  addWindow(
    t,
    new Map([
      ['hgetall', 10],
      ['evalsha', 10],
      ['hset', 10],
    ]),
    10,
    0,
    both,
  );
  assert.match(checkCalls(t, WRITE).join(), /unexpected HSET/);
  assert.equal(roundTripsPerRequest(t), 3);
});

test('windows add up; an unmeasured row or a silent MONITOR fails', { timeout: 60_000 }, () => {
  const t = tally({ hgetall: 1000 }, 1000, 0);
  addWindow(t, new Map([['hgetall', 2000]]), 2000, 0, { direct: new Set(), scripted: new Set() });
  assert.equal(t.requests, 3000);
  assert.deepEqual(checkCalls(t, READ), []);
  assert.deepEqual(checkCalls(emptyTally(), READ), ['not measured']);
  const silent = emptyTally();
  addWindow(silent, new Map([['hgetall', 5]]), 5, 0, { direct: new Set(), scripted: new Set() });
  assert.deepEqual(checkCalls(silent, READ), ['MONITOR saw no command during the probe request']);
});
