/**
 * `MemoryStore`: sessions in this process, as JSON text (the format of express-session's
 * MemoryStore). For development and tests: sessions vanish on restart, are not shared
 * between processes, and expired ones are only dropped when read.
 */
import { Store } from './store.js';

type Callback<T = unknown> = (error?: unknown, value?: T) => void;

/** In-process session store, compatible with express-session's `MemoryStore`. */
export class MemoryStore extends Store {
  /** Session id -> JSON text of the session. */
  sessions: Record<string, string> = Object.create(null);

  /** The live session `sid`, parsed; an expired one is deleted. */
  #read(sid: string): Record<string, unknown> | undefined {
    const text = this.sessions[sid];
    if (text === undefined) return undefined;
    let session: Record<string, unknown>;
    try {
      session = JSON.parse(text) as Record<string, unknown>;
    } catch {
      delete this.sessions[sid];
      return undefined;
    }
    if (typeof session !== 'object' || session === null) return undefined;
    const cookie = session.cookie as { expires?: unknown } | null | undefined;
    const expires =
      typeof cookie?.expires === 'string' ? Date.parse(cookie.expires) : Number.POSITIVE_INFINITY;
    if (expires <= Date.now()) {
      delete this.sessions[sid];
      return undefined;
    }
    return session;
  }

  all(callback?: Callback<Record<string, unknown>>): void {
    const sessions: Record<string, unknown> = Object.create(null);
    for (const sid of Object.keys(this.sessions)) {
      const session = this.#read(sid);
      if (session !== undefined) sessions[sid] = session;
    }
    if (callback) setImmediate(callback, null, sessions);
  }

  clear(callback?: Callback): void {
    this.sessions = Object.create(null);
    if (callback) setImmediate(callback);
  }

  destroy(sid: string, callback?: Callback): void {
    delete this.sessions[sid];
    if (callback) setImmediate(callback);
  }

  get(sid: string, callback: Callback): void {
    setImmediate(callback, null, this.#read(sid));
  }

  set(sid: string, session: object, callback?: Callback): void {
    this.sessions[sid] = JSON.stringify(session);
    if (callback) setImmediate(callback);
  }

  length(callback: Callback<number>): void {
    this.all((error, sessions) => {
      if (error) return callback(error);
      callback(null, Object.keys(sessions ?? {}).length);
    });
  }

  touch(sid: string, session: object, callback?: Callback): void {
    const current = this.#read(sid);
    if (current !== undefined) {
      current.cookie = (session as { cookie?: unknown }).cookie;
      this.sessions[sid] = JSON.stringify(current);
    }
    if (callback) setImmediate(callback);
  }
}
