/**
 * S-47 over real HTTP, one contract for every adapter: with `enumerationProtection:
 * 'strict'`, `POST /api/sign-up` (the flows contract's route, see flows-contract.ts)
 * answers a new and a taken email with the same status, body, headers and cookies, and
 * the application's `onSignUpAttempt` hears `created` or `exists`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAuth } from '../../src/auth/auth.js';
import type { SignUpAttempt } from '../../src/auth/enumeration.js';
import { createPasswordHasher } from '../../src/auth/password/create.js';
import { createThrottle } from '../../src/auth/throttle/throttle.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { newSecret, type TestResponse, type TestServer } from '../support/http.js';
import {
  Browser,
  comparable,
  cookieNames,
  type FlowsVariant,
  MEMORY_VARIANTS,
  PASSWORD,
  randomEmail,
  type StartAuthApp,
} from './flows-contract.js';

const hasher = createPasswordHasher({ algorithm: 'scrypt', scrypt: { ln: 10 } });

/** Asserts that two answers cannot be told apart: status, body, headers, Set-Cookie. */
function assertSameAnswer(a: TestResponse, b: TestResponse): void {
  assert.equal(a.status, b.status);
  assert.equal(a.body, b.body);
  assert.deepEqual(comparable(a.headers), comparable(b.headers));
  assert.deepEqual(cookieNames(a.setCookie), cookieNames(b.setCookie));
  assert.deepEqual(a.setCookie, b.setCookie);
}

/** Strict sign-up over HTTP, in each variant. */
export function runEnumerationContract(
  name: string,
  start: StartAuthApp,
  variants: readonly FlowsVariant[] = MEMORY_VARIANTS,
): void {
  for (const variant of variants) {
    describe(`${name} strict enumeration protection, ${variant.name}`, {
      timeout: 120_000,
      skip: variant.skip ?? false,
    }, () => {
      const attempts: SignUpAttempt[] = [];
      const state = {} as { server: TestServer; url: string };
      before(async () => {
        const users = await variant.users();
        const store =
          variant.mode === 'cookie' ? undefined : (variant.store?.() ?? new MemoryStore());
        const server = await start({
          sessionOptions: {
            secrets: [newSecret()],
            ...(store === undefined
              ? {}
              : variant.mode === 'store'
                ? { store }
                : { registry: store }),
          },
          auth: (engine) =>
            createAuth({
              sessions: engine,
              users,
              passwords: hasher,
              throttle: createThrottle({ kernel: engine.kernel, perAddress: { limit: 10_000 } }),
              enumerationProtection: 'strict',
              onSignUpAttempt: (attempt) => {
                attempts.push(attempt);
              },
            }),
        });
        Object.assign(state, { server, url: server.url });
      });
      after(async () => {
        await state.server?.close();
        await variant.cleanup?.();
      });
      const heard = (email: string) =>
        attempts.filter((a) => a.email === email).map((a) => a.outcome);

      it('S-47 sign-up with a new and with a taken email: identical status, body, headers and Set-Cookie; the hook hears created, then exists', async () => {
        const email = randomEmail();
        const created = await new Browser(state.url).call('POST', '/api/sign-up', {
          email,
          password: PASSWORD,
        });
        const exists = await new Browser(state.url).call('POST', '/api/sign-up', {
          email,
          password: `${PASSWORD} again`,
        });
        assert.equal(created.status, 201, created.body);
        assert.equal(exists.status, 201, `never EMAIL_TAKEN's 409: ${exists.body}`);
        assertSameAnswer(created, exists);
        assert.deepEqual(heard(email), ['created', 'exists']);
        // Browsers that already hold a guest session: their cookies are left alone alike.
        const guests = [new Browser(state.url), new Browser(state.url)];
        for (const guest of guests) await guest.call('POST', '/api/visit');
        const other = randomEmail();
        const [a, b] = [
          await guests[0]!.call('POST', '/api/sign-up', { email: other, password: PASSWORD }),
          await guests[1]!.call('POST', '/api/sign-up', { email, password: PASSWORD }),
        ];
        assertSameAnswer(a, b);
        for (const guest of guests) assert.equal((await guest.me()).user, null, 'not signed in');
      });

      it('S-47 two identical sign-ups at once: both answered alike; one created, one exists; the account signs in', async () => {
        const email = randomEmail();
        const [a, b] = await Promise.all(
          [0, 1].map(() =>
            new Browser(state.url).call('POST', '/api/sign-up', { email, password: PASSWORD }),
          ),
        );
        assert.equal(a!.status, 201, a!.body);
        assertSameAnswer(a!, b!);
        assert.deepEqual(heard(email).sort(), ['created', 'exists']);
        const browser = new Browser(state.url);
        assert.equal((await browser.signIn(email)).status, 200);
        assert.equal((await browser.me()).user?.email, email);
      });
    });
  }
}
