import { BREAKER_LIB_LUA } from './breaker-lib.lua';

/** breakerAdmin: read the effective state, reset to closed, or force open, each in one step. */
export const BREAKER_ADMIN_LUA = String.raw`
-- KEYS[1] breaker state (JSON string)   KEYS[2] transition events (list, newest first)
-- ARGV[1] breaker key shown in the view  ARGV[2] policy JSON  ARGV[3] ms added to Redis TIME (tests)
-- ARGV[4] idle ttl ms  ARGV[5] op: state | reset | force-open  ARGV[6] force-open duration ms ('' = until reset)
-- returns JSON view
` + BREAKER_LIB_LUA + String.raw`
local now = now_ms(tonumber(ARGV[3]))
local p = cjson.decode(ARGV[2])
local op = ARGV[5]
local r = load(KEYS[1], now)
local events = {}
advance(r, now, events)
if op == 'reset' then
  local from = r.state
  local seq = r.seq
  r = fresh(now)
  r.seq = seq -- lease ids keep counting, so a late probe from before the reset cannot answer for a new one
  if from ~= 'closed' then table.insert(events, { at = now, from = from, to = 'closed', reason = 'manual reset' }) end
  save(KEYS[1], KEYS[2], r, events, p, now, tonumber(ARGV[4]))
elseif op == 'force-open' then
  local d = tonumber(ARGV[6])
  local why = 'forced open'
  if d then why = 'forced open for ' .. d .. ' ms' end
  transition(r, 'open', now, why, events)
  r.forced = d == nil
  r.openUntil = 0
  if d then r.openUntil = now + d end
  r.updatedAt = now
  save(KEYS[1], KEYS[2], r, events, p, now, tonumber(ARGV[4]))
elseif op ~= 'state' then
  return redis.error_reply('ERR unknown breaker op ' .. tostring(op))
end
return cjson.encode(view(ARGV[1], r, p, now))
`;
