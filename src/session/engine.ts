import { randomBytes } from 'node:crypto';
import { MAX_COOKIE_AGE_SECONDS } from '../cookies/attributes.js';
import { type CompiledSessionCookie, compileSessionCookie } from '../cookies/defaults.js';
import { parseCookieHeader } from '../cookies/parse.js';
import type { ResolvedSessionCookie } from '../cookies/precomputed.js';
import { Keyring } from '../crypto/keyring.js';
import { InvalidOptionsError, InvalidSessionDataError, SessionStateError } from '../errors.js';
import type { SessionRecord } from '../stores/contract.js';
import { CookieMode } from './cookie-mode.js';
import type { RejectionReason, SessionEvent } from './events.js';
import { type ResolvedTimeouts, resolveTimeouts, type SessionOptions } from './options.js';
import { type DefaultSessionData, Session, type SessionState, STATE } from './session.js';
import { sessionRefFactory } from './session-ref.js';
import {
  type DataDiff,
  type DataSnapshot,
  diffData,
  EMPTY_SNAPSHOT,
  materialize,
} from './snapshot.js';
import { type StoredSession, StoreMode } from './store-mode.js';

/** What the adapter knows about the request. */
export interface LoadInput {
  /** The raw `Cookie` header (Node joins repeated lines with `; `). */
  readonly cookieHeader: string | undefined;
  /** Whether the request arrived over HTTPS. */
  readonly secure: boolean;
}

/** The outcome of committing a session, for the adapter to apply before headers go out. */
export interface PreparedCommit {
  /** `Set-Cookie` values to append (empty when nothing changed). */
  readonly setCookie: readonly string[];
  /**
   * Store writes still in flight, or `null` when there are none (cookie mode, or a READ).
   * Rejects with `SessionStoreError`; the response must then not report success.
   */
  readonly pending: Promise<void> | null;
}

const CACHE_SIZE = 1024;
const NO_COOKIES: readonly string[] = Object.freeze([]);

/**
 * The framework-neutral session engine: adapters hand it the `Cookie` header and get a
 * {@link Session}; before the response starts they ask it for the `Set-Cookie` values.
 * One engine serves both modes: cookie mode (no `store`) and store mode.
 */
export class SessionEngine<T extends object = DefaultSessionData> {
  /** `'cookie'` (sealed data in the cookie) or `'store'` (signed id, data on the server). */
  readonly mode: 'cookie' | 'store';
  readonly #timeouts: ResolvedTimeouts;
  readonly #cookie: CompiledSessionCookie;
  readonly #persistent: boolean;
  readonly #clock: () => number;
  readonly #onEvent: ((event: SessionEvent) => void) | undefined;
  readonly #cookieMode: CookieMode | undefined;
  readonly #storeMode: StoreMode | undefined;
  readonly #ref: (id: string) => string;

  constructor(options: SessionOptions) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidOptionsError('session options are required (at least `secrets`)');
    }
    const keyring = new Keyring(options.secrets);
    this.#timeouts = resolveTimeouts(options);
    const { persistent, ...cookieOptions } = options.cookie ?? {};
    this.#cookie = compileSessionCookie(productionSafeCookie(cookieOptions));
    this.#persistent = persistent === true;
    this.#clock = options.clock ?? Date.now;
    this.#onEvent = options.onEvent;
    this.#ref = sessionRefFactory(keyring);
    if (options.store === undefined) {
      this.mode = 'cookie';
      this.#cookieMode = new CookieMode(keyring, this.#timeouts.maxChunks, CACHE_SIZE);
    } else {
      this.mode = 'store';
      this.#storeMode = new StoreMode(
        keyring,
        options.store,
        CACHE_SIZE,
        this.#timeouts.maxDataBytes,
      );
    }
  }

  /** The store in store mode, `undefined` in cookie mode. */
  get store(): StoreMode['store'] | undefined {
    return this.#storeMode?.store;
  }

  /**
   * Reads the request's session. Never fails for a bad cookie (forged, expired,
   * duplicated, corrupt: the result is a fresh guest session and a `session.rejected`
   * event); rejects with `SessionStoreError` when the store fails.
   *
   * Returns the session directly when no I/O is needed (cookie mode, or no valid
   * session cookie) and a promise otherwise: `await` it either way.
   */
  load(input: LoadInput): Session<T> | Promise<Session<T>> {
    const secure = input.secure;
    const name = this.#cookie.forRequest(secure).name;
    const cookies = parseCookieHeader(input.cookieHeader, { decode: false });
    const state = guestState(secure);
    if (this.#cookieMode !== undefined) {
      const present = { names: NO_COOKIES };
      const found = this.#cookieMode.read(cookies, name, present);
      state.present = present.names;
      if (typeof found === 'string') return this.#reject(state, found);
      if (found === null) return new Session<T>(state, Object.create(null));
      const { meta, snapshot } = found;
      const now = this.#clock();
      if (now >= meta.expiresAt || now >= meta.absoluteExpiresAt) {
        return this.#reject(state, 'expired');
      }
      state.id = meta.nonce;
      return this.#adopt(state, meta, snapshot, found.keyIndex);
    }
    const storeMode = this.#storeMode!;
    const verified = storeMode.verify(cookies, name);
    if (verified === null) return new Session<T>(state, Object.create(null));
    state.present = [name];
    if (typeof verified === 'string') return this.#reject(state, verified);
    return storeMode.read(verified).then(
      (found) => this.#fromStore(state, found),
      (error: Error) => {
        this.#emit({ type: 'session.store_error', operation: 'get', error });
        throw error;
      },
    );
  }

  /** Fills a guest state with a verified, unexpired session and hands out its data. */
  #adopt(
    state: SessionState,
    meta: Pick<SessionRecord, 'createdAt' | 'expiresAt' | 'absoluteExpiresAt' | 'userId'>,
    snapshot: DataSnapshot,
    keyIndex: number,
  ): Session<T> {
    state.loaded = true;
    state.snapshot = snapshot;
    state.createdAt = meta.createdAt;
    state.expiresAt = meta.expiresAt;
    state.absoluteExpiresAt = meta.absoluteExpiresAt;
    state.userId = state.loadedUserId = meta.userId;
    state.reissue = keyIndex > 0;
    return new Session<T>(state, materialize(snapshot));
  }

  #fromStore(state: SessionState, found: StoredSession | RejectionReason): Session<T> {
    if (typeof found === 'string') return this.#reject(state, found);
    const { verified, record, snapshot } = found;
    const now = this.#clock();
    if (now >= record.expiresAt || now >= record.absoluteExpiresAt) {
      // The store's own clock may lag ours (an injected clock, or skew): delete it now.
      this.#storeMode!.store.destroy(verified.key).catch((error: Error) => {
        this.#emit({ type: 'session.store_error', operation: 'destroy', error });
      });
      return this.#reject(state, 'expired');
    }
    state.id = verified.id;
    state.key = verified.key;
    return this.#adopt(state, record, snapshot, verified.keyIndex);
  }

  /**
   * Decides what to write for `session` and returns the `Set-Cookie` values at once,
   * with store writes started and returned as `pending`. Call it exactly once per
   * response, before headers are sent; afterwards the session is read-only.
   * @throws {SessionTooLargeError} (cookie mode) or `InvalidSessionDataError`, before
   * anything is written.
   */
  commit(session: Session<T>): PreparedCommit {
    const state = session[STATE];
    if (state.committed) throw new SessionStateError('the session was already committed');
    state.committed = true;
    const diff = diffData(state.snapshot, session.data as Record<string, unknown>);
    const keys = diff === null ? state.snapshot.keys : diff.keys;
    const cookie = this.#cookie.forRequest(state.secure);
    const writes: Promise<unknown>[] = [];
    const storeMode = this.#storeMode;
    if (state.destroyedKey !== null && storeMode !== undefined) {
      const key = state.destroyedKey;
      writes.push(storeMode.run('destroy', () => storeMode.store.destroy(key)));
    }
    let setCookie: readonly string[] = NO_COOKIES;
    if (keys.length === 0 && state.userId === null) {
      // Nothing to keep: no cookie for a guest, and a session emptied of data ends.
      if (state.loaded) {
        if (storeMode !== undefined && state.key !== null) {
          const key = state.key;
          writes.push(storeMode.run('destroy', () => storeMode.store.destroy(key)));
        }
        state.destroyedId = state.id;
        state.clearCookie = true;
      }
      if (state.clearCookie) setCookie = state.present.map((n) => cookie.serializeExpired(n));
    } else if (this.#cookieMode !== undefined) {
      setCookie = this.#commitSealed(state, diff, cookie);
    } else {
      setCookie = this.#commitStored(state, diff, cookie, writes);
    }
    if (state.destroyedId !== null) {
      this.#emit({ type: 'session.destroyed', sessionRef: this.#ref(state.destroyedId) });
    }
    const pending = writes.length === 0 ? null : settle(writes, this.#onEvent);
    return { setCookie, pending };
  }

  #commitSealed(
    state: SessionState,
    diff: DataDiff | null,
    cookie: ResolvedSessionCookie,
  ): string[] {
    const now = this.#clock();
    const created = !state.loaded;
    const expiresAt = this.#nextExpiry(state, now);
    const userChanged = state.userId !== state.loadedUserId;
    const touchDue = this.#touchDue(state, expiresAt);
    if (
      !created &&
      !state.regenerated &&
      diff === null &&
      !userChanged &&
      !touchDue &&
      !state.reissue
    ) {
      return NO_COOKIES as string[];
    }
    const previous = state.id;
    if (created || state.regenerated) state.id = randomBytes(16).toString('base64url');
    const keys = diff === null ? state.snapshot.keys : diff.keys;
    const texts = diff === null ? state.snapshot.texts : diff.texts;
    const meta = {
      nonce: state.id!,
      createdAt: state.createdAt,
      expiresAt,
      absoluteExpiresAt: state.absoluteExpiresAt,
      userId: state.userId,
    };
    const lines = this.#cookieMode!.write(
      cookie,
      meta,
      keys,
      texts,
      state.present,
      this.#maxAge(state, now),
    );
    this.#announce(state, created, previous);
    return lines;
  }

  #commitStored(
    state: SessionState,
    diff: DataDiff | null,
    cookie: ResolvedSessionCookie,
    writes: Promise<unknown>[],
  ): string[] {
    const storeMode = this.#storeMode!;
    const store = storeMode.store;
    if (diff !== null) this.#checkSize(diff);
    const now = this.#clock();
    const expiresAt = this.#nextExpiry(state, now);
    const maxAge = this.#maxAge(state, now);
    if (!state.loaded || state.regenerated) {
      const previous = state.loaded ? { id: state.id!, key: state.key! } : null;
      const fresh = storeMode.newId();
      state.id = fresh.id;
      state.key = fresh.key;
      const keys = diff === null ? state.snapshot.keys : diff.keys;
      const texts = diff === null ? state.snapshot.texts : diff.texts;
      const data: Record<string, string> = {};
      for (let i = 0; i < keys.length; i++) data[keys[i]!] = texts[i]!;
      const record = {
        data,
        createdAt: state.createdAt,
        expiresAt,
        absoluteExpiresAt: state.absoluteExpiresAt,
        userId: state.userId,
      };
      writes.push(storeMode.run('set', () => store.set(fresh.key, record)));
      if (previous !== null) {
        writes.push(storeMode.run('destroy', () => store.destroy(previous.key)));
      }
      this.#announce(state, previous === null, previous?.id ?? null);
      return [storeMode.cookieLine(cookie, fresh.id, maxAge)];
    }
    const key = state.key!;
    const userChanged = state.userId !== state.loadedUserId;
    if (diff !== null || userChanged) {
      const patch = {
        set: diff?.set ?? {},
        remove: diff?.remove ?? [],
        expiresAt,
        ...(userChanged ? { userId: state.userId } : {}),
      };
      const ref = state.id!;
      writes.push(
        storeMode
          .run('patch', () => store.patch(key, patch))
          .then((applied) => {
            if (!applied) this.#emit({ type: 'session.vanished', sessionRef: this.#ref(ref) });
          }),
      );
    } else if (this.#touchDue(state, expiresAt)) {
      writes.push(storeMode.run('touch', () => store.touch(key, expiresAt)));
      if (maxAge !== undefined) return [storeMode.cookieLine(cookie, state.id!, maxAge)];
    }
    return state.reissue
      ? [storeMode.cookieLine(cookie, state.id!, maxAge)]
      : (NO_COOKIES as string[]);
  }

  /** Store mode: refuses data larger than `maxDataBytes` before anything is written. */
  #checkSize(diff: DataDiff): void {
    let bytes = 0;
    for (let i = 0; i < diff.keys.length; i++) {
      bytes += Buffer.byteLength(diff.keys[i]!) + Buffer.byteLength(diff.texts[i]!);
    }
    if (bytes > this.#timeouts.maxDataBytes) {
      throw new InvalidSessionDataError(
        `session data is ${bytes} bytes, above maxDataBytes (${this.#timeouts.maxDataBytes})`,
      );
    }
  }

  /** New idle expiry: now + idle timeout, never past the absolute expiry. */
  #nextExpiry(state: SessionState, now: number): number {
    if (!state.loaded) {
      state.createdAt = now;
      state.absoluteExpiresAt = now + this.#timeouts.absoluteTimeout;
    }
    return Math.min(now + this.#timeouts.idleTimeout, state.absoluteExpiresAt);
  }

  #touchDue(state: SessionState, expiresAt: number): boolean {
    return state.touchRequested || expiresAt - state.expiresAt >= this.#timeouts.touchAfter;
  }

  #maxAge(state: SessionState, now: number): number | undefined {
    if (!this.#persistent) return undefined;
    const seconds = Math.floor((state.absoluteExpiresAt - now) / 1000);
    return Math.max(0, Math.min(seconds, MAX_COOKIE_AGE_SECONDS));
  }

  #announce(state: SessionState, created: boolean, previousId: string | null): void {
    if (this.#onEvent === undefined) return;
    const sessionRef = this.#ref(state.id!);
    if (created) this.#emit({ type: 'session.created', sessionRef });
    else if (state.regenerated && previousId !== null) {
      this.#emit({ type: 'session.regenerated', sessionRef, previousRef: this.#ref(previousId) });
    }
  }

  #reject(state: SessionState, reason: RejectionReason): Session<T> {
    // A cookie we will never accept is expired, so the browser stops sending it; a
    // duplicated name is left alone (the other copy may belong to another path).
    state.clearCookie = reason !== 'duplicate_cookie';
    this.#emit({ type: 'session.rejected', reason });
    return new Session<T>(state, Object.create(null));
  }

  #emit(event: SessionEvent): void {
    if (this.#onEvent === undefined) return;
    try {
      this.#onEvent(event);
    } catch {
      // A failing logger must never break a request.
    }
  }
}

function guestState(secure: boolean): SessionState {
  return {
    loaded: false,
    id: null,
    key: null,
    snapshot: EMPTY_SNAPSHOT,
    createdAt: 0,
    expiresAt: 0,
    absoluteExpiresAt: 0,
    userId: null,
    loadedUserId: null,
    reissue: false,
    regenerated: false,
    destroyedKey: null,
    destroyedId: null,
    clearCookie: false,
    touchRequested: false,
    committed: false,
    secure,
    present: NO_COOKIES,
  };
}

/** Resolves all writes; the first failure rejects (after every write has settled). */
async function settle(
  writes: Promise<unknown>[],
  onEvent: ((event: SessionEvent) => void) | undefined,
): Promise<void> {
  const results = await Promise.allSettled(writes);
  for (const result of results) {
    if (result.status === 'rejected') {
      const error = result.reason as Error & { operation?: string };
      try {
        onEvent?.({ type: 'session.store_error', operation: error.operation ?? 'write', error });
      } catch {
        // A failing logger must never break a request.
      }
      throw error;
    }
  }
}

/**
 * S-19: an insecure cookie is a development convenience only. `secure: 'auto'` in
 * production always sets Secure (a TLS-terminating proxy makes requests look like
 * plain HTTP); `secure: false` in production refuses to start.
 */
function productionSafeCookie<O extends { secure?: boolean | 'auto' }>(options: O): O {
  if (process.env.NODE_ENV !== 'production') return options;
  if (options.secure === false) {
    throw new InvalidOptionsError(
      'cookie.secure: false is refused with NODE_ENV=production; session cookies must be Secure',
    );
  }
  return { ...options, secure: true };
}
