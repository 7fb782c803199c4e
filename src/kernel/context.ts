import { Keyring, type SecretInput } from '../crypto/keyring.js';
import { InvalidOptionsError } from '../errors.js';
import { checkStore } from '../stores/check.js';
import type { SessionStore } from '../stores/contract.js';
import { type EventListener, EventSink } from './events.js';
import { sessionRefFactory } from './session-ref.js';

/** What {@link createKernel} needs. */
export interface KernelOptions {
  /** Secrets, newest first (see `SessionOptions.secrets`). */
  readonly secrets: readonly SecretInput[];
  /** Current time in milliseconds. @default Date.now */
  readonly clock?: (() => number) | undefined;
  /** Receives every module's events. */
  readonly onEvent?: EventListener | undefined;
  /**
   * The server-side backend: session records in store mode, the live-session registry in
   * cookie mode; CSRF and throttling keep their state beside them.
   */
  readonly store?: SessionStore | undefined;
  /** The option name errors about `store` use. @default 'store' */
  readonly storeOption?: string | undefined;
}

/**
 * The one context every Tessera module runs in: sessions now, and CSRF tokens and
 * throttling in the authentication layer. Each module derives its own keys from the one
 * keyring (HKDF per purpose), reads time from the one clock, and reports through the one
 * event sink, so a test that fakes the clock or collects events sees every module at once.
 */
export interface Kernel {
  readonly keyring: Keyring;
  readonly clock: () => number;
  readonly events: EventSink;
  /** The validated store, or `undefined` when none is configured. */
  readonly store: SessionStore | undefined;
  /** Names a session in events and logs without revealing its id (S-57). */
  readonly sessionRef: (id: string) => string;
}

/** Builds a {@link Kernel}, validating secrets and store up front (fail fast). */
export function createKernel(options: KernelOptions): Kernel {
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw new InvalidOptionsError('clock must be a function returning milliseconds');
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw new InvalidOptionsError('onEvent must be a function');
  }
  const keyring = new Keyring(options.secrets);
  return {
    keyring,
    clock: options.clock ?? Date.now,
    events: new EventSink(options.onEvent),
    store:
      options.store === undefined
        ? undefined
        : checkStore(options.store, options.storeOption ?? 'store'),
    sessionRef: sessionRefFactory(keyring),
  };
}
