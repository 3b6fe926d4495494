/**
 * Appending a message in one atomic step: idempotency check, next seq (INCR, initialised from a
 * clock-derived base so seqs keep rising even if Redis lost its data), stream entry with id
 * "<seq>-0" (so history ranges are seq ranges), trimming to the limit, idempotency record.
 * The message JSON is assembled by string concatenation: cjson would round the 16-digit seq.
 *
 * ARGV: prefix, room, base, limit, dedupe key ('' for none), dedupe TTL s, JSON of the message
 * without its seq (an object literal) → {duplicate 0|1, json}
 */
export const APPEND = `
local P, room, base, limit, dk, ttl, json = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6], ARGV[7]
if dk ~= '' then
  local prev = redis.call('GET', P..'d:'..dk)
  if prev then return {1, prev} end
end
local seqk = P..'h:'..room..':seq'
if redis.call('EXISTS', seqk) == 0 then redis.call('SET', seqk, base) end
redis.call('INCR', seqk)
local seq = redis.call('GET', seqk)
local out = '{"seq":'..seq..','..string.sub(json, 2)
if limit > 0 then
  redis.call('XADD', P..'h:'..room, 'MAXLEN', limit, seq..'-0', 'm', out)
end
if dk ~= '' then redis.call('SET', P..'d:'..dk, out, 'EX', ttl) end
return {0, out}
`;
