import { MAX_COOKIE_AGE_SECONDS } from '../cookies/attributes.js';
import { type CompiledSessionCookie, compileSessionCookie } from '../cookies/defaults.js';
import { parseCookieHeader } from '../cookies/parse.js';
import {
  InvalidOptionsError,
  InvalidSessionDataError,
  NotSupportedError,
  SessionStoreError,
} from '../errors.js';
import { createKernel, type Kernel } from '../kernel/context.js';
import type { SessionStore } from '../stores/contract.js';
import { CookieStrategy } from './cookie-mode.js';
import { decodeDevice, deviceOf } from './device.js';
import type { RejectionReason } from './events.js';
import {
  baseSnapshot,
  close,
  type DeviceInfo,
  freshState,
  type Lifetimes,
  loadedState,
  type Origin,
  type SessionHandle,
  type SessionState,
} from './lifecycle.js';
import {
  checkOptionNames,
  type ResolvedTimeouts,
  resolveTimeouts,
  type SessionOptions,
} from './options.js';
import { type ResponsePlan, responsePlan } from './plan.js';
import { type DefaultSessionData, Session, STATE } from './session.js';
import { entriesBytes } from './size.js';
import { diffData, materialize } from './snapshot.js';
import { StoreStrategy } from './store-mode.js';
import type { SessionStrategy } from './strategy.js';
import { withSystemEntries } from './system.js';
import type { VerifiedCacheStats } from './verified-cache.js';
import { storeCall, Writes } from './writes.js';

/** What the adapter knows about the request. */
export interface LoadInput {
  /** The raw `Cookie` header (Node joins repeated lines with `; `). */
  readonly cookieHeader: string | undefined;
  /** Whether the request arrived over HTTPS. */
  readonly secure: boolean;
  /** The `User-Agent` header, recorded when `trackDevices` is on. */
  readonly userAgent?: string | undefined;
  /** The client's address, recorded when `trackDevices` is on. */
  readonly clientAddress?: string | undefined;
}

/** Per-request choices for {@link SessionEngine.load}. */
export interface LoadOptions {
  /**
   * What a store outage does to this request (S-55). `'throw'`: `load` rejects with
   * `SessionStoreError` (answered 503). `'guest'`: the request continues as a read-only
   * guest (data frozen, only `destroy()` allowed, which still expires the cookie): right
   * for public pages and for sign-out.
   * @default 'throw'
   */
  readonly onStoreError?: 'throw' | 'guest';
}

/** One of a user's sessions, for a "your devices" page. */
export interface UserSessionInfo {
  /**
   * Names the session for {@link SessionEngine.revokeSession}: its store key (a hash of
   * the id, not usable as a cookie).
   */
  readonly handle: string;
  /** Whether it is the session passed as `current`. */
  readonly current: boolean;
  readonly createdAt: number;
  /**
   * Store mode: when it was last used, to within the lazy-touch interval. Cookie mode:
   * `null` (the server does not see cookie-mode activity).
   */
  readonly lastSeenAt: number | null;
  /** When it ends unless used again (store mode), or at the latest (cookie mode). */
  readonly expiresAt: number;
  readonly absoluteExpiresAt: number;
  /** Recorded when `trackDevices` is on, else `null`. */
  readonly userAgent: string | null;
  readonly address: string | null;
}

/** A check a loaded session must pass; `false` refuses it (a guest takes its place). */
type Validator<T extends object> = (session: Session<T>) => boolean | Promise<boolean>;

/** @internal The engine method tesserajs/auth installs its session check with. */
export const ADD_VALIDATOR: unique symbol = Symbol('tessera.engine.addValidator');

/** Runs validators in order, synchronously until one returns a promise. */
function runValidators<T extends object>(
  validators: readonly Validator<T>[],
  session: Session<T>,
  from: number,
): boolean | Promise<boolean> {
  for (let i = from; i < validators.length; i++) {
    const verdict = validators[i]!(session);
    if (verdict instanceof Promise) {
      return verdict.then((ok) =>
        ok === true ? runValidators(validators, session, i + 1) : false,
      );
    }
    if (verdict !== true) return false;
  }
  return true;
}

const CACHE_SIZE = 1024;
const NO_NAMES: readonly string[] = Object.freeze([]);

/**
 * The framework-neutral session engine: adapters hand it the `Cookie` header and get a
 * {@link Session}; before the response starts they ask it for the {@link ResponsePlan}.
 * One engine serves both modes: cookie mode (no `store`) and store mode. The mode's
 * strategy does what is specific to it; the engine runs the lifecycle, the timeouts and
 * change detection that both share.
 */
export class SessionEngine<T extends object = DefaultSessionData> {
  /** `'cookie'` (sealed data in the cookie) or `'store'` (signed id, data on the server). */
  readonly mode: 'cookie' | 'store';
  /** Keyring, clock, events and store, shared with the modules built on sessions. */
  readonly kernel: Kernel;
  readonly #strategy: SessionStrategy;
  readonly #timeouts: ResolvedTimeouts;
  readonly #lifetimes: Lifetimes;
  readonly #cookie: CompiledSessionCookie;
  readonly #persistent: boolean;
  readonly #validators: Validator<T>[] = [];
  readonly #trackDevices: boolean;

  constructor(options: SessionOptions<T>) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidOptionsError('session options are required (at least `secrets`)');
    }
    checkOptionNames(options);
    if (options.store !== undefined && options.registry !== undefined) {
      throw new InvalidOptionsError(
        'give either `store` (store mode) or `registry` (cookie mode), not both',
      );
    }
    if (options.validate !== undefined && typeof options.validate !== 'function') {
      throw new InvalidOptionsError('validate must be a function');
    }
    this.#timeouts = resolveTimeouts(options);
    this.#lifetimes = this.#timeouts;
    const { persistent, ...cookieOptions } = options.cookie ?? {};
    this.#cookie = compileSessionCookie(productionSafeCookie(cookieOptions));
    this.#persistent = persistent === true;
    if (options.validate !== undefined) this.#validators.push(options.validate);
    this.#trackDevices = options.trackDevices === true;
    const backend = options.store ?? options.registry;
    const kernel = createKernel({
      secrets: options.secrets,
      clock: options.clock,
      onEvent: options.onEvent,
      store: backend,
      storeOption: options.store !== undefined ? 'store' : 'registry',
    });
    this.kernel = kernel;
    if (this.#trackDevices && kernel.store === undefined) {
      throw new InvalidOptionsError(
        'trackDevices needs a `store` or, in cookie mode, a `registry`',
      );
    }
    if (options.store === undefined) {
      this.mode = 'cookie';
      this.#strategy = new CookieStrategy(
        kernel.keyring,
        this.#timeouts.maxChunks,
        CACHE_SIZE,
        kernel.store,
        this.#timeouts.maxCookieBytes,
      );
    } else {
      this.mode = 'store';
      this.#strategy = new StoreStrategy(
        kernel.keyring,
        kernel.store!,
        CACHE_SIZE,
        this.#timeouts.maxDataBytes,
      );
    }
  }

  /** The store (store mode) or registry (cookie mode), if any. */
  get store(): SessionStore | undefined {
    return this.kernel.store;
  }

  /**
   * What the cache of verified cookies has done since the engine was created: entries
   * held (at most 1024), hits, misses and the bytes of the cookie values it keeps. A hit
   * skips the cryptographic check of a cookie seen before (cookie mode: the unseal;
   * store mode: the id's MAC); with far more live sessions than entries, most lookups
   * miss and each request pays the full check.
   */
  verifiedCacheStats(): VerifiedCacheStats {
    return this.#strategy.cacheStats();
  }

  /**
   * Checks the store now (its driver, connection, table), so a configuration problem is
   * one clear error at start-up instead of a 503 on every request. Call it before the
   * server listens: `await sessions.ready()`. Resolves at once in plain cookie mode.
   * @throws {SessionStoreError} naming what failed, with the driver's error as `cause`.
   */
  async ready(): Promise<void> {
    const store = this.kernel.store;
    if (store === undefined) return;
    try {
      if (store.ready !== undefined) await store.ready();
      else await store.get('tessera-ready-probe-0000000000000000000000000');
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new SessionStoreError('ready', {
        cause: error,
        message: `the session store is not usable: ${reason}`,
      });
    }
  }

  /**
   * Reads the request's session. Never fails for a bad cookie (forged, expired,
   * duplicated, corrupt, revoked: the result is a fresh guest session and a
   * `session.rejected` event); rejects with `SessionStoreError` when the store fails
   * (unless `onStoreError: 'guest'`), and with whatever `validate` throws.
   *
   * Returns the session directly when no I/O is needed (cookie mode without a registry,
   * or no valid session cookie) and a promise otherwise: `await` it either way.
   */
  load(input: LoadInput, options?: LoadOptions): Session<T> | Promise<Session<T>> {
    const secure = input.secure === true;
    const name = this.#cookie.forRequest(secure).name;
    const cookies = parseCookieHeader(input.cookieHeader, { decode: false });
    const { result, present } = this.#strategy.read(cookies, name);
    const device = this.#trackDevices ? deviceOf(input.userAgent, input.clientAddress) : null;
    if (result === null) return this.#fresh(secure, NO_NAMES, false, device);
    if (typeof result === 'string') return this.#reject(result, secure, present, device, null);
    const resolved = result.resolve();
    if (!(resolved instanceof Promise)) return this.#accept(resolved, secure, present, device);
    return resolved.then(
      (found) => this.#accept(found, secure, present, device),
      (error: unknown) => {
        this.kernel.events.emit({
          type: 'session.store_error',
          operation: 'get',
          error: error as Error,
        });
        if (options?.onStoreError !== 'guest') throw error;
        this.kernel.events.emit({
          type: 'session.degraded',
          operation: 'get',
          error: error as Error,
        });
        return this.#fresh(secure, present, false, device, result.handle);
      },
    );
  }

  #fresh(
    secure: boolean,
    present: readonly string[],
    refused: boolean,
    device: DeviceInfo | null,
    degraded: SessionHandle | null = null,
  ): Session<T> {
    const state = freshState(
      this.kernel.clock(),
      this.#lifetimes,
      secure,
      present,
      refused,
      device,
      degraded,
    );
    return new Session<T>(state, Object.create(null), this.#lifetimes, this.kernel.clock);
  }

  /** Checks a verified session's timeouts and the application's `validate` hook. */
  #accept(
    found: Origin | RejectionReason,
    secure: boolean,
    present: readonly string[],
    device: DeviceInfo | null,
  ): Session<T> | Promise<Session<T>> {
    if (typeof found === 'string') return this.#reject(found, secure, present, device, null);
    const now = this.kernel.clock();
    if (now >= found.expiresAt || now >= found.absoluteExpiresAt) {
      // The store's own clock may lag ours (an injected clock, or skew): delete it now.
      return this.#reject('expired', secure, present, device, found);
    }
    const state = loadedState(found, secure, present, device);
    const session = new Session<T>(
      state,
      materialize(found.snapshot),
      this.#lifetimes,
      this.kernel.clock,
    );
    if (this.#validators.length === 0) return session;
    const verdict = runValidators(this.#validators, session, 0);
    if (!(verdict instanceof Promise)) {
      return verdict ? session : this.#reject('invalid', secure, present, device, found);
    }
    return verdict.then((ok) =>
      ok ? session : this.#reject('invalid', secure, present, device, found),
    );
  }

  /**
   * @internal Adds a check every loaded session must pass, after the application's
   * `validate` (tesserajs/auth adds the one that ends sessions of deleted users and of
   * an older session generation).
   */
  [ADD_VALIDATOR](validator: Validator<T>): void {
    if (typeof validator !== 'function')
      throw new InvalidOptionsError('validator must be a function');
    this.#validators.push(validator);
  }

  /**
   * A refused cookie: a guest session whose commit expires it. A refused session that
   * still exists on the server (expired, invalid) is revoked there at once.
   */
  #reject(
    reason: RejectionReason,
    secure: boolean,
    present: readonly string[],
    device: DeviceInfo | null,
    revoke: Origin | null,
  ): Session<T> {
    this.kernel.events.emit({ type: 'session.rejected', reason });
    if (revoke !== null && revoke.key !== null) {
      const writes = new Writes(this.kernel.events, this.kernel.sessionRef);
      this.#strategy.revoke(revoke, writes);
      writes.settle()?.catch(() => {});
    }
    // A duplicated name is left alone: the other copy may belong to another path.
    const expire = reason === 'duplicate_cookie' ? NO_NAMES : present;
    return this.#fresh(secure, expire, expire.length > 0, device);
  }

  /**
   * Decides what to write for `session` and returns the response plan at once: the
   * `Set-Cookie` values and headers are known synchronously, store writes are started
   * and returned as `pending`. Call it exactly once per response, before headers are
   * sent; afterwards the session is read-only.
   * @throws {SessionTooLargeError} (cookie mode) or `InvalidSessionDataError`, before
   * anything is written.
   */
  commit(session: Session<T>): ResponsePlan {
    const state = session[STATE];
    const base = baseSnapshot(state);
    const phase = close(state);
    const dataDiff =
      state.degraded === null ? diffData(base, session.data as Record<string, unknown>) : null;
    const { diff, keys, texts } = withSystemEntries(state, base, dataDiff);
    const origin = state.origin;
    const cookie = this.#cookie.forRequest(state.secure);
    const writes = new Writes(this.kernel.events, this.kernel.sessionRef);
    const events = this.kernel.events;
    let lines: readonly string[];

    if (keys.length === 0 && state.userId === null) {
      // Nothing to keep: no cookie for a guest, and a session emptied of data ends.
      const ended = origin ?? (phase === 'destroyed' ? state.degraded : null);
      if (ended !== null) {
        this.#strategy.revoke(ended, writes);
        if (events.active) {
          events.emit({ type: 'session.destroyed', sessionRef: this.kernel.sessionRef(ended.id) });
        }
      }
      lines =
        ended !== null || state.refused ? state.present.map((n) => cookie.serializeExpired(n)) : [];
    } else {
      if (this.mode === 'store') this.#checkSize(keys, texts);
      const now = this.kernel.clock();
      const expiresAt = Math.min(now + this.#timeouts.idleTimeout, state.absoluteExpiresAt);
      const maxAge = this.#maxAge(state.absoluteExpiresAt, now);
      if (phase === 'loaded' && origin !== null) {
        // The extension that reaches the absolute limit is always written, however short:
        // skipping it would end an active session up to touchAfter early.
        const touchDue =
          state.touchRequested ||
          expiresAt - origin.expiresAt >= this.#timeouts.touchAfter ||
          (expiresAt === state.absoluteExpiresAt && expiresAt > origin.expiresAt);
        lines = this.#strategy.update(
          { origin, diff, keys, texts, expiresAt, touchDue, present: state.present, maxAge },
          cookie,
          writes,
        );
        if (diff !== null || touchDue) state.expiresAt = expiresAt;
        state.committedId = origin.publicId;
        state.committedKey = origin.key;
      } else {
        const issued = this.#strategy.create(
          {
            keys,
            texts,
            createdAt: state.createdAt,
            expiresAt,
            absoluteExpiresAt: state.absoluteExpiresAt,
            userId: state.userId,
            device: state.device,
            present: state.present,
            maxAge,
          },
          cookie,
          writes,
        );
        lines = issued.lines;
        state.expiresAt = expiresAt;
        state.committedId = issued.publicId;
        state.committedKey = issued.key;
        if (origin !== null) this.#strategy.revoke(origin, writes);
        this.#announce(phase, issued.id, origin);
      }
    }
    return responsePlan(lines, writes.settle());
  }

  /** Store mode: refuses data larger than `maxDataBytes` before anything is written. */
  #checkSize(keys: readonly string[], texts: readonly string[]): void {
    const bytes = entriesBytes(keys, texts);
    if (bytes > this.#timeouts.maxDataBytes) {
      throw new InvalidSessionDataError(
        `session data is ${bytes} bytes, above maxDataBytes (${this.#timeouts.maxDataBytes})`,
      );
    }
  }

  #maxAge(absoluteExpiresAt: number, now: number): number | undefined {
    if (!this.#persistent) return undefined;
    const seconds = Math.floor((absoluteExpiresAt - now) / 1000);
    return Math.max(0, Math.min(seconds, MAX_COOKIE_AGE_SECONDS));
  }

  #announce(phase: string, id: string, origin: Origin | null): void {
    const events = this.kernel.events;
    if (!events.active) return;
    const ref = this.kernel.sessionRef;
    if (origin === null) {
      events.emit({ type: 'session.created', sessionRef: ref(id) });
    } else if (phase === 'regenerated') {
      events.emit({
        type: 'session.regenerated',
        sessionRef: ref(id),
        previousRef: ref(origin.id),
      });
    } else {
      events.emit({ type: 'session.destroyed', sessionRef: ref(origin.id) });
      events.emit({ type: 'session.created', sessionRef: ref(id) });
    }
  }

  // ── A user's sessions ────────────────────────────────────────────────────────────

  /** The store that indexes sessions by user, or a clear error saying why there is none. */
  #byUserStore(operation: string): SessionStore & Required<Pick<SessionStore, 'listByUser'>> {
    const store = this.kernel.store;
    if (store === undefined) {
      throw new NotSupportedError(
        `${operation} needs a store: store mode, or cookie mode with a \`registry\``,
      );
    }
    if (store.listByUser === undefined || store.destroyByUser === undefined) {
      throw new NotSupportedError(`${operation}: this store does not index sessions by user`);
    }
    return store as SessionStore & Required<Pick<SessionStore, 'listByUser'>>;
  }

  /**
   * Every live session of `userId`, newest first, for a "your devices" page. Pass the
   * request's session as `current` to have it marked.
   * @throws {NotSupportedError} in cookie mode without a registry, or with a store that
   * does not index sessions by user. @throws {SessionStoreError} when the store fails.
   */
  async listSessions(
    userId: string,
    options?: { readonly current?: Session<T> },
  ): Promise<UserSessionInfo[]> {
    const store = this.#byUserStore('listSessions');
    const entries = await storeCall('listByUser', () => store.listByUser(userId));
    const currentKey = options?.current === undefined ? null : currentKeyOf(options.current);
    const now = this.kernel.clock();
    const idle = this.#timeouts.idleTimeout;
    return entries
      .filter(({ record }) => record.expiresAt > now && record.absoluteExpiresAt > now)
      .map(({ key, record }) => {
        const device = decodeDevice(record.data);
        return {
          handle: key,
          current: key === currentKey,
          createdAt: record.createdAt,
          lastSeenAt:
            this.mode === 'store' ? Math.max(record.createdAt, record.expiresAt - idle) : null,
          expiresAt: record.expiresAt,
          absoluteExpiresAt: record.absoluteExpiresAt,
          userAgent: device?.userAgent ?? null,
          address: device?.address ?? null,
        };
      })
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /**
   * Revokes one session of `userId` by the `handle` {@link listSessions} gave. Returns
   * `false` when there is no such session of that user (a handle of another user's
   * session revokes nothing).
   */
  async revokeSession(userId: string, handle: string): Promise<boolean> {
    const store = this.#byUserStore('revokeSession');
    if (typeof handle !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(handle)) return false;
    const record = await storeCall('get', () => store.get(handle)).catch((error: unknown) => {
      if ((error as { cause?: { code?: string } }).cause?.code === 'CORRUPT_RECORD') return null;
      throw error;
    });
    if (record === null || record.userId !== userId) return false;
    await storeCall('destroy', () => store.destroy(handle));
    return true;
  }

  /**
   * Revokes every session of `userId` ("sign out everywhere"), or all but `except`
   * ("sign out other devices"). Returns how many were revoked. The request's own session
   * is revoked too unless it is `except`; its cookie is then refused on the next request.
   */
  async revokeUserSessions(
    userId: string,
    options?: { readonly except?: Session<T> },
  ): Promise<number> {
    const store = this.#byUserStore('revokeUserSessions');
    const exceptKey = options?.except === undefined ? null : currentKeyOf(options.except);
    return storeCall('destroyByUser', () =>
      exceptKey === null ? store.destroyByUser!(userId) : store.destroyByUser!(userId, exceptKey),
    );
  }
}

/** The store key a request's session has (or will have once committed). */
function currentKeyOf(session: Session<object>): string | null {
  const state: SessionState = session[STATE];
  return state.committedKey ?? state.origin?.key ?? null;
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
