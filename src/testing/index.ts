/**
 * `tesserajs/testing`: the conformance suites every `SessionStore` and every
 * `UserRepository` pass — Tessera's own and yours. It registers `node:test` tests, so run it from a test file:
 *
 * ```ts
 * import { runStoreConformance } from 'tesserajs/testing';
 * import { memoryStore } from 'tesserajs/stores/memory';
 *
 * runStoreConformance({ name: 'memory', create: async () => memoryStore() });
 * ```
 * then `node --test`. Needs Node's built-in test runner only.
 */
export {
  expiredRecord,
  liveRecord,
  plain,
  randomStoreKey,
  randomUserId,
  runStoreConformance,
  type StoreCapabilities,
  type StoreConformanceOptions,
} from './store-conformance.js';
export {
  randomEmail,
  runUserRepositoryConformance,
  type UserRepositoryConformanceOptions,
} from './users-conformance.js';
