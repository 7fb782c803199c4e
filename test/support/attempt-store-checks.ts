/**
 * What every throttle backend (`AttemptStore`) must do, written once and run by each
 * backend's test file (memory, Redis with ioredis, Redis with node-redis): the S-53
 * behaviour through `createThrottle` with an injected clock, exact counts under
 * concurrency, and agreement with the reference decision (`rule.ts`) on random runs.
 * Imported as a namespace: `attemptStoreChecks.assertBackoff(store)`.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { AttemptRule, AttemptStore } from '../../src/auth/throttle/contract.js';
import { type AttemptCounter, decide } from '../../src/auth/throttle/rule.js';
import { createThrottle } from '../../src/auth/throttle/throttle.js';
import { isTooManyAttemptsError, type TooManyAttemptsError } from '../../src/errors.js';
import { FakeClock } from './http.js';

/** A fresh identifier, so runs against a shared Redis never meet. */
export function randomAccount(): string {
  return `${randomBytes(9).toString('base64url')}@example.com`;
}

/** The error `check` rejected with, or fails when it resolved. */
export async function refusal(promise: Promise<void>): Promise<TooManyAttemptsError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isTooManyAttemptsError(error), `expected TooManyAttemptsError, got ${error}`);
    return error;
  }
  assert.fail('the attempt was admitted');
}

/**
 * S-53: 5 attempts at once, the 6th refused until 1 s after the 5th, then waits of 2 s,
 * 4 s, ...; a refused attempt is not counted; Retry-After is the wait left, rounded up.
 */
export async function assertBackoff(store: AttemptStore): Promise<void> {
  const clock = new FakeClock();
  const throttle = createThrottle({ store, clock: clock.read, perAddress: false });
  const alice = { account: randomAccount() };
  for (let i = 0; i < 5; i++) await throttle.check(alice);
  const sixth = await refusal(throttle.check(alice));
  assert.equal(sixth.scope, 'account');
  assert.equal(sixth.retryAfterSeconds, 1);
  assert.equal(sixth.locked, false);
  clock.advance(999);
  await refusal(throttle.check(alice));
  clock.advance(1);
  await throttle.check(alice); // the 6th, admitted after 1 s
  clock.advance(1500);
  const seventh = await refusal(throttle.check(alice));
  assert.equal(seventh.retryAfterSeconds, 1, '500 ms left of 2 s rounds up to 1');
  clock.advance(500);
  await throttle.check(alice);
  const eighth = await refusal(throttle.check(alice));
  assert.equal(eighth.retryAfterSeconds, 4);
  // Hammering during the wait changes nothing: refused attempts are not counted.
  for (let i = 0; i < 20; i++) await refusal(throttle.check(alice));
  clock.advance(4000);
  await throttle.check(alice);
  assert.equal((await refusal(throttle.check(alice))).retryAfterSeconds, 8);
  // Waits stop growing at maxDelayMs (15 min).
  for (let i = 0; i < 12; i++) {
    clock.advance(15 * 60_000);
    await throttle.check(alice);
  }
  assert.equal((await refusal(throttle.check(alice))).retryAfterSeconds, 900);
  // The count is forgotten a day after the last failure.
  clock.advance(86_400_000);
  for (let i = 0; i < 5; i++) await throttle.check(alice);
  await refusal(throttle.check(alice));
}

/**
 * S-53: success clears the account's count (not the address's), and gives the address
 * back the one attempt it counted. Attempts refused by the account still use the address's
 * allowance: hammering a throttled account costs the attacker's source too.
 */
export async function assertSuccessClears(store: AttemptStore): Promise<void> {
  const clock = new FakeClock();
  const throttle = createThrottle({ store, clock: clock.read, perAddress: { limit: 8 } });
  const alice = { account: randomAccount(), address: '203.0.113.9' };
  for (let i = 0; i < 5; i++) await throttle.check(alice); // address: 5
  await refusal(throttle.check(alice)); // refused by the account; address: 6
  clock.advance(1000);
  await throttle.check(alice); // the right password this time; address: 7
  await throttle.succeeded(alice); // account cleared; address: 6
  for (let i = 0; i < 2; i++) await throttle.check(alice); // no wait: the count is gone; 8
  const bob = { account: randomAccount(), address: alice.address };
  const address = await refusal(throttle.check(bob));
  assert.equal(address.scope, 'address');
  assert.equal(address.retryAfterSeconds, 15 * 60 - 1, 'the window runs from the first attempt');
}

/**
 * S-53: 100 consecutive failures lock the account until reset, however long one waits;
 * a correct password is refused meanwhile (check refuses before any verification).
 */
export async function assertLockout(store: AttemptStore): Promise<void> {
  const clock = new FakeClock();
  const throttle = createThrottle({ store, clock: clock.read, perAddress: false });
  const alice = { account: randomAccount() };
  for (let i = 0; i < 100; i++) {
    await throttle.check(alice);
    clock.advance(15 * 60_000);
  }
  const locked = await refusal(throttle.check(alice));
  assert.equal(locked.locked, true);
  assert.equal(locked.retryAfterSeconds, 900, 'the longest wait, as a hint');
  clock.advance(400 * 86_400_000);
  assert.equal((await refusal(throttle.check(alice))).locked, true, 'a year later: still locked');
  await throttle.reset(alice);
  for (let i = 0; i < 5; i++) await throttle.check(alice);
}

/** The per-address allowance: a fixed window, independent of the accounts tried. */
export async function assertAddressWindow(store: AttemptStore): Promise<void> {
  const clock = new FakeClock();
  const throttle = createThrottle({
    store,
    clock: clock.read,
    perAddress: { limit: 3, windowMs: 60_000 },
  });
  const address = '198.51.100.7';
  for (let i = 0; i < 3; i++) await throttle.check({ account: randomAccount(), address });
  clock.advance(20_000);
  const spray = await refusal(throttle.check({ account: randomAccount(), address }));
  assert.equal(spray.scope, 'address');
  assert.equal(spray.retryAfterSeconds, 40);
  await throttle.check({ account: randomAccount(), address: '198.51.100.8' });
  clock.advance(40_000);
  await throttle.check({ account: randomAccount(), address });
}

const COUNT_ALL: AttemptRule = {
  free: 1000,
  baseDelayMs: 1000,
  maxDelayMs: 1000,
  limit: 1000,
  windowMs: 60_000,
  sliding: false,
  hold: false,
};

/** 50 concurrent attempts: exactly 50 counted; under S-53's rule exactly 5 admitted. */
export async function assertAtomic(store: AttemptStore): Promise<void> {
  const now = Date.UTC(2026, 0, 1);
  const key = `a:${randomBytes(12).toString('base64url')}`;
  const all = await Promise.all(Array.from({ length: 50 }, () => store.admit(key, COUNT_ALL, now)));
  assert.ok(all.every((a) => a.admitted));
  assert.deepEqual(
    all.map((a) => a.count).sort((x, y) => x - y),
    Array.from({ length: 50 }, (_, i) => i + 1),
    'each attempt got its own count',
  );
  assert.equal((await store.admit(key, COUNT_ALL, now)).count, 51);

  const throttle = createThrottle({ store, clock: () => now, perAddress: false });
  const alice = { account: randomAccount() };
  const outcomes = await Promise.allSettled(
    Array.from({ length: 50 }, () => throttle.check(alice)),
  );
  const admitted = outcomes.filter((o) => o.status === 'fulfilled').length;
  assert.equal(admitted, 5, 'parallel guesses get no more than the free attempts');
}

const RULES: readonly AttemptRule[] = [
  {
    free: 2,
    baseDelayMs: 100,
    maxDelayMs: 400,
    limit: 6,
    windowMs: 5000,
    sliding: true,
    hold: true,
  },
  { free: 3, baseDelayMs: 0, maxDelayMs: 0, limit: 3, windowMs: 1000, sliding: false, hold: false },
];

const steps = fc.array(
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        op: fc.constant('admit' as const),
        key: fc.nat(2),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('release' as const), key: fc.nat(2) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('reset' as const), key: fc.nat(2) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.nat(1500) }) },
  ),
  { maxLength: 40 },
);

/**
 * Random runs of admit/release/reset/time agree with the reference decision of
 * `rule.ts` step by step. Each key keeps one rule per run (as a throttle does).
 */
export async function assertMatchesReference(store: AttemptStore, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      steps,
      fc.array(fc.nat(1), { minLength: 3, maxLength: 3 }),
      async (run, ruleOf) => {
        const prefix = `t:${randomBytes(9).toString('base64url')}:`;
        const model = new Map<number, AttemptCounter>();
        let now = Date.UTC(2026, 0, 1);
        for (const step of run) {
          if (step.op === 'advance') {
            now += step.ms;
            continue;
          }
          const key = `${prefix}${step.key}`;
          if (step.op === 'reset') {
            model.delete(step.key);
            await store.reset(key);
          } else if (step.op === 'release') {
            const counter = model.get(step.key);
            if (counter !== undefined && now < counter.resetAt && counter.count > 0)
              counter.count--;
            await store.release(key, now);
          } else {
            const rule = RULES[ruleOf[step.key]!]!;
            const expected = decide(model.get(step.key), rule, now);
            if (expected.counter === undefined) model.delete(step.key);
            else model.set(step.key, { ...expected.counter });
            assert.deepEqual(await store.admit(key, rule, now), expected.admission);
          }
        }
      },
    ),
    { numRuns },
  );
}

/** Retries `operation` every 100 ms until it succeeds: a backend must recover by itself. */
export async function eventually<T>(operation: () => Promise<T>, what: string): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt > 100) throw new Error(`${what}: never recovered`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
