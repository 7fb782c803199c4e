/**
 * The session lifecycle, in one place: the phases a request's session moves through and
 * every transition between them. `Session` methods and the engine only call these
 * functions; nothing else writes a phase.
 *
 * ```
 *              load (valid cookie)           any change (data, touch)
 *   request ──────────────────────► loaded ─────────────────────────► changed
 *      │                              │  regenerate() / setUser(other user)
 *      │ no valid cookie              ▼
 *      └──────────────► fresh      regenerated     (new id at commit, old one revoked)
 *                        │            │
 *          destroy() from loaded, changed or regenerated ──► destroyed
 *                        │            │        (old id revoked; setting data afterwards
 *                        ▼            ▼         starts a brand-new session)
 *                   commit() from any phase ──► committed (read-only, terminal)
 * ```
 *
 * `changed` is not stored: data is a plain object the application mutates freely, so
 * whether it changed is only known by comparing it with the snapshot taken at load time
 * ({@link phaseOf}). Every other phase is explicit.
 */
import { SessionStateError } from '../errors.js';
import { type DataSnapshot, diffData, EMPTY_SNAPSHOT, NO_SYSTEM } from './snapshot.js';

/** Where a session is in its request's lifecycle. */
export type Phase = 'fresh' | 'loaded' | 'changed' | 'regenerated' | 'destroyed' | 'committed';

/** The phases that are stored; `changed` is derived from the data. */
export type StoredPhase = Exclude<Phase, 'changed'>;

/** What identifies a session on the server side: its id (or nonce) and store key. */
export interface SessionHandle {
  /** Store mode: the raw id. Cookie mode: the sealed payload's nonce. */
  readonly id: string;
  /** The store key (store mode) or registry key (cookie mode with a registry); else `null`. */
  readonly key: string | null;
}

/** The session a request carried, as verified at load. Never changes afterwards. */
export interface Origin extends SessionHandle {
  readonly snapshot: DataSnapshot;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly absoluteExpiresAt: number;
  readonly userId: string | null;
  /** Verified with an older key: re-issue under the current one (rotation). */
  readonly reissue: boolean;
  /** Store mode: the id `Session.id` reports. Cookie mode: `undefined` (nonces stay inside). */
  readonly publicId: string | undefined;
}

/** Device facts recorded with a session when `trackDevices` is on. */
export interface DeviceInfo {
  readonly userAgent: string | null;
  readonly address: string | null;
}

/** @internal One request's session: what came in, and what the application asked for. */
export interface SessionState {
  phase: StoredPhase;
  /** The verified session of the request; `null` when none came (or it was refused). */
  readonly origin: Origin | null;
  /**
   * Read-only guest because the store was unreachable (`onStoreError: 'guest'`). Holds
   * the handle of the session the cookie named, so `destroy()` can still try to revoke it.
   */
  readonly degraded: SessionHandle | null;
  /** Whether the request came over HTTPS (chooses the cookie name and Secure). */
  readonly secure: boolean;
  /** Names of this session's cookies present in the request (for expiring them). */
  readonly present: readonly string[];
  /** The request carried a session cookie that was refused: expire it. */
  readonly refused: boolean;
  /** The device of this request, when tracked. */
  readonly device: DeviceInfo | null;
  /** Times of the session as it will be committed (set at creation for new sessions). */
  createdAt: number;
  expiresAt: number;
  absoluteExpiresAt: number;
  userId: string | null;
  touchRequested: boolean;
  /** Tessera's own entries (`SYSTEM_KEYS`), copied on write from the origin's snapshot. */
  system: Readonly<Record<string, string>>;
  /** Whether {@link setSystemEntry} changed `system` in this request. */
  systemChanged: boolean;
  /** Store mode: the id the committed session carries (set by commit). */
  committedId: string | undefined;
  /** The store or registry key of the committed session (set by commit). */
  committedKey: string | null;
}

/** Lifetimes a new session starts with. */
export interface Lifetimes {
  readonly idleTimeout: number;
  readonly absoluteTimeout: number;
}

/** The state of a request whose session was verified at load. */
export function loadedState(
  origin: Origin,
  secure: boolean,
  present: readonly string[],
  device: DeviceInfo | null,
): SessionState {
  return {
    phase: 'loaded',
    origin,
    degraded: null,
    secure,
    present,
    refused: false,
    device,
    createdAt: origin.createdAt,
    expiresAt: origin.expiresAt,
    absoluteExpiresAt: origin.absoluteExpiresAt,
    userId: origin.userId,
    touchRequested: false,
    system: origin.snapshot.system,
    systemChanged: false,
    committedId: undefined,
    committedKey: null,
  };
}

/**
 * The state of a request without a valid session. Its times are those a session created
 * now would get, so a new session reports real `createdAt`/`expiresAt` at once.
 */
export function freshState(
  now: number,
  lifetimes: Lifetimes,
  secure: boolean,
  present: readonly string[],
  refused: boolean,
  device: DeviceInfo | null,
  degraded: SessionHandle | null = null,
): SessionState {
  const absoluteExpiresAt = now + lifetimes.absoluteTimeout;
  return {
    phase: 'fresh',
    origin: null,
    degraded,
    secure,
    present,
    refused,
    device,
    createdAt: now,
    expiresAt: Math.min(now + lifetimes.idleTimeout, absoluteExpiresAt),
    absoluteExpiresAt,
    userId: null,
    touchRequested: false,
    system: NO_SYSTEM,
    systemChanged: false,
    committedId: undefined,
    committedKey: null,
  };
}

/** The snapshot commit compares data with: the loaded one while the session continues. */
export function baseSnapshot(state: SessionState): DataSnapshot {
  return (state.phase === 'loaded' || state.phase === 'regenerated') && state.origin !== null
    ? state.origin.snapshot
    : EMPTY_SNAPSHOT;
}

/** The current phase, `changed` included. */
export function phaseOf(state: SessionState, data: Record<string, unknown>): Phase {
  if (state.phase !== 'loaded') return state.phase;
  return state.touchRequested ||
    state.systemChanged ||
    diffData(state.origin!.snapshot, data) !== null
    ? 'changed'
    : 'loaded';
}

function assertOpen(state: SessionState): void {
  if (state.phase === 'committed') {
    throw new SessionStateError('the session was already committed for this response');
  }
}

function assertWritable(state: SessionState, action: string): void {
  assertOpen(state);
  if (state.degraded !== null) {
    throw new SessionStateError(
      `cannot ${action}: this is a read-only guest session (the session store is unavailable)`,
    );
  }
}

/** `regenerate()`: a loaded session gets a new id at commit; the old one is revoked. */
export function regenerate(state: SessionState): void {
  assertWritable(state, 'regenerate');
  if (state.phase === 'loaded') state.phase = 'regenerated';
  dropRotatingEntries(state);
}

/**
 * `setUser()`: binding another user (or none) rotates the id as `regenerate()` does, so
 * a cookie planted before sign-in never becomes the victim's session (S-05, S-06).
 */
export function bindUser(state: SessionState, userId: string | null): void {
  assertWritable(state, 'set the user');
  if (userId === state.userId) return;
  state.userId = userId;
  if (state.phase === 'loaded') state.phase = 'regenerated';
  dropRotatingEntries(state);
}

/**
 * Entries bound to one session id: a new id must not inherit them (a CSRF binding seen
 * before sign-in is worthless after it).
 */
const ROTATING_KEYS = ['tessera:csrf'];

function dropRotatingEntries(state: SessionState): void {
  for (const key of ROTATING_KEYS) {
    if (state.system[key] !== undefined) setSystemEntry(state, key, undefined);
  }
}

/**
 * Sets (or, with `undefined`, removes) one of Tessera's own entries (`SYSTEM_KEYS`): the
 * authentication and CSRF bindings. Saved at commit like data, never part of `data`.
 */
export function setSystemEntry(state: SessionState, key: string, text: string | undefined): void {
  assertWritable(state, 'change the session');
  if (state.system[key] === text) return;
  const next: Record<string, string> = Object.create(null);
  for (const name of Object.keys(state.system)) if (name !== key) next[name] = state.system[name]!;
  if (text !== undefined) next[key] = text;
  state.system = next;
  state.systemChanged = true;
}

/** `touch()`: extend the idle expiry at this commit even if lazy touch would wait. */
export function requestTouch(state: SessionState): void {
  assertWritable(state, 'touch');
  state.touchRequested = true;
}

/**
 * `destroy()`: the session that came with the request is revoked at commit and its
 * cookie expired; data set afterwards starts a new session with new times.
 */
export function destroy(state: SessionState, now: number, lifetimes: Lifetimes): void {
  assertOpen(state);
  if (state.origin !== null || state.degraded !== null) state.phase = 'destroyed';
  state.userId = null;
  state.touchRequested = false;
  state.system = NO_SYSTEM;
  state.systemChanged = false;
  state.createdAt = now;
  state.absoluteExpiresAt = now + lifetimes.absoluteTimeout;
  state.expiresAt = Math.min(now + lifetimes.idleTimeout, state.absoluteExpiresAt);
}

/** Commit: returns the phase the session was in; it is read-only from now on. */
export function close(state: SessionState): StoredPhase {
  if (state.phase === 'committed') throw new SessionStateError('the session was already committed');
  const phase = state.phase;
  state.phase = 'committed';
  return phase;
}
