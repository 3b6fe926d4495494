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
    -- Changed entries (CHANGE) leave the window here too, not only at the next change.
    redis.call('ZREMRANGEBYSCORE', P..'h:'..room..':x', '-inf', '('..string.format('%.0f', tonumber(seq) - limit + 1))
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

/**
 * Rewrites stored entries in one atomic step (protocol/edits.ts). A stream entry cannot be rewritten
 * in place, so a changed entry leaves the stream (XDEL: its old words are gone) and its new version
 * goes to the conversation's change overlay, a sorted set P..'h:'..room..':x' scored by seq, which
 * pages merge in. Optimistic: each entry must still read exactly `old` (from the overlay if it is
 * there, else the stream), or nothing is written and 0 is returned (the caller reads again). The
 * idempotency record of a changed message, when it still exists, gets the new copy, keeping its TTL.
 * Seqs have no holes, so the retained window is the last `limit` seqs (the stream itself may hold
 * older entries once some left it): overlay entries below it go.
 * ARGV: P, room, limit, then per entry: seq, old JSON, new JSON, dedupe key ('' for none) → 1 | 0
 */
export const CHANGE = `
local P, room, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local s, x = P..'h:'..room, P..'h:'..room..':x'
for i = 4, #ARGV, 4 do
  local seq, old = ARGV[i], ARGV[i + 1]
  local cur = redis.call('ZRANGEBYSCORE', x, seq, seq)[1]
  if not cur then
    local e = redis.call('XRANGE', s, seq..'-0', seq..'-0')[1]
    cur = e and e[2][2]
  end
  if cur ~= old then return 0 end
end
for i = 4, #ARGV, 4 do
  local seq, new, dk = ARGV[i], ARGV[i + 2], ARGV[i + 3]
  redis.call('ZREMRANGEBYSCORE', x, seq, seq)
  redis.call('ZADD', x, seq, new)
  redis.call('XDEL', s, seq..'-0')
  if dk ~= '' and redis.call('EXISTS', P..'d:'..dk) == 1 then redis.call('SET', P..'d:'..dk, new, 'KEEPTTL') end
end
local last = tonumber(redis.call('GET', s..':seq') or '0')
redis.call('ZREMRANGEBYSCORE', x, '-inf', '('..string.format('%.0f', last - limit + 1))
return 1
`;
