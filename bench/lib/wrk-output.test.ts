import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDurationUs, parseMetric, parseWrkOutput } from './wrk-output.js';

const REPORT = `Running 1s test @ http://127.0.0.1:18931/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.93ms    3.64ms  51.92ms   94.63%
    Req/Sec    39.56k    16.00k   52.69k    80.00%
  Latency Distribution
     50%    1.09ms
     75%    1.44ms
     90%    3.05ms
     99%  850.00us
  39164 requests in 1.00s, 4.63MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:  39124.52
Transfer/sec:      4.63MB
`;

test('parses totals, throughput, p99 and errors from a wrk --latency report', {
  timeout: 60_000,
}, () => {
  assert.deepEqual(parseWrkOutput(REPORT), {
    requests: 39164,
    durationS: 1,
    rps: 39124.52,
    p99Us: 850,
    non2xx: 7,
    socketErrors: { connect: 0, read: 2, write: 0, timeout: 1 },
  });
});

test('a clean report has no errors', { timeout: 60_000 }, () => {
  const clean = REPORT.replace(/^ {2}(Socket|Non-2xx).*\n/gm, '');
  const result = parseWrkOutput(clean);
  assert.equal(result.non2xx, 0);
  assert.deepEqual(result.socketErrors, { connect: 0, read: 0, write: 0, timeout: 0 });
});

test('metric suffixes k, M and G scale counts', { timeout: 60_000 }, () => {
  assert.equal(parseMetric('1200'), 1200);
  assert.equal(parseMetric('39.56k'), 39_560);
  assert.equal(parseMetric('1.5M'), 1_500_000);
  assert.equal(parseMetric('2G'), 2e9);
});

test('latency units us, ms, s and m convert to microseconds', { timeout: 60_000 }, () => {
  assert.equal(parseDurationUs('850.00us'), 850);
  assert.equal(parseDurationUs('1.09ms'), 1090);
  assert.equal(parseDurationUs('2.00s'), 2_000_000);
  assert.equal(parseDurationUs('1.00m'), 60_000_000);
});

test('garbage and reports without --latency are rejected', { timeout: 60_000 }, () => {
  assert.throws(() => parseMetric('12x'), /not a count/);
  assert.throws(() => parseDurationUs('12'), /not a duration/);
  assert.throws(() => parseWrkOutput(REPORT.replace(/^ +99%.*\n/m, '')), /99th percentile/);
});
