import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refusal } from '../../../test/support/attempt-store-checks.js';
import { FakeClock, newSecret } from '../../../test/support/http.js';
import { Keyring } from '../../crypto/keyring.js';
import { isSessionStoreError, isTesseraError } from '../../errors.js';
import { createKernel } from '../../kernel/context.js';
import type { TesseraEvent } from '../../kernel/events.js';
import { failureResponse } from '../../session/plan.js';
import { clientAddress } from '../client-address.js';
import type { Admission, AttemptRule, AttemptStore } from './contract.js';
import { memoryAttempts } from './memory.js';
import { type AttemptIdentity, createThrottle, type Throttle } from './throttle.js';

/** A memory backend that records every key it is given. */
function spyStore(): AttemptStore & { keys: string[] } {
  const inner = memoryAttempts({ sweepInterval: 0 });
  const keys: string[] = [];
  return {
    keys,
    admit(key: string, rule: AttemptRule, now: number): Promise<Admission> {
      keys.push(key);
      return inner.admit(key, rule, now);
    },
    release(key: string, now: number) {
      keys.push(key);
      return inner.release(key, now);
    },
    reset(key: string) {
      keys.push(key);
      return inner.reset(key);
    },
  };
}

/** The outcomes of `n` attempts (true: admitted) with `ms` between them. */
async function outcomes(
  throttle: Throttle,
  identity: AttemptIdentity,
  n: number,
  clock: FakeClock,
  ms = 0,
): Promise<boolean[]> {
  const results: boolean[] = [];
  for (let i = 0; i < n; i++) {
    results.push(
      await throttle.check(identity).then(
        () => true,
        () => false,
      ),
    );
    clock.advance(ms);
  }
  return results;
}

describe('createThrottle', { timeout: 60_000 }, () => {
  it('S-53 6 wrong passwords for alice: the 6th is limited, and mallory (no account) alike', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({
      clock: clock.read,
      store: memoryAttempts({ sweepInterval: 0 }),
    });
    const alice = await outcomes(
      throttle,
      { account: 'alice@example.com', address: '203.0.113.9' },
      6,
      clock,
    );
    const mallory = await outcomes(
      throttle,
      { account: 'mallory@example.com', address: '203.0.113.10' },
      6,
      clock,
    );
    assert.deepEqual(alice, [true, true, true, true, true, false]);
    assert.deepEqual(mallory, alice, 'the throttle cannot tell whether an account exists');
    // A correct password while limited is never checked: check() refuses first.
    const error = await refusal(throttle.check({ account: 'alice@example.com' }));
    assert.equal(error.code, 'TOO_MANY_ATTEMPTS');
    assert.equal(failureResponse(error).status, 429);
  });

  it('S-53 identifiers are counted in one spelling: case, width and spaces do not help', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ clock: clock.read, perAddress: false });
    const spellings = [
      'alice@example.com',
      'Alice@Example.com',
      ' ALICE@EXAMPLE.COM',
      'ａｌｉｃｅ@example.com',
      'alice@example.com',
    ];
    for (const account of spellings) await throttle.check({ account });
    await refusal(throttle.check({ account: 'ALICE@example.com' }));
  });

  it('S-53 1,000 attempts from addresses in one IPv6 /64 are limited together', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ clock: clock.read });
    let admitted = 0;
    for (let i = 0; i < 1000; i++) {
      const address = `2001:db8:1:2:${((i * 7919) & 0xffff).toString(16)}:${i.toString(16)}::1`;
      const ok = await throttle.check({ account: `user${i}@example.com`, address }).then(
        () => true,
        () => false,
      );
      if (ok) admitted++;
    }
    assert.equal(admitted, 100);
    await throttle.check({ account: 'other@example.com', address: '2001:db8:1:3::1' });
  });

  it('S-53 the per-address limit is independent of the accounts (password spraying)', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ clock: clock.read });
    for (let i = 0; i < 100; i++)
      await throttle.check({ account: `u${i}@example.com`, address: '198.51.100.7' });
    const spray = await refusal(
      throttle.check({ account: 'victim@example.com', address: '198.51.100.7' }),
    );
    assert.equal(spray.scope, 'address');
    assert.equal(spray.retryAfterSeconds, 900);
    // The refused attempt was not counted on the victim's account.
    assert.deepEqual(await outcomes(throttle, { account: 'victim@example.com' }, 6, clock), [
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('S-36 150 failed logins for one account with different X-Forwarded-For: still throttled', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ clock: clock.read });
    let admitted = 0;
    for (let i = 0; i < 150; i++) {
      const address = clientAddress({
        remoteAddress: '203.0.113.9',
        forwardedFor: `198.51.100.${i % 250}`,
      });
      if (
        await throttle.check({ account: 'alice@example.com', address }).then(
          () => true,
          () => false,
        )
      )
        admitted++;
      clock.advance(100);
    }
    assert.ok(admitted < 10, `admitted ${admitted}`);
  });

  it('S-53 the reset flow unlocks; reset of an unknown account is harmless', async () => {
    const clock = new FakeClock();
    const throttle = createThrottle({ clock: clock.read, perAccount: { lockoutAfter: 5 } });
    await outcomes(throttle, { account: 'alice' }, 5, clock, 60_000);
    assert.equal((await refusal(throttle.check({ account: 'alice' }))).locked, true);
    await throttle.reset({ account: 'Alice' });
    await throttle.check({ account: 'alice' });
    await throttle.reset({ account: 'nobody' });
  });

  it('S-57 the store never sees an identifier or an address; keyed by the kernel keyring', async () => {
    const store = spyStore();
    const kernel = createKernel({ secrets: [newSecret()] });
    const throttle = createThrottle({ store, kernel });
    const identity = { account: 'alice@example.com', address: '2001:db8::1' };
    await throttle.check(identity);
    await throttle.succeeded(identity);
    for (const key of store.keys) {
      assert.match(key, /^[ai]:[A-Za-z0-9_-]{43}$/);
      assert.ok(!/alice|2001|db8/i.test(key), key);
    }
    // Another secret (or none) names the same identifier differently.
    const other = spyStore();
    await createThrottle({ store: other, keyring: new Keyring([newSecret()]) }).check(identity);
    const plain = spyStore();
    await createThrottle({ store: plain }).check(identity);
    const names = new Set([...store.keys, ...other.keys, ...plain.keys]);
    assert.equal(names.size, 6, 'three hashers x two scopes');
  });

  it('S-54 a failing store refuses the attempt with a 503, never admits it', async () => {
    const broken: AttemptStore = {
      admit: () => Promise.reject(new Error('ECONNREFUSED')),
      release: () => Promise.reject(new Error('ECONNREFUSED')),
      reset: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const throttle = createThrottle({ store: broken });
    for (const call of [
      throttle.check({ account: 'alice', address: '203.0.113.9' }),
      throttle.check({ account: 'alice' }),
      throttle.succeeded({ account: 'alice' }),
      throttle.reset({ account: 'alice' }),
    ]) {
      await assert.rejects(call, (error: unknown) => {
        assert.ok(isSessionStoreError(error));
        assert.match(error.message, /^throttle store /);
        assert.equal(failureResponse(error).status, 503);
        return true;
      });
    }
  });

  it('S-58 a refused attempt is one auth.throttled event, naming neither account nor address', async () => {
    const events: TesseraEvent[] = [];
    const clock = new FakeClock();
    const kernel = createKernel({
      secrets: [newSecret()],
      clock: clock.read,
      onEvent: (e) => events.push(e),
    });
    const throttle = createThrottle({ kernel, perAccount: { freeAttempts: 1 } });
    await throttle.check({ account: 'alice', address: '203.0.113.9' });
    await refusal(throttle.check({ account: 'alice', address: '203.0.113.9' }));
    assert.deepEqual(events, [
      { type: 'auth.throttled', scope: 'account', locked: false, retryAfterSeconds: 1 },
    ]);
    clock.advance(999);
    await refusal(throttle.check({ account: 'alice' }));
    assert.equal(events.length, 2, 'the kernel clock decides');
  });

  it('either counter can be turned off', async () => {
    const clock = new FakeClock();
    const accountsOnly = createThrottle({
      clock: clock.read,
      perAddress: false,
      perAccount: { freeAttempts: 1 },
    });
    await accountsOnly.check({ account: 'a', address: '203.0.113.9' });
    await accountsOnly.check({ account: 'b', address: '203.0.113.9' });
    const none = createThrottle({ clock: clock.read, perAddress: false, perAccount: false });
    assert.deepEqual(await outcomes(none, { account: 'a' }, 200, clock), new Array(200).fill(true));
  });

  it('refuses bad options and identities', async () => {
    const invalid = (error: unknown): boolean =>
      isTesseraError(error) && error.code === 'INVALID_OPTIONS';
    for (const options of [
      { perAccount: { freeAttempts: 0 } },
      { perAccount: { freeAttempts: 10, lockoutAfter: 5 } },
      { perAccount: { baseDelayMs: 2000, maxDelayMs: 1000 } },
      { perAccount: { rememberMs: 1.5 } },
      { perAddress: { limit: 0 } },
      { perAddress: { ipv6PrefixBits: 129 } },
      { clock: 5 },
      { store: {} },
    ]) {
      assert.throws(() => createThrottle(options as never), invalid, JSON.stringify(options));
    }
    const throttle = createThrottle();
    await assert.rejects(throttle.check({ account: 42 } as never), TypeError);
    await assert.rejects(throttle.check({ account: 'a', address: 42 } as never), TypeError);
    await throttle.check({ account: 'a', address: '' });
    await throttle.check({ account: 'a', address: 'not an address' });
  });
});
