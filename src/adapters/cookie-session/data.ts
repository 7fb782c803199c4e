/**
 * Session data as it travels in a cookie, parsed as untrusted input. Whatever a client
 * sends, decoding either yields a plain object of JSON values or `null` (then the app
 * sees an empty new session): never a throw, never an object with a prototype-reaching
 * key (S-33).
 */

/** Longest cookie value read at all (a browser keeps at most 4096 bytes per cookie). */
export const MAX_COOKIE_VALUE_LENGTH = 4096;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const FORBIDDEN_TEXT = /__proto__|constructor|prototype/;
// Standard base64 as Node's Buffer writes it (cookie-session's encoding), padding optional.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function hasForbiddenKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return true;
    if (hasForbiddenKey((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/**
 * Parses session JSON: a plain object (not an array) without `__proto__`, `constructor`
 * or `prototype` keys at any depth, else `null`.
 */
export function parseSessionJson(text: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  // The walk runs only when the text mentions a forbidden name: the common case is one test.
  if (FORBIDDEN_TEXT.test(text) && hasForbiddenKey(value)) return null;
  return value as Record<string, unknown>;
}

/** cookie-session's cookie value: base64 of the session's JSON. */
export function encodeLegacy(json: string): string {
  return Buffer.from(json, 'utf8').toString('base64');
}

/** Decodes a cookie-session value (base64 JSON), or `null` when it is not one. */
export function decodeLegacy(value: string): Record<string, unknown> | null {
  if (value.length > MAX_COOKIE_VALUE_LENGTH || !BASE64.test(value)) return null;
  return parseSessionJson(Buffer.from(value, 'base64').toString('utf8'));
}
