import { InvalidSessionDataError } from '../errors.js';
import {
  isAllowedKey,
  parseValue,
  SYSTEM_KEYS,
  sanitizeParsed,
  serializeValue,
} from './data-codec.js';
import { assertJsonValue } from './json.js';

/**
 * What a session held when it was loaded: each top-level key with the JSON text it was
 * stored as. Commit compares the live data against it key by key, so only real changes
 * are written (per-key patches) and nested mutation is caught (serialized values differ).
 *
 * A snapshot is immutable, which lets cookie mode cache one per verified cookie and
 * materialize fresh data objects from it on every request.
 */
export interface DataSnapshot {
  readonly keys: readonly string[];
  /** JSON text per key, in `keys` order. */
  readonly texts: readonly string[];
  /** The parsed value when it is a primitive (compared by identity), else {@link OBJECT}. */
  readonly primitives: readonly unknown[];
  /**
   * Key -> position in `keys`, for snapshots of more than {@link LINEAR_SEARCH_MAX} keys;
   * `null` for smaller ones, which {@link positionOf} searches in order (building a map
   * for the usual handful of keys costs more than it saves).
   */
  readonly index: ReadonlyMap<string, number> | null;
  /** Tessera's own entries ({@link SYSTEM_KEYS}) as JSON texts; not application data. */
  readonly system: Readonly<Record<string, string>>;
}

/** No system entries (shared, frozen). */
export const NO_SYSTEM: Readonly<Record<string, string>> = Object.freeze(Object.create(null));

/** Marks a snapshot value that is an object or array (compared by its JSON text). */
const OBJECT: unique symbol = Symbol('object');

/** The snapshot of a session with no data. */
export const EMPTY_SNAPSHOT: DataSnapshot = Object.freeze({
  keys: [],
  texts: [],
  primitives: [],
  index: null,
  system: NO_SYSTEM,
});

function build(
  keys: string[],
  texts: string[],
  values: unknown[],
  system: Record<string, string> | null,
): DataSnapshot {
  if (keys.length === 0 && system === null) return EMPTY_SNAPSHOT;
  const primitives: unknown[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    primitives[i] = typeof v === 'object' && v !== null ? OBJECT : v;
  }
  let index: Map<string, number> | null = null;
  if (keys.length > LINEAR_SEARCH_MAX) {
    index = new Map();
    for (let i = 0; i < keys.length; i++) index.set(keys[i]!, i);
  }
  return { keys, texts, primitives, index, system: system ?? NO_SYSTEM };
}

/** Snapshots with at most this many keys are searched in order rather than indexed. */
export const LINEAR_SEARCH_MAX = 8;

/** The position of `key` in the snapshot's keys, or -1. */
export function positionOf(snapshot: DataSnapshot, key: string): number {
  if (snapshot.index !== null) return snapshot.index.get(key) ?? -1;
  const { keys } = snapshot;
  for (let i = 0; i < keys.length; i++) if (keys[i] === key) return i;
  return -1;
}

/** Accumulates the entries of a snapshot being built from stored JSON texts. */
class TextEntries {
  readonly keys: string[] = [];
  readonly texts: string[] = [];
  readonly values: unknown[] = [];
  system: Record<string, string> | null = null;

  /** Adds one entry: application keys are parsed, system keys kept, others dropped. */
  add(key: string, text: string): void {
    if (!isAllowedKey(key)) {
      if (SYSTEM_KEYS.has(key)) {
        parseValue(text);
        this.system ??= Object.create(null) as Record<string, string>;
        this.system[key] = text;
      }
      return;
    }
    this.values.push(parseValue(text));
    this.keys.push(key);
    this.texts.push(text);
  }

  snapshot(): DataSnapshot {
    return build(this.keys, this.texts, this.values, this.system);
  }
}

/**
 * Builds a snapshot from stored texts (store mode). Throws
 * {@link InvalidSessionDataError} when a value is not JSON or nests too deep; keys that
 * could reach a prototype are dropped (S-33).
 */
export function snapshotFromTexts(data: Readonly<Record<string, string>>): DataSnapshot {
  const entries = new TextEntries();
  for (const key of Object.keys(data)) {
    const text = data[key];
    if (typeof text !== 'string') {
      // A non-text system entry is dropped like any unknown reserved key.
      if (isAllowedKey(key)) throw new InvalidSessionDataError('stored value is not text');
      continue;
    }
    entries.add(key, text);
  }
  return entries.snapshot();
}

/**
 * Builds a snapshot from parallel key and JSON-text lists (a cookie-mode payload, whose
 * values travel as the texts they were serialized to). Same checks as
 * {@link snapshotFromTexts}; a key listed twice is refused, since no order would tell
 * which value is meant.
 */
export function snapshotFromEntries(
  keys: readonly string[],
  texts: readonly string[],
): DataSnapshot {
  const entries = new TextEntries();
  const seen = keys.length > 1 ? new Set<string>() : null;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (seen !== null) {
      if (seen.has(key)) throw new InvalidSessionDataError('session payload repeats a key');
      seen.add(key);
    }
    entries.add(key, texts[i]!);
  }
  return entries.snapshot();
}

/**
 * Builds a snapshot from an object parsed out of a sealed payload (cookie mode). Values
 * are re-serialized once; the result is cached per cookie, not computed per request.
 */
export function snapshotFromObject(data: Record<string, unknown>): DataSnapshot {
  const keys: string[] = [];
  const texts: string[] = [];
  const values: unknown[] = [];
  let system: Record<string, string> | null = null;
  for (const key of Object.keys(data)) {
    const allowed = isAllowedKey(key);
    if (!allowed && !SYSTEM_KEYS.has(key)) continue;
    const value = data[key];
    sanitizeParsed(value);
    const text = JSON.stringify(value);
    if (text === undefined) continue;
    if (!allowed) {
      system ??= Object.create(null) as Record<string, string>;
      system[key] = text;
      continue;
    }
    keys.push(key);
    texts.push(text);
    values.push(value);
  }
  return build(keys, texts, values, system);
}

/** A fresh, null-prototype data object holding the snapshot's values. */
export function materialize(snapshot: DataSnapshot): Record<string, unknown> {
  const data: Record<string, unknown> = Object.create(null);
  const { keys, texts, primitives } = snapshot;
  for (let i = 0; i < keys.length; i++) {
    const primitive = primitives[i];
    data[keys[i]!] = primitive === OBJECT ? parseValue(texts[i]!) : primitive;
  }
  return data;
}

/** Per-key changes between a snapshot and live data. */
export interface DataDiff {
  /** Keys to write, with their new JSON text. */
  readonly set: Record<string, string>;
  /** Keys to delete. */
  readonly remove: string[];
  /** Every key of the live data with its JSON text, in order (for full rewrites). */
  readonly keys: string[];
  readonly texts: string[];
}

/**
 * True when `data` holds exactly the snapshot's keys with unchanged values. Allocates
 * nothing for primitives, so the common READ (nothing touched) stays cheap; object
 * values are compared by their serialized text, which also catches nested mutation.
 */
function isUnchanged(snapshot: DataSnapshot, data: Record<string, unknown>): boolean {
  let count = 0;
  for (const key in data) {
    const at = positionOf(snapshot, key);
    if (at < 0) return false;
    count++;
    const value = data[key];
    if (typeof value === 'object' && value !== null) {
      if (serializeValue(key, value) !== snapshot.texts[at]) return false;
    } else if (value !== snapshot.primitives[at]) {
      return false;
    }
  }
  return count === snapshot.keys.length;
}

/**
 * Compares live data with its snapshot. Returns `null` when nothing changed. Primitive
 * values equal to what was loaded are not serialized at all (the common READ path).
 */
export function diffData(snapshot: DataSnapshot, data: Record<string, unknown>): DataDiff | null {
  if (isUnchanged(snapshot, data)) return null;
  let set: Record<string, string> | null = null;
  const remove: string[] = [];
  const keys: string[] = [];
  const texts: string[] = [];
  let seen = 0;
  for (const key in data) {
    const value = data[key];
    const at = positionOf(snapshot, key);
    if (at >= 0) {
      seen++;
      if (value === snapshot.primitives[at] && (typeof value !== 'object' || value === null)) {
        keys.push(key);
        texts.push(snapshot.texts[at]!);
        continue;
      }
    } else if (!isAllowedKey(key)) {
      throw new InvalidSessionDataError(`"${key}" cannot be used as a session key`);
    }
    const text = serializeValue(key, value);
    if (text === undefined) {
      // `undefined` removes the key; a function or symbol is a mistake, not a removal.
      if (value !== undefined) assertJsonValue(key, value);
      if (at >= 0) remove.push(key);
      continue;
    }
    keys.push(key);
    texts.push(text);
    if (at < 0 || text !== snapshot.texts[at]) {
      // Only values about to be written are checked, so an unchanged READ walks nothing.
      assertJsonValue(key, value);
      if (set === null) set = Object.create(null) as Record<string, string>;
      set[key] = text;
    }
  }
  if (seen < snapshot.keys.length) {
    for (const key of snapshot.keys) if (!(key in data)) remove.push(key);
  }
  if (set === null && remove.length === 0) return null;
  return { set: set ?? Object.create(null), remove, keys, texts };
}
