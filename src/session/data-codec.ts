import { InvalidSessionDataError } from '../errors.js';

/**
 * JSON for session values, hardened for untrusted input (S-33): data read from a cookie
 * or a store may have been written by someone else, so keys that can reach an object's
 * prototype are dropped at any depth, and nesting is bounded.
 */

/** Deepest nesting of arrays/objects accepted in one value. */
export const MAX_DEPTH = 32;

const FORBIDDEN = /__proto__|constructor|prototype/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Top-level keys Tessera keeps beside application data in stored records. */
export const RESERVED_KEY_PREFIX = 'tessera:';

/**
 * True when a top-level session key may be used: not a prototype-reaching name, and not
 * in Tessera's reserved `tessera:` namespace.
 */
export function isAllowedKey(key: string): boolean {
  return !FORBIDDEN_KEYS.has(key) && !key.startsWith(RESERVED_KEY_PREFIX);
}

/**
 * Reserved keys that Tessera's own modules keep inside a session's data (the
 * authentication binding, the CSRF binding). They travel with the session in both modes
 * (sealed in the cookie, stored in the record) but never appear in `session.data`, and
 * an application cannot write them (they are in the reserved namespace).
 */
export const SYSTEM_KEYS: ReadonlySet<string> = new Set(['tessera:auth', 'tessera:csrf']);

// A text shorter than this cannot nest deeper than MAX_DEPTH, so the scan is skipped.
const DEPTH_SCAN_MIN_LENGTH = 2 * MAX_DEPTH + 2;

function nestingExceeds(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}

function dropForbiddenKeys(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) dropForbiddenKeys(item);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (FORBIDDEN_KEYS.has(key)) delete record[key];
    else dropForbiddenKeys(record[key]);
  }
}

/**
 * Hardens a value that was already parsed from untrusted JSON: drops prototype-reaching
 * keys in place and throws {@link InvalidSessionDataError} past {@link MAX_DEPTH}.
 */
export function sanitizeParsed(value: unknown, depth = 0): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_DEPTH) {
    throw new InvalidSessionDataError(`session value nests deeper than ${MAX_DEPTH}`);
  }
  if (Array.isArray(value)) {
    for (const item of value) sanitizeParsed(item, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (FORBIDDEN_KEYS.has(key)) delete record[key];
    else sanitizeParsed(record[key], depth + 1);
  }
}

/**
 * Parses one stored value. Throws {@link InvalidSessionDataError} when the text is not
 * JSON or nests deeper than {@link MAX_DEPTH}; prototype-reaching keys are removed.
 */
export function parseValue(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidSessionDataError('stored session value is not JSON');
  }
  if (typeof value !== 'object' || value === null) return value;
  if (text.length >= DEPTH_SCAN_MIN_LENGTH && nestingExceeds(text)) {
    throw new InvalidSessionDataError(`stored session value nests deeper than ${MAX_DEPTH}`);
  }
  if (FORBIDDEN.test(text)) dropForbiddenKeys(value);
  return value;
}

function hasForbiddenKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key) || hasForbiddenKey((value as Record<string, unknown>)[key])) {
      return true;
    }
  }
  return false;
}

/**
 * Serializes one value for storage. Returns `undefined` for values JSON cannot hold
 * (`undefined`, functions, symbols): the key is then removed, as `JSON.stringify` would.
 * Throws {@link InvalidSessionDataError} for cycles, BigInt, over-deep nesting, and
 * objects with `__proto__`/`constructor`/`prototype` keys: those are dropped whenever
 * data is read back (S-33), so refusing them here keeps them from vanishing silently.
 */
export function serializeValue(key: string, value: unknown): string | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new InvalidSessionDataError(
      `session key "${key}" cannot be serialized to JSON (${(cause as Error).name})`,
    );
  }
  if (text === undefined) return text;
  if (text.length >= DEPTH_SCAN_MIN_LENGTH && nestingExceeds(text)) {
    throw new InvalidSessionDataError(`session key "${key}" nests deeper than ${MAX_DEPTH}`);
  }
  if (FORBIDDEN.test(text) && hasForbiddenKey(value)) {
    throw new InvalidSessionDataError(
      `session key "${key}" holds an object with a __proto__, constructor or prototype key`,
    );
  }
  return text;
}
