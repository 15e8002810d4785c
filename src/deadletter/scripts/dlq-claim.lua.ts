import { DLQ_LIB_LUA } from './dlq-lib.lua';

/**
 * dlqClaim: take up to N due new entries (and stale requeued ones if asked) of the wanted classes, oldest first, mark
 * them requeued, count the replay. Entries of other classes are passed over where they are, so the limit counts matches.
 */
export const DLQ_CLAIM_LUA = String.raw`
-- KEYS[1] base key of the dead-letter space (see dlq-lib)
-- ARGV[1] queue ('' = every queue)  ARGV[2] limit  ARGV[3] ms added to Redis TIME (tests)
-- ARGV[4] reclaim requeued entries untouched for this many ms (-1 = never)  ARGV[5] classes csv ('' = every class)
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
local classes = set_of(ARGV[5] or '')
local gone = {}

-- up to limit ids of zset key (by rank, oldest first) scored at most hi whose class is wanted; only the class field is
-- read for the ones passed over, and ids whose entry vanished are noted (removed after the walk, so ranks hold still)
local function wanted(key, hi)
  local ids, start, batch = {}, 0, 200
  while #ids < limit do
    local page = redis.call('ZRANGE', key, start, start + batch - 1, 'WITHSCORES')
    if #page == 0 then break end
    for i = 1, #page, 2 do
      local id = page[i]
      if tonumber(page[i + 1]) > hi then return ids end
      local c = redis.call('HGET', B .. ':e:' .. id, 'class')
      if not c then gone[#gone + 1] = id
      elseif not classes or classes[c] then
        ids[#ids + 1] = id
        if #ids >= limit then return ids end
      end
    end
    start = start + batch
  end
  return ids
end

local cands = wanted(B .. ':ready' .. sfx, math.huge)
if reclaim >= 0 then
  for _, id in ipairs(wanted(B .. ':inflight' .. sfx, now - reclaim)) do cands[#cands + 1] = id end
end
for _, id in ipairs(gone) do redis.call('ZREM', B .. ':ready' .. sfx, id); redis.call('ZREM', B .. ':inflight' .. sfx, id) end
-- oldest first across both sources: creation time, then id
local loaded = {}
for _, id in ipairs(cands) do
  local e = load(id)
  if e then loaded[#loaded + 1] = e end
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
