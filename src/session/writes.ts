import { isSessionStoreError, isTesseraError, SessionStoreError } from '../errors.js';
import type { EventSink } from '../kernel/events.js';
import type { SessionRecord, SessionStore } from '../stores/contract.js';

/** Wraps anything a store threw into a {@link SessionStoreError} (keeping the cause). */
export function asStoreError(operation: string, error: unknown): SessionStoreError {
  if (error instanceof SessionStoreError) return error;
  if (isTesseraError(error) && error.code === 'STORE_UNAVAILABLE') {
    return error as SessionStoreError;
  }
  return new SessionStoreError(operation, { cause: error });
}

function isInvalidData(error: unknown): boolean {
  return isTesseraError(error) && error.code === 'INVALID_SESSION_DATA';
}

/** True when a store call failed because the record is unreadable (the request is a guest). */
export function isCorruptRecord(error: unknown): boolean {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return isTesseraError(cause) && cause.code === 'CORRUPT_RECORD';
}

/**
 * Reads one record in a single promise step (the READ path's only I/O): `use` gets the
 * record; an unreadable record is `'corrupt'`; any other failure rejects with a
 * {@link SessionStoreError}.
 */
export function readRecord<R>(
  store: SessionStore,
  key: string,
  use: (record: SessionRecord | null) => R,
): Promise<R | 'corrupt'> {
  let pending: Promise<SessionRecord | null>;
  try {
    pending = store.get(key);
  } catch (error) {
    pending = Promise.reject(error);
  }
  return pending.then(use, (error: unknown) => {
    if (isTesseraError(error) && error.code === 'CORRUPT_RECORD') return 'corrupt' as const;
    throw asStoreError('get', error);
  });
}

/** Starts a store call, turning a synchronous throw or a rejection into a SessionStoreError. */
export function storeCall<R>(operation: string, call: () => Promise<R>): Promise<R> {
  let pending: Promise<R>;
  try {
    pending = call();
  } catch (error) {
    return Promise.reject(asStoreError(operation, error));
  }
  return pending.then(undefined, (error: unknown) => {
    throw asStoreError(operation, error);
  });
}

/**
 * The store writes one commit starts. Writes that keep the session (set, patch, touch)
 * must succeed or the response fails (503). Revocations (destroying the old record on
 * sign-out or regeneration) are awaited too, but their failure does not fail the
 * response: the browser's cookie is expired regardless, and a `session.revoke_failed`
 * event says that the old record outlives it until its expiry (S-55).
 */
export class Writes {
  readonly #events: EventSink;
  readonly #sessionRef: (id: string) => string;
  #list: Promise<unknown>[] | null = null;

  constructor(events: EventSink, sessionRef: (id: string) => string) {
    this.#events = events;
    this.#sessionRef = sessionRef;
  }

  /**
   * A write the response depends on; `then` sees its result (one promise step per write,
   * which is most of what a store-mode WRITE costs besides the store itself).
   */
  add<R>(operation: string, call: () => Promise<R>, then?: (result: R) => void): void {
    let pending: Promise<R>;
    try {
      pending = call();
    } catch (error) {
      pending = Promise.reject(error);
    }
    this.#push(
      pending.then(then, (error: unknown) => {
        // A patch refused for size (see SessionPatch.maxDataBytes) is the request's fault,
        // not an outage: it stays itself and is answered 500, not 503.
        throw isInvalidData(error) ? error : asStoreError(operation, error);
      }),
    );
  }

  /** A revocation of the session `id`: reported, never fatal. */
  revoke(id: string, call: () => Promise<unknown>): void {
    const pending = storeCall('destroy', call).then(undefined, (error: SessionStoreError) => {
      this.#events.emit({ type: 'session.store_error', operation: 'destroy', error });
      this.#events.emit({ type: 'session.revoke_failed', sessionRef: this.#sessionRef(id), error });
    });
    this.#push(pending);
  }

  #push(pending: Promise<unknown>): void {
    if (this.#list === null) this.#list = [pending];
    else this.#list.push(pending);
  }

  /** A patch found no record: the session ended meanwhile (expired, revoked elsewhere). */
  vanished(id: string): void {
    this.#events.emit({ type: 'session.vanished', sessionRef: this.#sessionRef(id) });
  }

  /** All writes as one promise (first fatal failure rejects, after all settled), or `null`. */
  settle(): Promise<void> | null {
    const list = this.#list;
    if (list === null) return null;
    const events = this.#events;
    const report = (error: SessionStoreError): never => {
      if (isSessionStoreError(error)) {
        events.emit({ type: 'session.store_error', operation: error.operation ?? 'write', error });
      }
      throw error;
    };
    // The common case, one write: no allSettled bookkeeping.
    if (list.length === 1) return list[0]!.then(ignore, report);
    return Promise.allSettled(list).then((results) => {
      for (const result of results) {
        if (result.status === 'rejected') report(result.reason as SessionStoreError);
      }
    });
  }
}

function ignore(): void {}
