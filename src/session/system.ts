import { InvalidOptionsError } from '../errors.js';
import { SYSTEM_KEYS } from './data-codec.js';
import { type SessionState, setSystemEntry } from './lifecycle.js';
import { type Session, STATE } from './session.js';
import type { DataDiff, DataSnapshot } from './snapshot.js';

/**
 * Tessera's own entries in a session (`SYSTEM_KEYS`): the authentication binding and the
 * CSRF binding. They are saved with the session like data in both modes, but live
 * beside `session.data`, so an application neither sees nor overwrites them. The
 * modules that own them (auth, CSRF) read and write them through these two functions.
 */

function checkKey(key: string): void {
  if (!SYSTEM_KEYS.has(key)) throw new InvalidOptionsError(`"${key}" is not a system entry`);
}

/** @internal The JSON text of one system entry of the session, or `undefined`. */
export function readSystemEntry(session: Session<object>, key: string): string | undefined {
  checkKey(key);
  return session[STATE].system[key];
}

/** @internal Sets (or, with `undefined`, removes) one system entry; saved at commit. */
export function writeSystemEntry(
  session: Session<object>,
  key: string,
  text: string | undefined,
): void {
  checkKey(key);
  if (text !== undefined) JSON.parse(text);
  setSystemEntry(session[STATE], key, text);
}

/** What commit writes: data entries and system entries together. */
export interface CommitEntries {
  readonly diff: DataDiff | null;
  readonly keys: readonly string[];
  readonly texts: readonly string[];
}

/**
 * Adds the session's system entries to what commit writes: to the full entry list (new
 * sessions, re-sealed cookies) and, when they changed, to the per-key diff.
 */
export function withSystemEntries(
  state: SessionState,
  base: DataSnapshot,
  diff: DataDiff | null,
): CommitEntries {
  const system = state.system;
  const names = Object.keys(system);
  let keys = diff === null ? base.keys : diff.keys;
  let texts = diff === null ? base.texts : diff.texts;
  if (names.length === 0 && !state.systemChanged) return { diff, keys, texts };
  if (names.length > 0) {
    keys = [...keys, ...names];
    texts = [...texts, ...names.map((name) => system[name]!)];
  }
  let set: Record<string, string> | null = null;
  let remove: string[] | null = null;
  if (state.systemChanged) {
    for (const name of names) {
      if (base.system[name] === system[name]) continue;
      set ??= Object.assign(Object.create(null), diff?.set) as Record<string, string>;
      set[name] = system[name]!;
    }
    for (const name of Object.keys(base.system)) {
      if (system[name] !== undefined) continue;
      remove ??= [...(diff?.remove ?? [])];
      remove.push(name);
    }
  }
  if (diff === null && set === null && remove === null) return { diff, keys, texts };
  return {
    diff: {
      set: set ?? diff?.set ?? Object.create(null),
      remove: remove ?? diff?.remove ?? [],
      keys: keys as string[],
      texts: texts as string[],
    },
    keys,
    texts,
  };
}
