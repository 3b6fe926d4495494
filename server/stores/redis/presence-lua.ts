/**
 * Presence in Redis as Lua scripts, so each change is atomic across the cluster: a nickname is
 * claimed and a session registered in one step, a user is "in" a room while any of their sessions
 * is, and every membership change bumps the room's presence version `pv`.
 *
 * Keys (P = prefix): u:<uid> hash {name, nick, classic}; us:<uid> set of sids; nick:<key> → uid;
 * s:<sid> hash {uid, inst}; sr:<sid> set of rooms; r:<room>:m hash uid → sessions in room;
 * r:<room>:pv counter; i:<inst>:s set of sids; i:<inst>:hb heartbeat (TTL); instances set.
 *
 * Scripts touch keys computed inside them, which needs a non-clustered Redis (Azure Cache Basic,
 * Standard or Premium without clustering). Changes are returned as flat arrays:
 * {room, pv, op, uid, name, classic}.
 */

// ARGV[1] = prefix, ARGV[2] = pv base for rooms seen for the first time.
const PRELUDE = `
local P = ARGV[1]
local BASE = ARGV[2]
local function summary(uid)
  local h = redis.call('HMGET', P..'u:'..uid, 'name', 'classic')
  return {uid, h[1] or '', h[2] or '0'}
end
-- Next version: one more than the last, but never behind the caller's clock-derived base. Kept as
-- a string: Lua 5.1 numbers are doubles and tostring() would round 16 digits to 14.
local function bump(room)
  local k = P..'r:'..room..':pv'
  local cur = tonumber(redis.call('GET', k) or '0') + 1
  local base = tonumber(BASE)
  if cur < base then cur = base end
  local v = string.format('%.0f', cur)
  redis.call('SET', k, v)
  return v
end
local function join(sid, uid, room)
  if redis.call('SADD', P..'sr:'..sid, room) == 0 then return false end
  if redis.call('HINCRBY', P..'r:'..room..':m', uid, 1) ~= 1 then return false end
  local s = summary(uid)
  return {room, bump(room), 'join', s[1], s[2], s[3]}
end
local function leave(sid, uid, room)
  if redis.call('SREM', P..'sr:'..sid, room) == 0 then return false end
  local mk = P..'r:'..room..':m'
  if redis.call('HINCRBY', mk, uid, -1) > 0 then return false end
  redis.call('HDEL', mk, uid)
  local s = summary(uid)
  return {room, bump(room), 'leave', s[1], s[2], s[3]}
end
local function disconnect(sid)
  local uid = redis.call('HGET', P..'s:'..sid, 'uid')
  if not uid then return {{}, false} end
  local inst = redis.call('HGET', P..'s:'..sid, 'inst')
  local changes = {}
  for _, room in ipairs(redis.call('SMEMBERS', P..'sr:'..sid)) do
    local c = leave(sid, uid, room)
    if c then table.insert(changes, c) end
  end
  redis.call('DEL', P..'s:'..sid, P..'sr:'..sid)
  if inst then redis.call('SREM', P..'i:'..inst..':s', sid) end
  redis.call('SREM', P..'us:'..uid, sid)
  local gone = false
  if redis.call('SCARD', P..'us:'..uid) == 0 then
    gone = summary(uid)
    local nick = redis.call('HGET', P..'u:'..uid, 'nick')
    if nick and redis.call('GET', P..'nick:'..nick) == uid then redis.call('DEL', P..'nick:'..nick) end
    redis.call('DEL', P..'u:'..uid, P..'us:'..uid)
  end
  return {changes, gone}
end
local function register(sid, uid, name, nick, classic, inst, force)
  local holder = redis.call('GET', P..'nick:'..nick)
  if holder and holder ~= uid and force ~= '1' then return -1 end
  local first = 0
  if redis.call('EXISTS', P..'u:'..uid) == 0 then
    redis.call('HSET', P..'u:'..uid, 'name', name, 'nick', nick, 'classic', classic)
    if not holder then redis.call('SET', P..'nick:'..nick, uid) end
    first = 1
  elseif classic == '0' then
    redis.call('HSET', P..'u:'..uid, 'classic', '0')
  end
  redis.call('SADD', P..'us:'..uid, sid)
  redis.call('HSET', P..'s:'..sid, 'uid', uid, 'inst', inst)
  redis.call('SADD', P..'i:'..inst..':s', sid)
  return first
end
`;

/** ARGV: P, base, sid, uid, name, nick, classic, inst, lobby → {0} | {1, first, name, classic, numUsers, change|nil} */
export const CONNECT = `${PRELUDE}
local sid, uid, name, nick, classic, inst, lobby = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local first = register(sid, uid, name, nick, classic, inst, '0')
if first == -1 then return {0} end
local c = join(sid, uid, lobby)
local s = summary(uid)
return {1, first, s[2], s[3], redis.call('HLEN', P..'r:'..lobby..':m'), c}
`;

/** ARGV: P, base, sid → {changes, gone|nil} */
export const DISCONNECT = `${PRELUDE}
return disconnect(ARGV[3])
`;

/** ARGV: P, base, sid, room, 'join'|'leave' → change | nil */
export const MEMBERSHIP = `${PRELUDE}
local uid = redis.call('HGET', P..'s:'..ARGV[3], 'uid')
if not uid then return false end
if ARGV[5] == 'join' then return join(ARGV[3], uid, ARGV[4]) end
return leave(ARGV[3], uid, ARGV[4])
`;

/** ARGV: P, base, room → {pv, {uid, name, classic, …}} */
export const SNAPSHOT = `${PRELUDE}
local room = ARGV[3]
local out = {}
for _, uid in ipairs(redis.call('HKEYS', P..'r:'..room..':m')) do
  local s = summary(uid)
  table.insert(out, s[1]); table.insert(out, s[2]); table.insert(out, s[3])
end
return {redis.call('GET', P..'r:'..room..':pv') or '0', out}
`;

/** ARGV: P, base, inst → {changes, gone users}: removes every session of a dead instance. */
export const PURGE = `${PRELUDE}
local inst = ARGV[3]
local all, gones = {}, {}
for _, sid in ipairs(redis.call('SMEMBERS', P..'i:'..inst..':s')) do
  local r = disconnect(sid)
  for _, c in ipairs(r[1]) do table.insert(all, c) end
  if r[2] then table.insert(gones, r[2]) end
end
redis.call('DEL', P..'i:'..inst..':s', P..'i:'..inst..':hb')
redis.call('SREM', P..'instances', inst)
return {all, gones}
`;

/**
 * Makes Redis agree with one local session after an outage: registers it if Redis lost it, then
 * joins and leaves rooms until its membership equals ARGV[10..].
 *
 * A user registered during the outage may have claimed a nickname another user holds in Redis (one
 * instance could not check the others). The claim that reached Redis first keeps the name; this
 * user takes the first free alternative of ARGV[9] (JSON [[name, key], …], e.g. "bob-2"), and its
 * join changes carry the new name, so every client's member list shows it. Only if all are taken are
 * both listed under one name (as before).
 * ARGV: P, base, sid, uid, name, nick, classic, inst, alternatives, rooms… → {first, changes, name}
 */
export const ENSURE = `${PRELUDE}
local sid, uid, name, nick, classic, inst = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local first = 0
if redis.call('EXISTS', P..'s:'..sid) == 0 then
  if redis.call('EXISTS', P..'u:'..uid) == 0 then
    local holder = redis.call('GET', P..'nick:'..nick)
    if holder and holder ~= uid then
      for _, alt in ipairs(cjson.decode(ARGV[9])) do
        if not redis.call('GET', P..'nick:'..alt[2]) then
          name, nick = alt[1], alt[2]
          break
        end
      end
    end
  end
  first = register(sid, uid, name, nick, classic, inst, '1')
end
local want = {}
for i = 10, #ARGV do want[ARGV[i]] = true end
local changes = {}
for _, room in ipairs(redis.call('SMEMBERS', P..'sr:'..sid)) do
  if not want[room] then
    local c = leave(sid, uid, room)
    if c then table.insert(changes, c) end
  end
end
for room, _ in pairs(want) do
  local c = join(sid, uid, room)
  if c then table.insert(changes, c) end
  -- A room with people in it exists, even if a restarted Redis lost the room set.
  redis.call('SADD', P..'rooms', room)
end
return {first, changes, summary(uid)[2]}
`;
