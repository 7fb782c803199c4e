/**
 * The per-user index: one sorted set per user (`<prefix>u:<userId>`) whose members are
 * store keys, scored by the session's absoluteExpiresAt.
 *
 * The index lives in another key (and, on Redis Cluster, another slot) than the session
 * hashes, so it cannot be updated in the same atomic script. It is kept a *superset*
 * instead: a member is added before or with the session write, never removed while its
 * session may still be bound to the user, and dropped only once its absolute expiry has
 * passed. Readers verify every member against the session hash itself, so a session that
 * was destroyed or bound to someone else since is never listed or destroyed by mistake.
 */
import { CorruptRecordError, SessionStoreError } from '../../errors.js';
import type { SessionRecord, UserSessionEntry } from '../contract.js';
import type { SendCommand } from './client.js';
import { decodeRecord } from './decode.js';
import { sessionKey, userIndexKey } from './layout.js';
import { DESTROY_OWNED, INDEX, runScript } from './scripts.js';

/** The score of a member whose binding patch has not settled yet. */
export const PROVISIONAL = 'inf';

/** Adds `key` to the index of `userId` (`score`: absolute expiry or {@link PROVISIONAL}). */
export function indexAdd(
  send: SendCommand,
  prefix: string,
  userId: string,
  key: string,
  score: string,
  now: number,
): Promise<unknown> {
  return runScript(send, INDEX, userIndexKey(prefix, userId), [String(now), 'add', key, score]);
}

/** Settles a provisional member: `score` is its absolute expiry, or `''` to remove it. */
export function indexSettle(
  send: SendCommand,
  prefix: string,
  userId: string,
  key: string,
  score: string,
  now: number,
): Promise<unknown> {
  return runScript(send, INDEX, userIndexKey(prefix, userId), [String(now), 'settle', key, score]);
}

/** `[member, score]` pairs from ZRANGE WITHSCORES, flat (RESP2) or nested (RESP3). */
function scored(reply: unknown): Array<[string, string]> {
  if (!Array.isArray(reply))
    throw new SessionStoreError('listByUser', { message: 'unexpected ZRANGE reply' });
  if (reply.every(Array.isArray)) return reply.map(([m, s]) => [String(m), String(s)]);
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < reply.length; i += 2) out.push([String(reply[i]), String(reply[i + 1])]);
  return out;
}

function isProvisional(score: string): boolean {
  return score === PROVISIONAL || score === 'Infinity' || score === '+inf';
}

function isWrongType(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('WRONGTYPE');
}

/** The session under `key`, or null if missing or unreadable (foreign data is not listed). */
async function readMember(
  send: SendCommand,
  prefix: string,
  key: string,
): Promise<SessionRecord | null> {
  const hash = sessionKey(prefix, key);
  try {
    return decodeRecord(await send(['HGETALL', hash], hash));
  } catch (error) {
    if (isWrongType(error) || error instanceof CorruptRecordError) return null;
    throw error;
  }
}

/** Every unexpired session bound to `userId`: two round trips, plus one to heal the index. */
export async function listUserSessions(
  send: SendCommand,
  prefix: string,
  userId: string,
  now: number,
): Promise<UserSessionEntry[]> {
  const index = userIndexKey(prefix, userId);
  const members = scored(
    await send(['ZRANGE', index, `(${now}`, '+inf', 'BYSCORE', 'WITHSCORES'], index),
  );
  const records = await Promise.all(members.map(([key]) => readMember(send, prefix, key)));
  const entries: UserSessionEntry[] = [];
  const heals: Array<Promise<unknown>> = [];
  members.forEach(([key, score], i) => {
    const record = records[i] ?? null;
    const mine = record !== null && record.userId === userId;
    if (mine && record.expiresAt > now && record.absoluteExpiresAt > now)
      entries.push({ key, record });
    // A provisional member whose settle step was lost (e.g. a connection drop) would keep
    // the index from ever expiring; give it its real score, or drop it if the session is gone.
    if (isProvisional(score) && (mine || record === null)) {
      const real = mine ? String(Math.ceil(record.absoluteExpiresAt)) : '';
      heals.push(indexSettle(send, prefix, userId, key, real, now));
    }
  });
  // Healing is bookkeeping: the listing above is already correct, so its failure is moot.
  await Promise.allSettled(heals);
  return entries;
}

/** Deletes the sessions bound to `userId` (except `exceptKey`); returns how many. */
export async function destroyUserSessions(
  send: SendCommand,
  prefix: string,
  userId: string,
  exceptKey: string | undefined,
): Promise<number> {
  const index = userIndexKey(prefix, userId);
  // Every member, also those whose absolute expiry has passed by this process's clock: a
  // sign-out everywhere should not depend on two clocks agreeing.
  const reply = await send(['ZRANGE', index, '0', '-1'], index);
  const keys = (Array.isArray(reply) ? reply : []).map(String).filter((key) => key !== exceptKey);
  const results = await Promise.all(
    keys.map((key) => runScript(send, DESTROY_OWNED, sessionKey(prefix, key), [userId])),
  );
  return results.filter((result) => Number(result) === 1).length;
}
