/**
 * The Lua scripts behind every multi-step operation. A script runs atomically on the
 * server, which is what makes a patch check-then-write without a lost update, and it is
 * one round trip. Every script touches exactly one key, so each works unchanged on Redis
 * Cluster (see docs/stores-redis.md for why the user index is a separate key).
 *
 * Field and key names come from `layout.ts`; numbers arrive as decimal strings.
 */
import { createHash } from 'node:crypto';
import type { SendCommand } from './client.js';

/** A script and its SHA-1, the name EVALSHA knows it by. */
export interface Script {
  readonly source: string;
  readonly sha: string;
}

/** Names a script by its SHA-1 (also used by the throttle backend of `tesserajs/auth/redis`). */
export function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

// Lua's unpack() is bounded by the C stack (~8000 values); write in slices well below it.
const CHUNKED = `
local function each(cmd, key, first, last)
  local i = first
  while i <= last do
    local j = math.min(i + 999, last)
    redis.call(cmd, key, unpack(ARGV, i, j))
    i = j + 1
  end
end
`;

/** ARGV: pexpireat, then field/value pairs. Replaces the whole hash. */
export const SET = script(`${CHUNKED}
redis.call('DEL', KEYS[1])
each('HSET', KEYS[1], 2, #ARGV)
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 1
`);

/** What PATCH returns when the patched data would exceed its bound. */
export const PATCH_TOO_LARGE = -1;

/**
 * ARGV: now, expiresAt, pexpireat, user mode ('keep' | 'set' | 'clear'), user id,
 * max data bytes ('' for none), count of set values (fields + values), the set pairs,
 * then the fields to delete.
 * Applies nothing unless the hash exists and its own expiresAt lies after `now`.
 * Returns the record's absoluteExpiresAt when applied, false otherwise, and
 * PATCH_TOO_LARGE (writing nothing) when the data fields would then hold more than the
 * max: bytes of every data key (without its `d:`) and value, as the engine counts them.
 */
export const PATCH = script(`${CHUNKED}
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return false end
local expires = tonumber(redis.call('HGET', KEYS[1], 'm:e'))
local absolute = redis.call('HGET', KEYS[1], 'm:a')
if not expires or not tonumber(absolute) or expires <= tonumber(ARGV[1]) then return false end
local last = 7 + tonumber(ARGV[7])
local max = tonumber(ARGV[6])
-- Bytes of the data after this patch, from the m:b the scripts keep: only the fields the
-- patch touches are measured (HSTRLEN; a JSON text is never empty, so 0 means absent).
-- A record written before m:b existed is measured in full once.
local size = tonumber(redis.call('HGET', KEYS[1], 'm:b'))
if not size then
  size = 0
  local fields = redis.call('HGETALL', KEYS[1])
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, 2) == 'd:' then size = size + #fields[i] - 2 + #fields[i + 1] end
  end
end
for i = 8, last, 2 do
  local old = redis.call('HSTRLEN', KEYS[1], ARGV[i])
  if old > 0 then size = size - (#ARGV[i] - 2) - old end
  size = size + #ARGV[i] - 2 + #ARGV[i + 1]
end
for i = last + 1, #ARGV do
  local old = redis.call('HSTRLEN', KEYS[1], ARGV[i])
  if old > 0 then size = size - (#ARGV[i] - 2) - old end
end
if max and size > max then return ${PATCH_TOO_LARGE} end
each('HSET', KEYS[1], 8, last)
each('HDEL', KEYS[1], last + 1, #ARGV)
redis.call('HSET', KEYS[1], 'm:e', ARGV[2], 'm:b', size)
if ARGV[4] == 'set' then
  redis.call('HSET', KEYS[1], 'm:u', ARGV[5])
elseif ARGV[4] == 'clear' then
  redis.call('HDEL', KEYS[1], 'm:u')
end
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return absolute
`);

/**
 * The user index: a sorted set of session keys scored by absoluteExpiresAt, or by +inf
 * while a patch binding the session is in flight ("provisional").
 * ARGV: now, mode, member, score.
 * - mode 'add': adds the member; an existing score only ever grows (a provisional +inf
 *   is kept until settled);
 * - mode 'settle': if the member is still provisional, gives it its real score, or
 *   removes it when the score is empty (the patch did not apply).
 * Then drops members whose absolute expiry has passed and sets the key's own expiry to
 * the largest remaining score, so the index never outlives its sessions. A key of
 * another type at this name is foreign data in our namespace and is replaced.
 */
export const INDEX = script(`
local kind = redis.call('TYPE', KEYS[1]).ok
if kind ~= 'zset' and kind ~= 'none' then redis.call('DEL', KEYS[1]) end
if ARGV[2] == 'add' then
  redis.call('ZADD', KEYS[1], 'GT', ARGV[4], ARGV[3])
elseif redis.call('ZSCORE', KEYS[1], ARGV[3]) == 'inf' then
  if ARGV[4] == '' then
    redis.call('ZREM', KEYS[1], ARGV[3])
  else
    redis.call('ZADD', KEYS[1], 'XX', ARGV[4], ARGV[3])
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if top[2] == 'inf' then
  redis.call('PERSIST', KEYS[1])
elseif top[2] then
  redis.call('PEXPIREAT', KEYS[1], top[2])
end
return 1
`);

/** ARGV: user id. Deletes the session only if it is bound to that user; returns 1 or 0. */
export const DESTROY_OWNED = script(`
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
if redis.call('HGET', KEYS[1], 'm:u') ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`);

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * Runs `s` on one key: EVALSHA first (the script body is not resent), EVAL when the
 * server does not know the script yet (after a restart, a failover or SCRIPT FLUSH); EVAL
 * also caches it, so the next call is an EVALSHA hit again.
 */
export async function runScript(
  send: SendCommand,
  s: Script,
  key: string,
  args: readonly string[],
): Promise<unknown> {
  try {
    return await send(['EVALSHA', s.sha, '1', key, ...args], key);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return send(['EVAL', s.source, '1', key, ...args], key);
  }
}
