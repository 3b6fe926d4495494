/**
 * Appending a message in one atomic step: idempotency check, next seq (INCR, initialised from a
 * clock-derived base so seqs keep rising even if Redis lost its data), stream entry with id
 * "<seq>-0" (so history ranges are seq ranges), trimming to the limit, idempotency record.
 * The message JSON is assembled by string concatenation: cjson would round the 16-digit seq.
 *
 * Shared ARGV 1–7: prefix, room, base, limit, dedupe key ('' for none), dedupe TTL s, JSON of the
 * message without its seq (an object literal).
 */
import { TAKE_TOKEN_FN } from './misc-lua';

const APPEND_FNS = `
local function stored_before(P, dk)
  if dk == '' then return false end
  return redis.call('GET', P..'d:'..dk)
end
local function append(P, room, base, limit, dk, ttl, json)
  local seqk = P..'h:'..room..':seq'
  if redis.call('EXISTS', seqk) == 0 then redis.call('SET', seqk, base) end
  redis.call('INCR', seqk)
  local seq = redis.call('GET', seqk)
  local out = '{"seq":'..seq..','..string.sub(json, 2)
  if limit > 0 then
    redis.call('XADD', P..'h:'..room, 'MAXLEN', limit, seq..'-0', 'm', out)
  end
  if dk ~= '' then redis.call('SET', P..'d:'..dk, out, 'EX', ttl) end
  -- DM logs are listed for expiry (protocol/rooms.ts: DM ids start with "dm:").
  if string.sub(room, 1, 3) == 'dm:' then redis.call('SADD', P..'dms', room) end
  return {0, out}
end
local P, room, base, limit, dk, ttl, json = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6], ARGV[7]
local prev = stored_before(P, dk)
if prev then return {1, prev} end
`;

/** ARGV 1–7 → {0 stored | 1 duplicate, json}. For writes already charged (the write-behind queue). */
export const APPEND = `${APPEND_FNS}
return append(P, room, base, limit, dk, ttl, json)
`;

/**
 * A user's new message: one token of the user's message bucket, then the append, in one round
 * trip. A duplicate (a retry of a stored message) is answered without charging the bucket; a refusal
 * stores nothing. ARGV 1–7 as APPEND, 8–10: bucket key, capacity, perSecond
 * → {0 stored | 1 duplicate, json} or {2 refused, retryAfterMs}
 */
export const SUBMIT = `${TAKE_TOKEN_FN}${APPEND_FNS}
local ok, wait = take_token(ARGV[8], tonumber(ARGV[9]), tonumber(ARGV[10]), 1)
if ok == 0 then return {2, wait} end
return append(P, room, base, limit, dk, ttl, json)
`;
