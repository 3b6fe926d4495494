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
