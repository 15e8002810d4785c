import { DLQ_LIB_LUA } from './dlq-lib.lua';

/** dlqList: one page of entries matching a filter, oldest first, after a cursor. */
export const DLQ_LIST_LUA = String.raw`
-- KEYS[1] base key of the dead-letter space (see dlq-lib)
-- ARGV[1] index suffix (all | q:<queue> | s:<status> | qs:<queue>:<status>)  ARGV[2] queue ('' = any)
-- ARGV[3] statuses csv ('' = any)  ARGV[4] class ('' = any)  ARGV[5] min age ms (-1 = none)  ARGV[6] max age ms (-1 = none)
-- ARGV[7] cursor created ms (-1 = start)  ARGV[8] cursor id  ARGV[9] limit  ARGV[10] ms added to Redis TIME (tests)
-- returns { now, row... } with up to limit + 1 rows (the extra one says another page exists)
` + DLQ_LIB_LUA + String.raw`
local now = now_ms(tonumber(ARGV[10]))
local f = { queue = ARGV[2], statuses = set_of(ARGV[3]), class = ARGV[4], lo = '-inf', hi = '+inf' }
local minage, maxage = tonumber(ARGV[5]), tonumber(ARGV[6])
f.lo = -1
if maxage >= 0 then f.lo = now - maxage end
if minage >= 0 then f.hi = now - minage end
local found = scan(B .. ':' .. ARGV[1], f, tonumber(ARGV[7]), ARGV[8], tonumber(ARGV[9]) + 1)
local out = { now }
for _, e in ipairs(found) do out[#out + 1] = row(e) end
return out
`;

/** dlqGet: one entry by id. */
export const DLQ_GET_LUA = String.raw`
-- KEYS[1] base key of the dead-letter space (see dlq-lib)   ARGV[1] id
-- returns the row, or false when absent
` + DLQ_LIB_LUA + String.raw`
local e = load(ARGV[1])
if not e then return false end
return row(e)
`;

/** dlqStats: per queue and status, count and oldest creation time. */
export const DLQ_STATS_LUA = String.raw`
-- KEYS[1] base key of the dead-letter space (see dlq-lib)
-- ARGV[1] queue ('' = every queue)  ARGV[2] ms added to Redis TIME (tests)
-- returns { now, { queue, status, count, oldest created ms or '' } ... }
` + DLQ_LIB_LUA + String.raw`
local now = now_ms(tonumber(ARGV[2]))
local queues = { ARGV[1] }
if ARGV[1] == '' then queues = redis.call('SMEMBERS', B .. ':queues') end
local out = { now }
for _, q in ipairs(queues) do
  for _, s in ipairs({ 'new', 'requeued', 'resolved', 'discarded' }) do
    local k = B .. ':qs:' .. q .. ':' .. s
    local n = redis.call('ZCARD', k)
    if n > 0 then
      local first = redis.call('ZRANGE', k, 0, 0, 'WITHSCORES')
      out[#out + 1] = { q, s, n, first[2] }
    end
  end
end
return out
`;
