import { SessionStateError } from '../errors.js';
import { type DataSnapshot, diffData, EMPTY_SNAPSHOT } from './snapshot.js';

/**
 * Declare your session's shape once, for autocomplete everywhere:
 *
 * ```ts
 * declare module 'tesserajs' {
 *   interface SessionData { views: number; cart: string[] }
 * }
 * ```
 * Left empty, session data is an open record of unknown values.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an empty interface that applications augment.
export interface SessionData {}

/** The data type sessions get by default: {@link SessionData} if augmented, else open. */
export type DefaultSessionData = keyof SessionData extends never
  ? Record<string, unknown>
  : SessionData;

/** @internal Engine-side state of one request's session. */
export interface SessionState {
  /** Whether a valid session came with the request. */
  loaded: boolean;
  /** Store mode: the raw id (cookie value without signature). Cookie mode: the nonce. */
  id: string | null;
  /** Store mode: SHA-256 of the id, the store key. */
  key: string | null;
  snapshot: DataSnapshot;
  createdAt: number;
  expiresAt: number;
  absoluteExpiresAt: number;
  userId: string | null;
  loadedUserId: string | null;
  /** The cookie was verified with an older key and must be re-issued (rotation). */
  reissue: boolean;
  /** `regenerate()` was called: new id, old record deleted. */
  regenerated: boolean;
  /** Store key of a destroyed session whose record must be deleted at commit. */
  destroyedKey: string | null;
  /** Id (store mode) or nonce (cookie mode) of a session ended by this request. */
  destroyedId: string | null;
  /** A session existed (or a cookie arrived) and was ended: the cookie must be expired. */
  clearCookie: boolean;
  touchRequested: boolean;
  committed: boolean;
  /** Whether the request came over HTTPS (chooses the cookie name and Secure). */
  secure: boolean;
  /** Names of this session's cookies present in the request (for stale-chunk cleanup). */
  present: readonly string[];
}

/** @internal */
export const STATE: unique symbol = Symbol('tessera.session.state');

/**
 * One request's session, the same in cookie mode and store mode. Read and change
 * `data` freely (nested mutation included); changes are saved when the response starts.
 */
export class Session<T extends object = DefaultSessionData> {
  /** The session's data. A null-prototype object; values must be JSON-serializable. */
  data: Partial<T>;
  /** @internal */
  readonly [STATE]: SessionState;

  /** @internal Created by the engine. */
  constructor(state: SessionState, data: Record<string, unknown>) {
    this[STATE] = state;
    this.data = data as Partial<T>;
  }

  /** True when no valid session came with this request (a guest, or a fresh session). */
  get isNew(): boolean {
    return !this[STATE].loaded;
  }

  /**
   * True when this request changed anything that commit would write: data (including
   * nested mutation), the bound user, or a pending regeneration or destruction.
   */
  get isChanged(): boolean {
    const state = this[STATE];
    return (
      diffData(state.snapshot, this.data as Record<string, unknown>) !== null ||
      state.userId !== state.loadedUserId ||
      state.regenerated ||
      state.destroyedId !== null
    );
  }

  /** True once the session was committed for this response; it is read-only then. */
  get isCommitted(): boolean {
    return this[STATE].committed;
  }

  /** Store mode: this session's id (also the cookie's unsigned part). `undefined` until one exists. */
  get id(): string | undefined {
    return this[STATE].key === null ? undefined : (this[STATE].id ?? undefined);
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
   * "sign out everywhere"). Call {@link regenerate} too when privileges change.
   */
  setUser(userId: string | null): void {
    this.assertOpen();
    this[STATE].userId = userId;
  }

  /**
   * Issues a new id (store mode) or nonce (cookie mode) for the same data, and deletes
   * the old server record at commit. Call it on sign-in and any privilege change
   * (S-05, S-06). Creation time and absolute expiry are kept (S-09).
   */
  regenerate(): void {
    this.assertOpen();
    this[STATE].regenerated = true;
  }

  /**
   * Ends the session: clears its data, deletes the server record and expires the
   * cookie at commit. Setting data afterwards starts a brand-new session.
   */
  destroy(): void {
    this.assertOpen();
    const state = this[STATE];
    if (state.loaded || state.key !== null) {
      state.destroyedKey = state.key;
      state.destroyedId = state.id;
      state.clearCookie = true;
    }
    state.loaded = false;
    state.id = null;
    state.key = null;
    state.userId = null;
    state.loadedUserId = null;
    state.regenerated = false;
    state.reissue = false;
    state.touchRequested = false;
    state.snapshot = EMPTY_SNAPSHOT;
    this.data = Object.create(null);
  }

  /** Extends the idle expiry now, even if the lazy-touch interval has not passed. */
  touch(): void {
    this.assertOpen();
    this[STATE].touchRequested = true;
  }

  private assertOpen(): void {
    if (this[STATE].committed) {
      throw new SessionStateError('the session was already committed for this response');
    }
  }
}
