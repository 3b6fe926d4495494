/**
 * Token bucket per key, cluster-wide: refill by elapsed time on Redis's own clock (TIME), so
 * instances with skewed clocks agree. A refusal's wait is the time until the bucket holds the cost
 * again, so the messages of a burst already on their way behind a refused one (a connection's
 * messages are pipelined) are refused too, and the client can retry them in order.
 * take_token(key, capacity, perSecond, cost) → ok 1|0, retryAfterMs
 */
export const TAKE_TOKEN_FN = `
local function take_token(key, cap, rate, cost)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local h = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens = tonumber(h[1]) or cap
  local ts = tonumber(h[2]) or now
  tokens = math.min(cap, tokens + (math.max(0, now - ts) / 1000) * rate)
  local ok, wait = 1, 0
  if tokens >= cost then tokens = tokens - cost else ok = 0; wait = math.ceil((cost - tokens) / rate * 1000) end
  redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', string.format('%.0f', now))
  redis.call('PEXPIRE', key, math.ceil(cap / rate * 1000) + 1000)
  return ok, wait
end
`;

/** ARGV: rooms set key, room, max, lobby → 1 created, 0 existed, -1 over the limit (the lobby counts). */
export const CREATE_ROOM = `
local key, room, max, lobby = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
-- The lobby always exists and counts toward the limit (a restarted, empty Redis has lost it).
redis.call('SADD', key, lobby)
if redis.call('SISMEMBER', key, room) == 1 then return 0 end
if redis.call('SCARD', key) >= max then return -1 end
redis.call('SADD', key, room)
return 1
`;

/**
 * Deletes an expired conversation, only if it is still as the caller judged it idle: the same last
 * seq, and for a public room no members and the same presence version. A DM (pv '') loses its log
 * and receipt cursors; a room leaves the room set with its history, cursors and presence keys. Seqs
 * and versions of a room created again later start from the clock-derived base, so they stay above
 * the old ones. ARGV: P, conversation, lastSeq, pv ('' for a DM), lobby → 1 deleted, 0 not.
 */
export const EXPIRE_CONVERSATION = `
local P, c, lastSeq, pv, lobby = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if c == lobby then return 0 end
if (redis.call('GET', P..'h:'..c..':seq') or '0') ~= lastSeq then return 0 end
if pv == '' then
  redis.call('DEL', P..'h:'..c, P..'h:'..c..':seq', P..'h:'..c..':x', P..'c:'..c)
  redis.call('SREM', P..'dms', c)
  return 1
end
if redis.call('HLEN', P..'r:'..c..':m') > 0 then return 0 end
if (redis.call('GET', P..'r:'..c..':pv') or '0') ~= pv then return 0 end
redis.call('DEL', P..'h:'..c, P..'h:'..c..':seq', P..'h:'..c..':x', P..'c:'..c, P..'r:'..c..':m', P..'r:'..c..':pv')
redis.call('SREM', P..'rooms', c)
return 1
`;

/**
 * Moves one user's receipt cursor (issue 22) forward in the conversation's cursor hash P..'c:'..c,
 * fields '<userId>:r' (read) and '<userId>:d' (delivered): a seq at or below the cursor changes
 * nothing; 'read' also lifts the delivered cursor (reading implies delivery), in the same step. Seqs
 * stay the decimal strings they came as (a 16-digit seq compares exactly as a Lua number, below
 * 2^53, but tostring would print it as 1.7e+15).
 * ARGV: P, conversation, userId, 'read'|'delivered', seq → {1 moved | 0 not, read, delivered}
 */
export const ADVANCE_CURSOR = `
local P, c, uid, kind, seq = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local key, n = P..'c:'..c, tonumber(seq)
local cur = redis.call('HMGET', key, uid..':r', uid..':d')
local r, d, moved = cur[1] or '0', cur[2] or '0', 0
if kind == 'read' and n > tonumber(r) then r = seq; moved = 1 end
if n > tonumber(d) then d = seq; moved = 1 end
if moved == 1 then redis.call('HSET', key, uid..':r', r, uid..':d', d) end
return {moved, r, d}
`;

/**
 * Creating a room costs a token of the user's bucket and one of the address's, cluster-wide (so N
 * instances do not allow N times as many rooms). Both or neither: a refusal by the address bucket
 * gives the user's token back.
 * ARGV: user key, address key, user capacity, user perSecond, address capacity, address perSecond
 * → {1, 0} or {0, retryAfterMs}
 */
export const ROOM_TOKENS = `${TAKE_TOKEN_FN}
local ok, wait = take_token(ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4]), 1)
if ok == 0 then return {0, wait} end
ok, wait = take_token(ARGV[2], tonumber(ARGV[5]), tonumber(ARGV[6]), 1)
if ok == 0 then redis.call('HINCRBYFLOAT', ARGV[1], 'tokens', 1) end
return {ok, wait}
`;
