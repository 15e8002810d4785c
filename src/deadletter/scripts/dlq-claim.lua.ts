import { DLQ_LIB_LUA } from './dlq-lib.lua';

/** dlqClaim: take up to N due new entries (oldest first), mark them requeued and count the replay, in one step. */
export const DLQ_CLAIM_LUA = String.raw`
-- KEYS[1] base key of the dead-letter space (see dlq-lib)
-- ARGV[1] queue ('' = every queue)  ARGV[2] limit  ARGV[3] ms added to Redis TIME (tests)
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
local out = { now }
local ids = redis.call('ZRANGE', B .. ':ready' .. sfx, 0, tonumber(ARGV[2]) - 1)
for _, id in ipairs(ids) do
  local e = load(id)
  if e then
    unindex(e)
    e.status, e.replays, e.updated = 'requeued', e.replays + 1, now
    save(e)
    index(e, now)
    out[#out + 1] = row(e)
  else
    redis.call('ZREM', B .. ':ready' .. sfx, id)
  end
end
return out
`;
