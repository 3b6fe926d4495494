/**
 * Upload quotas shared by every instance (files/quota.ts): one hash of counted uploads
 * (`fq:u`: id → "<size> <owner>"), one of bytes per owner (`fq:o`) and the total (`fq:t`). Each
 * script is one atomic step, so two instances taking the last bytes of a share at once cannot both
 * succeed, and counting or releasing an id twice changes nothing.
 */

/**
 * ARGV: P, id, owner, size, perUser, total, force ('1': count whatever the limits say).
 * → {0, 0} counted (or was already), {1, used} over the owner's share, {2, used} over the total.
 */
export const QUOTA_RESERVE = `
local P, id, owner, size = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local perUser, total, force = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7] == '1'
if redis.call('HEXISTS', P..'fq:u', id) == 1 then return {0, 0} end
if not force then
  local mine = tonumber(redis.call('HGET', P..'fq:o', owner) or '0')
  if mine + size > perUser then return {1, mine} end
  local used = tonumber(redis.call('GET', P..'fq:t') or '0')
  if used + size > total then return {2, used} end
end
redis.call('HSET', P..'fq:u', id, size..' '..owner)
redis.call('HINCRBY', P..'fq:o', owner, size)
redis.call('INCRBY', P..'fq:t', size)
return {0, 0}
`;

/** ARGV: P, id → 1 released, 0 was not counted. */
export const QUOTA_RELEASE = `
local P, id = ARGV[1], ARGV[2]
local entry = redis.call('HGET', P..'fq:u', id)
if not entry then return 0 end
local size, owner = string.match(entry, '^(%d+) (.*)$')
size = tonumber(size)
redis.call('HDEL', P..'fq:u', id)
if redis.call('HINCRBY', P..'fq:o', owner, -size) <= 0 then redis.call('HDEL', P..'fq:o', owner) end
if redis.call('DECRBY', P..'fq:t', size) <= 0 then redis.call('DEL', P..'fq:t') end
return 1
`;
