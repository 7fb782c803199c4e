/**
 * `tesserajs/testing`: the conformance suite every `SessionStore` passes — Tessera's own
 * stores and yours. It registers `node:test` tests, so run it from a test file:
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
