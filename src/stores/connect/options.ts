/** Options of the connect-store bridge, and their validation. */
import { InvalidOptionsError } from '../../errors.js';
import { checkTimeoutOptions } from '../deadline.js';
import type { ConnectStoreLike } from './connect-store-like.js';

/** Options of {@link connectStore}. */
export interface ConnectStoreOptions {
  /**
   * How long, in milliseconds, one call into the connect store may take before it fails
   * with a `SessionStoreError` (S-55): a store that never calls back costs a request this
   * much and no more. `get`, `set` and `destroy` are bounded by it as a whole; `patch` and
   * `touch` (a read, then a write) too; by-user methods bound each call they make.
   * @default 2000
   */
  readonly commandTimeout?: number;
  /**
   * The clock deciding expiry, in milliseconds since the Unix epoch. Keep it in step with
   * the session engine's clock.
   * @default Date.now
   */
  readonly clock?: () => number;
}

/** Options with defaults applied. */
export interface ResolvedConnectStoreOptions {
  readonly commandTimeout: number;
  readonly clock: () => number;
}

/** Node's timers accept at most a signed 32-bit delay; larger ones silently become 1 ms. */

/** Checks the store's shape and applies defaults. */
export function resolveConnectStoreOptions(
  store: ConnectStoreLike,
  options: ConnectStoreOptions = {},
): ResolvedConnectStoreOptions {
  const methods = ['get', 'set', 'destroy'] as const;
  if (
    typeof store !== 'object' ||
    store === null ||
    methods.some((name) => typeof store[name] !== 'function')
  ) {
    throw new InvalidOptionsError(
      'connectStore: expected an express-session store with get, set and destroy methods',
    );
  }
  const { commandTimeout = 2000, clock = Date.now } = options;
  checkTimeoutOptions('connectStore', commandTimeout, clock);
  return { commandTimeout, clock };
}
