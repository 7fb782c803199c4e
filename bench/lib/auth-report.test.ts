import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authStormLines, summarizeAuthStorm } from './auth-report.js';
import type { AuthStormSample } from './auth-storm.js';

const sample = (meP99: number, duringP99: number, signIns: number): AuthStormSample => ({
  meAlone: { rps: 1000, p99Us: meP99 },
  stormAlone: { signInsPerS: signIns, p99Us: 500_000, unavailable: 2 },
  cpuUsPerSignIn: 20_000,
  meDuringStorm: { rps: 500, p99Us: duringP99 },
  stormDuringMe: { signInsPerS: signIns / 2, p99Us: 900_000, unavailable: 1 },
  foreignCpuDuring: 0.1,
});

test('the p99 ratio is taken within each repetition, then the median', { timeout: 60_000 }, () => {
  // Per-rep ratios 2, 1.5, 3: median 2. The ratio of the medians (1500 / 1000) would be 1.5.
  const summary = summarizeAuthStorm([
    sample(1000, 2000, 60),
    sample(2000, 3000, 70),
    undefined,
    sample(500, 1500, 80),
  ]);
  assert.equal(summary.reps, 3);
  assert.equal(summary.p99Ratio, 2);
  assert.equal(summary.meAloneP99Us, 1000);
  assert.equal(summary.signInsPerS, 70);
  assert.equal(summary.rpsRatio, 0.5);
  assert.equal(summary.signInRatio, 0.5);
  assert.equal(summary.unavailableAlone, 6, '503s are summed, not a median');
  assert.equal(summary.unavailableDuring, 3);
});

test('the section shows the figures, or the failure when nothing was measured', {
  timeout: 60_000,
}, () => {
  const facts = { hasher: '$argon2id$v=19$m=19456,t=2,p=1', connections: 50, failure: null };
  const lines = authStormLines(summarizeAuthStorm([sample(1000, 1200, 70)]), facts).join('\n');
  assert.match(lines, /GET \/me p99 during the storm: 1\.20× its p99 alone/);
  assert.match(lines, /\| sign-in storm alone \| \| \| 70\.0 \| 500\.00 ms \| 2 \|/);
  assert.match(lines, /\$argon2id\$v=19\$m=19456,t=2,p=1/);
  const failed = authStormLines(summarizeAuthStorm([]), { ...facts, failure: 'no sign-in' });
  assert.match(failed.join('\n'), /FAILED: no sign-in/);
  assert.doesNotMatch(failed.join('\n'), /p99 during/);
});
