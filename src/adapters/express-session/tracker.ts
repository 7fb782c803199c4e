/**
 * express-session's decisions for one request: whether to save, touch or destroy the
 * stored session and whether to send the cookie, from what was loaded and what the
 * application did. Data changes are detected by comparing the session's JSON (without
 * its `cookie`) with what was loaded and what was last saved.
 */
import { hash } from 'node:crypto';
import type { ResolvedOptions } from './options.js';
import type { Session, SessionRequest } from './session.js';

/** The JSON of a session without its cookie, hashed (bounded memory per request). */
export function fingerprint(session: Session): string {
  const text = JSON.stringify(session, function omitCookie(this: unknown, key, value) {
    return this === session && key === 'cookie' ? undefined : value;
  });
  return hash('sha256', text ?? '', 'base64');
}

/** The request's change tracking. */
export class Tracker {
  originalId: string | undefined;
  originalHash: string | undefined;
  savedHash: string | undefined;
  touched = false;

  constructor(
    readonly req: SessionRequest,
    /** The id the request's cookie carried (verified), if any. */
    readonly cookieId: string | undefined,
    readonly options: ResolvedOptions,
  ) {}

  /** A fresh session was generated for the request. */
  generated(session: Session): void {
    this.originalId = session.id;
    this.originalHash = fingerprint(session);
  }

  /** The session was read from the store. */
  inflated(session: Session): void {
    this.originalId = session.id;
    this.originalHash = fingerprint(session);
    // With resave: false, what was loaded counts as saved: unchanged means no write.
    if (!this.options.resave) this.savedHash = this.originalHash;
  }

  #modified(session: Session): boolean {
    return this.originalId !== session.id || this.originalHash !== fingerprint(session);
  }

  #saved(session: Session): boolean {
    return this.originalId === session.id && this.savedHash === fingerprint(session);
  }

  shouldDestroy(): boolean {
    return Boolean(this.req.sessionID) && this.options.unsetDestroy && this.req.session == null;
  }

  shouldSave(): boolean {
    const { req } = this;
    if (typeof req.sessionID !== 'string' || !req.session) return false;
    return !this.options.saveUninitialized &&
      this.savedHash === undefined &&
      this.cookieId !== req.sessionID
      ? this.#modified(req.session)
      : !this.#saved(req.session);
  }

  shouldTouch(): boolean {
    return (
      typeof this.req.sessionID === 'string' &&
      this.cookieId === this.req.sessionID &&
      !this.shouldSave()
    );
  }

  shouldSetCookie(): boolean {
    const { req } = this;
    if (typeof req.sessionID !== 'string' || !req.session) return false;
    return this.cookieId !== req.sessionID
      ? this.options.saveUninitialized || this.#modified(req.session)
      : this.options.rolling || (req.session.cookie.expires != null && this.#modified(req.session));
  }
}
