/**
 * The SessionStore conformance suite. Every store Tessera ships (and any third-party
 * store) must pass it unchanged.
 *
 * How a store author runs it — in the store's test file:
 *
 * ```ts
 * import { runStoreConformance } from 'tesserajs/testing';
 * import { myStore } from './index.js';
 *
 * runStoreConformance({
 *   name: 'my store',
 *   create: async () => myStore({ url: process.env.MY_URL }),
 *   cleanup: async (store) => store.close?.(), // the default when omitted
 *   capabilities: { byUser: true, prune: true },
 *   skip: reachable ? false : `backend unreachable at ${url}`,
 * });
 * ```
 * then `node --import tsx --test src/stores/my/my-store.test.ts`.
 *
 * - `create` runs once, before the suite's tests; `cleanup` once, after them. Tests run
 *   one after another on that store and use fresh random keys and user ids (43-char
 *   base64url keys, like the engine's SHA-256 keys), so the backend may be shared with
 *   other runs and needs no flushing.
 * - `capabilities`: `true` = the store must implement the optional methods and pass their
 *   tests; `false` = their tests are skipped; omitted = tested when the store has them,
 *   skipped loudly when not. A store whose backend expires records natively (Redis TTLs)
 *   should not implement `prune()`, or declare `prune: false`.
 * - `skip`: a message skips the whole suite loudly, e.g. when the backend is unreachable
 *   and `TESSERA_REQUIRE_SERVICES` is not `1` (probe with top-level await first).
 * - Stores run on the real clock: expiry tests use records that expired a second ago and
 *   one short poll (a record expiring 300 ms ahead must be gone within 2.5 s after that).
 */
import { after, before, describe } from 'node:test';
import type { SessionStore } from '../stores/contract.js';
import { byUserTests } from './by-user.js';
import { dataTests } from './data.js';
import { expiryTests } from './expiry.js';
import type { SuiteContext } from './fixtures.js';
import { hostileTests } from './hostile.js';
import { patchTests } from './patch.js';
import { pruneTests } from './prune.js';
import { recordTests } from './records.js';

export { expiredRecord, liveRecord, plain, randomStoreKey, randomUserId } from './fixtures.js';

/** Which optional SessionStore methods the suite tests. */
export interface StoreCapabilities {
  /** `listByUser` and `destroyByUser`. @default detected from the store */
  readonly byUser?: boolean;
  /** `prune`. @default detected from the store */
  readonly prune?: boolean;
}

/** Options of {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  /** Shown in the suite's title, e.g. `'redis (ioredis)'`. */
  readonly name: string;
  /** Creates the store under test; called once before the suite's tests. */
  readonly create: () => Promise<SessionStore>;
  /** Releases the store after the suite. @default calls `store.close()` when present */
  readonly cleanup?: (store: SessionStore) => Promise<void>;
  /** Optional methods to test. */
  readonly capabilities?: StoreCapabilities;
  /** A reason to skip the whole suite (reported as a skip), or `false`. @default false */
  readonly skip?: string | false;
}

/**
 * Registers the conformance tests for one store as a `node:test` `describe` block.
 * Call it at the top level of a test file.
 */
export function runStoreConformance(options: StoreConformanceOptions): void {
  const skip = options.skip === undefined || options.skip === false ? false : options.skip;
  describe(`SessionStore conformance: ${options.name}`, { skip, timeout: 60_000 }, () => {
    let current: SessionStore | undefined;
    const ctx: SuiteContext = {
      store: () => {
        if (current === undefined) throw new Error('store not created: the before hook failed');
        return current;
      },
    };

    before(async () => {
      current = await options.create();
    });
    after(async () => {
      if (current === undefined) return;
      if (options.cleanup) await options.cleanup(current);
      else await current.close?.();
    });

    describe('records', () => recordTests(ctx));
    describe('data', () => dataTests(ctx));
    describe('expiry', () => expiryTests(ctx));
    describe('patch', () => patchTests(ctx));
    const { byUser, prune } = options.capabilities ?? {};
    describe('hostile data', () => hostileTests(ctx, byUser !== false));
    describe('by user', { skip: byUser === false && 'capabilities.byUser is false' }, () =>
      byUserTests(ctx, byUser === true),
    );
    describe('prune', { skip: prune === false && 'capabilities.prune is false' }, () =>
      pruneTests(ctx, prune === true, byUser !== false),
    );
  });
}
