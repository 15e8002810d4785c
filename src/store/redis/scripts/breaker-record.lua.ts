import { BREAKER_LIB_LUA } from './breaker-lib.lua';

/** breakerRecord: count one finished call; may trip, close or re-open the breaker. */
export const BREAKER_RECORD_LUA = String.raw`
-- KEYS[1] breaker state (JSON string)   KEYS[2] transition events (list, newest first)
-- ARGV[1] breaker key shown in the view  ARGV[2] policy JSON  ARGV[3] ms added to Redis TIME (tests)
-- ARGV[4] idle ttl ms  ARGV[5] outcome JSON { kind: success|failure|ignored, durationMs?, leaseId?, retryAfterMs? }
-- returns JSON { counted, transition?, view }
` + BREAKER_LIB_LUA + String.raw`
local now = now_ms(tonumber(ARGV[3]))
local p = cjson.decode(ARGV[2])
local o = cjson.decode(ARGV[5])
local r = load(KEYS[1], now)
local events = {}
local counted = false

local function count_call()
  advance(r, now, events)
  local slow = p.slowCallDurationMs > 0 and type(o.durationMs) == 'number' and o.durationMs >= p.slowCallDurationMs
  if r.state == 'open' then return false end
  if r.state == 'half-open' then
    local lease = nil
    if type(o.leaseId) == 'string' and r.leases[o.leaseId] ~= nil then lease = o.leaseId end
    -- an outcome without a lease id answers for the oldest probe
    if lease == nil and type(o.leaseId) ~= 'string' then lease = oldest_lease(r) end
    if lease == nil then return false end
    r.leases[lease] = nil
    r.updatedAt = now
    if o.kind == 'ignored' then return false end
    if o.kind == 'failure' or (slow and p.slowCallRateThreshold > 0) then
      local why = 'probe was slow'
      if o.kind == 'failure' then why = 'probe failed' end
      open(r, p, now, why, o.retryAfterMs, events)
    else
      r.probeOk = r.probeOk + 1
      if r.probeOk >= p.halfOpenMaxProbes then
        transition(r, 'closed', now, r.probeOk .. ' probe(s) succeeded', events)
        r.trips = 0
      end
    end
    return true
  end
  if o.kind == 'ignored' then return false end
  local failure = o.kind == 'failure'
  add_to_window(r, p, now, failure, slow)
  if failure then r.consecutive = r.consecutive + 1 else r.consecutive = 0 end
  r.updatedAt = now
  local calls, failures, slows = window_stats(r, p, now)
  if p.consecutiveFailures > 0 and r.consecutive >= p.consecutiveFailures then
    open(r, p, now, r.consecutive .. ' consecutive failures', o.retryAfterMs, events)
  elseif p.failureRateThreshold > 0 and calls >= p.minimumCalls and failures / calls >= p.failureRateThreshold then
    open(r, p, now, 'failure rate ' .. math.floor(failures / calls * 100 + 0.5) .. '% over ' .. calls .. ' calls', o.retryAfterMs, events)
  elseif p.slowCallRateThreshold > 0 and calls >= p.minimumCalls and slows / calls >= p.slowCallRateThreshold then
    open(r, p, now, 'slow-call rate ' .. math.floor(slows / calls * 100 + 0.5) .. '% over ' .. calls .. ' calls', o.retryAfterMs, events)
  end
  return true
end

counted = count_call()
save(KEYS[1], KEYS[2], r, events, p, now, tonumber(ARGV[4]))
local out = { counted = counted, view = view(ARGV[1], r, p, now) }
if #events > 0 then out.transition = events[#events] end
return cjson.encode(out)
`;
