/**
 * Cookies: `Cookie` header parsing with duplicate detection, validated `Set-Cookie`
 * serialization, secure session-cookie defaults with name prefixes, and chunking of
 * large values.
 */

export type { CookieAttributes, CookieAttributesFor } from './attributes.js';
export { MAX_COOKIE_AGE_SECONDS } from './attributes.js';
export type { ChunkReadResult, CookieChunk } from './chunks.js';
export { cookieFamily, planChunks, readChunks, staleChunkNames } from './chunks.js';
export type { CompiledSessionCookie, SessionCookieOptions } from './defaults.js';
export { compileSessionCookie, resolveSessionCookie } from './defaults.js';
export { isCookieName, isCookieValue } from './grammar.js';
export type { ParseCookieOptions, ParsedCookies } from './parse.js';
export { parseCookieHeader } from './parse.js';
export type { CookieWriteOptions, ResolvedSessionCookie } from './precomputed.js';
export { precomputeCookie } from './precomputed.js';
export type { PrefixRules } from './prefix.js';
export { prefixRules } from './prefix.js';
export type { CookieAttributesArgument } from './serialize.js';
export { MAX_COOKIE_LINE_BYTES, serializeCookie, serializeExpiredCookie } from './serialize.js';
