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
  /** Key -> position in `keys`. */
  readonly index: ReadonlyMap<string, number>;
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
  index: new Map(),
  system: NO_SYSTEM,
});

function build(
  keys: string[],
  texts: string[],
  values: unknown[],
  system: Record<string, string> | null,
): DataSnapshot {
  if (keys.length === 0 && system === null) return EMPTY_SNAPSHOT;
  const primitives = values.map((v) => (typeof v === 'object' && v !== null ? OBJECT : v));
  const index = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) index.set(keys[i]!, i);
  return { keys, texts, primitives, index, system: system ?? NO_SYSTEM };
}

/**
 * Builds a snapshot from stored texts (store mode). Throws
 * {@link InvalidSessionDataError} when a value is not JSON or nests too deep; keys that
 * could reach a prototype are dropped (S-33).
 */
export function snapshotFromTexts(data: Readonly<Record<string, string>>): DataSnapshot {
  const keys: string[] = [];
  const texts: string[] = [];
  const values: unknown[] = [];
  let system: Record<string, string> | null = null;
  for (const key of Object.keys(data)) {
    const text = data[key];
    if (!isAllowedKey(key)) {
      if (SYSTEM_KEYS.has(key) && typeof text === 'string') {
        parseValue(text);
        system ??= Object.create(null) as Record<string, string>;
        system[key] = text;
      }
      continue;
    }
    if (typeof text !== 'string') throw new InvalidSessionDataError('stored value is not text');
    values.push(parseValue(text));
    keys.push(key);
    texts.push(text);
  }
  return build(keys, texts, values, system);
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
    const at = snapshot.index.get(key);
    if (at === undefined) return false;
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
    const at = snapshot.index.get(key);
    if (at !== undefined) {
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
      if (at !== undefined) remove.push(key);
      continue;
    }
    keys.push(key);
    texts.push(text);
    if (at === undefined || text !== snapshot.texts[at]) {
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
