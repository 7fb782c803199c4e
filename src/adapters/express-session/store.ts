/**
 * `Store`: the base class express-session gives store authors, with the same helper
 * methods (`regenerate`, `load`, `createSession`) and events (`connect`, `disconnect`).
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { createSession } from './record.js';
import { HOOKS, type Session, type SessionRequest } from './session.js';

/**
 * Base class of session stores. Subclasses implement `get`, `set` and `destroy` (and
 * optionally `touch`, `all`, `clear`, `length`) with Node-style callbacks.
 */
export abstract class Store extends EventEmitter {
  abstract get(sid: string, callback: (error: unknown, session?: unknown) => void): unknown;
  abstract set(sid: string, session: object, callback?: (error?: unknown) => void): unknown;
  abstract destroy(sid: string, callback?: (error?: unknown) => void): unknown;

  /** Set by the session middleware: gives `req` a fresh session. */
  generate?: ((req: IncomingMessage) => void) | undefined;

  /** Destroys `req`'s session and gives it a fresh one under a new id. */
  regenerate(req: IncomingMessage, callback: (error?: unknown) => void): void {
    const r = req as SessionRequest;
    this.destroy(r.sessionID ?? '', (error?: unknown) => {
      const generate = r[HOOKS]?.generate ?? this.generate;
      generate?.(req);
      callback(error);
    });
  }

  /** Reads the session `sid` as a {@link Session} (`undefined` when there is none). */
  load(sid: string, callback: (error?: unknown, session?: Session) => void): void {
    this.get(sid, (error, record) => {
      if (error) return callback(error);
      if (!record) return callback();
      const req = { sessionID: sid, sessionStore: this } as unknown as IncomingMessage;
      let session: Session;
      try {
        session = this.createSession(req, record);
      } catch (failure) {
        return callback(failure);
      }
      callback(undefined, session);
    });
  }

  /** Makes `record` `req.session`. @throws `CorruptRecordError` for a record of another shape. */
  createSession(req: IncomingMessage, record: unknown): Session {
    return createSession(req, record);
  }
}
