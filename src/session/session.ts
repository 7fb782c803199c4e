import type { JsonValue } from './json.js';
import {
  bindUser,
  destroy,
  type Lifetimes,
  type Phase,
  phaseOf,
  regenerate,
  requestTouch,
  type SessionState,
} from './lifecycle.js';

/**
 * Declare your session's shape once, for autocomplete everywhere:
 *
 * ```ts
 * declare module 'tesserajs' {
 *   interface SessionData { views: number; cart: string[] }
 * }
 * ```
 * Values must be JSON: strings, finite numbers, booleans, `null`, arrays and plain
 * objects of those. Left empty, session data is an open record of JSON values.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an empty interface that applications augment.
export interface SessionData {}

/** The data type sessions get by default: {@link SessionData} if augmented, else open. */
export type DefaultSessionData = keyof SessionData extends never
  ? Record<string, JsonValue>
  : SessionData;

/** @internal */
export const STATE: unique symbol = Symbol('tessera.session.state');
/** @internal */
export const LIFETIMES: unique symbol = Symbol('tessera.session.lifetimes');
/** @internal */
export const CLOCK: unique symbol = Symbol('tessera.session.clock');

/**
 * One request's session, the same in cookie mode and store mode. Read and change
 * `data` freely (nested mutation included); changes are saved when the response starts.
 */
export class Session<T extends object = DefaultSessionData> {
  /**
   * The session's data: a null-prototype object of JSON values. A value that is not JSON
   * (a `Date`, `Map`, class instance, `NaN`, BigInt, function) is refused at commit with
   * an `InvalidSessionDataError` naming the key. Frozen in a read-only guest session.
   */
  data: Partial<T>;
  /** @internal */
  readonly [STATE]: SessionState;
  /** @internal */
  readonly [LIFETIMES]: Lifetimes;
  /** @internal */
  readonly [CLOCK]: () => number;

  /** @internal Created by the engine. */
  constructor(
    state: SessionState,
    data: Record<string, unknown>,
    lifetimes: Lifetimes,
    clock: () => number,
  ) {
    this[STATE] = state;
    this[LIFETIMES] = lifetimes;
    this[CLOCK] = clock;
    this.data = (state.degraded === null ? data : Object.freeze(data)) as Partial<T>;
  }

  /** Where the session is in its lifecycle (see `session/lifecycle.ts`). */
  get phase(): Phase {
    return phaseOf(this[STATE], this.data as Record<string, unknown>);
  }

  /** True when no valid session came with this request (a guest, or a fresh session). */
  get isNew(): boolean {
    return this[STATE].origin === null;
  }

  /**
   * True when this request changed anything that commit would write: data (including
   * nested mutation), the bound user, a requested touch, or a pending regeneration or
   * destruction.
   */
  get isChanged(): boolean {
    const state = this[STATE];
    const phase = this.phase;
    if (phase === 'committed') return false;
    if (phase === 'fresh') {
      return Object.keys(this.data).length > 0 || state.userId !== null || state.systemChanged;
    }
    return phase !== 'loaded';
  }

  /** True once the session was committed for this response; it is read-only then. */
  get isCommitted(): boolean {
    return this[STATE].phase === 'committed';
  }

  /**
   * True for the read-only guest that `load(…, { onStoreError: 'guest' })` returns while
   * the store is unreachable: data is frozen and only `destroy()` is allowed.
   */
  get isReadOnly(): boolean {
    return this[STATE].degraded !== null;
  }

  /**
   * Store mode: this session's id (also the cookie's unsigned part), `undefined` until
   * one exists and after `regenerate()`/`destroy()` until the commit issues the new one.
   */
  get id(): string | undefined {
    const state = this[STATE];
    if (state.phase === 'committed') return state.committedId;
    return state.phase === 'loaded' ? state.origin?.publicId : undefined;
  }

  /** When the session was first created (ms since epoch); survives regeneration. */
  get createdAt(): number {
    return this[STATE].createdAt;
  }

  /** When the session expires unless used again (idle timeout, ms since epoch). */
  get expiresAt(): number {
    return this[STATE].expiresAt;
  }

  /** When the session expires whatever happens (absolute timeout, ms since epoch). */
  get absoluteExpiresAt(): number {
    return this[STATE].absoluteExpiresAt;
  }

  /** The user this session is bound to, or `null`. */
  get userId(): string | null {
    return this[STATE].userId;
  }

  /**
   * Binds the session to a user (stores index sessions by user, for listing and
   * "sign out everywhere"). Changing the user also issues a new session id at commit,
   * exactly as {@link regenerate} does, so a session id planted before sign-in is never
   * bound to the victim (S-05, S-06), and voids the CSRF tokens issued before.
   */
  setUser(userId: string | null): void {
    if (userId !== null && (typeof userId !== 'string' || userId.length === 0)) {
      throw new TypeError('userId must be a non-empty string or null');
    }
    bindUser(this[STATE], userId);
  }

  /**
   * Issues a new id (store mode) or nonce (cookie mode) for the same data, and revokes
   * the old one at commit. Call it on any privilege change (S-05, S-06). Creation time
   * and absolute expiry are kept (S-09). CSRF tokens issued before are void afterwards
   * (their binding is dropped).
   */
  regenerate(): void {
    regenerate(this[STATE]);
  }

  /**
   * Ends the session: clears its data, revokes it on the server and expires the cookie
   * at commit. Setting data afterwards starts a brand-new session.
   */
  destroy(): void {
    destroy(this[STATE], this[CLOCK](), this[LIFETIMES]);
    this.data = Object.create(null);
  }

  /** Extends the idle expiry now, even if the lazy-touch interval has not passed. */
  touch(): void {
    requestTouch(this[STATE]);
  }
}
