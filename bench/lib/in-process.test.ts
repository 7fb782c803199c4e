import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inProcessLines } from './in-process.js';

const result = (loadUncached: number[]) => ({
  sessions: 5000,
  cookieValueLength: 139,
  rounds: {
    decrypt: [4, 5, 4],
    unseal: [6, 7, 6],
    loadUncached,
    loadCached: [0.5, 0.6, 0.5],
    write: [9, 10, 9],
  },
});

test('ratios are paired per round against the decrypt, then reduced to the median', {
  timeout: 60_000,
}, () => {
  const lines = inProcessLines(result([8, 12, 10]), true);
  const row = lines.find((line) => line.startsWith('| cookie-mode load, 5,000'));
  // Per round 2.0, 2.4, 2.5: median 2.40 (a ratio of medians would say 2.50).
  assert.equal(
    row,
    '| cookie-mode load, 5,000 rotating sessions (uncached) | 10.00 | 8.00 | 2.40 |',
  );
  assert.equal(
    lines.at(-1),
    '- FAIL uncached cookie-mode load: 2.40 × one AES-256-GCM decrypt of the same payload (target ≤ 2 ×)',
  );
});

test('the target passes at 2 × and is left out of smoke runs', { timeout: 60_000 }, () => {
  assert.match(inProcessLines(result([8, 10, 8]), true).at(-1)!, /^- PASS .* 2\.00 × /);
  assert.equal(
    inProcessLines(result([8, 10, 8]), false).some((line) => line.includes('target')),
    false,
  );
});
