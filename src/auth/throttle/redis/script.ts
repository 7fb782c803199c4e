/**
 * The throttle's Lua scripts: `decide()` of `rule.ts`, translated line by line, so that
 * admitting and counting is one atomic step on the server. One key per script (Cluster).
 *
 * A counter is a hash: `c` attempts, `l` the last admitted one, `r` when it resets (-1:
 * held). Times are the throttle's clock, passed in; the key's own TTL only cleans up.
 */
import { script } from '../../../stores/redis/scripts.js';

/** ARGV: now, free, baseDelayMs, maxDelayMs, limit, windowMs, sliding (0/1), hold (0/1). */
export const ADMIT = script(`
local now = tonumber(ARGV[1])
local free = tonumber(ARGV[2])
local base = tonumber(ARGV[3])
local maxDelay = tonumber(ARGV[4])
local limit = tonumber(ARGV[5])
local window = tonumber(ARGV[6])
local v = redis.call('HMGET', KEYS[1], 'c', 'l', 'r')
local c, l, r = tonumber(v[1]), tonumber(v[2]), tonumber(v[3])
local live = c ~= nil and l ~= nil and r ~= nil and (r < 0 or now < r)
if not live then c = 0 end
if live and c >= limit then return {0, c, r} end
if live and c >= free then
  local allowed = l + math.min(base * 2 ^ math.min(c - free, 52), maxDelay)
  if now < allowed then return {0, c, allowed} end
end
c = c + 1
local reset = r
if ARGV[7] == '1' or not live then reset = now + window end
if ARGV[8] == '1' and c >= limit then reset = -1 end
local function int(x) return string.format('%.0f', x) end
redis.call('HSET', KEYS[1], 'c', int(c), 'l', int(now), 'r', int(reset))
if reset < 0 then
  redis.call('PERSIST', KEYS[1])
else
  redis.call('PEXPIRE', KEYS[1], int(math.max(1, reset - now)))
end
return {1, c, 0}
`);

/** ARGV: now. Takes one attempt back from a live counter; 1 when it did. */
export const RELEASE = script(`
local now = tonumber(ARGV[1])
local v = redis.call('HMGET', KEYS[1], 'c', 'r')
local c, r = tonumber(v[1]), tonumber(v[2])
if c == nil or r == nil or c <= 0 or (r >= 0 and now >= r) then return 0 end
redis.call('HINCRBY', KEYS[1], 'c', -1)
return 1
`);
