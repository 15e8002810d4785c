import { DLQ_LIB_LUA } from './dlq-lib.lua';

/** dlqClaim: take up to N due new entries (and stale requeued ones if asked), oldest first, mark them requeued, count the replay. */
export const DLQ_CLAIM_LUA = String.raw`
-- KEYS[1] base key of the dead-letter space (see dlq-lib)
-- ARGV[1] queue ('' = every queue)  ARGV[2] limit  ARGV[3] ms added to Redis TIME (tests)
-- ARGV[4] reclaim requeued entries untouched for this many ms (-1 = never)
-- returns { now, row... }
` + DLQ_LIB_LUA + String.raw`
local now = now_ms(tonumber(ARGV[3]))
local sfx = ''
if ARGV[1] ~= '' then sfx = ':' .. ARGV[1] end
-- deferred entries whose retryAt has passed become ready
local waiting = redis.call('ZRANGEBYSCORE', B .. ':wait' .. sfx, '-inf', now)
for _, id in ipairs(waiting) do
  local e = load(id)
  if e then unindex(e); index(e, now) else redis.call('ZREM', B .. ':wait' .. sfx, id) end
end
local out, limit, reclaim = { now }, tonumber(ARGV[2]), tonumber(ARGV[4])
local cands = {}
for _, id in ipairs(redis.call('ZRANGE', B .. ':ready' .. sfx, 0, limit - 1)) do cands[#cands + 1] = id end
if reclaim >= 0 then
  local stale = redis.call('ZRANGEBYSCORE', B .. ':inflight' .. sfx, '-inf', now - reclaim, 'LIMIT', 0, limit)
  for _, id in ipairs(stale) do cands[#cands + 1] = id end
end
-- oldest first across both sources: creation time, then id
local loaded = {}
for _, id in ipairs(cands) do
  local e = load(id)
  if e then loaded[#loaded + 1] = e else redis.call('ZREM', B .. ':ready' .. sfx, id); redis.call('ZREM', B .. ':inflight' .. sfx, id) end
end
table.sort(loaded, function(a, b) if a.created ~= b.created then return a.created < b.created end return a.id < b.id end)
for i = 1, math.min(limit, #loaded) do
  local e = loaded[i]
  unindex(e)
  e.status, e.replays, e.updated = 'requeued', e.replays + 1, now
  save(e)
  index(e, now)
  out[#out + 1] = row(e)
end
return out
`;
