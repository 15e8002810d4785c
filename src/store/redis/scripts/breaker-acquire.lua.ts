import { BREAKER_LIB_LUA } from './breaker-lib.lua';

/** breakerAcquire: ask to make one call (closed: allowed, read-only; half-open: maybe a probe lease). */
export const BREAKER_ACQUIRE_LUA = String.raw`
-- KEYS[1] breaker state (JSON string)   KEYS[2] transition events (list, newest first)
-- ARGV[1] breaker key shown in the view  ARGV[2] policy JSON  ARGV[3] ms added to Redis TIME (tests)
-- ARGV[4] idle ttl ms
-- returns JSON { allowed, probe?, leaseId?, retryAt?, view }
` + BREAKER_LIB_LUA + String.raw`
local now = now_ms(tonumber(ARGV[3]))
local p = cjson.decode(ARGV[2])
local r = load(KEYS[1], now)
local events = {}
local d = {}
advance(r, now, events)
if r.state == 'closed' then
  d = { allowed = true, probe = false }
elseif r.state == 'open' then
  d = { allowed = false }
  if not r.forced then d.retryAt = r.openUntil end
else
  local n, first = 0, nil
  for _, exp in pairs(r.leases) do
    n = n + 1
    if first == nil or exp < first then first = exp end
  end
  if n + r.probeOk < p.halfOpenMaxProbes then
    r.seq = r.seq + 1
    local id = 'p' .. r.seq
    r.leases[id] = now + p.probeLeaseMs
    r.updatedAt = now
    d = { allowed = true, probe = true, leaseId = id }
  else
    d = { allowed = false, retryAt = first }
  end
end
if #events > 0 or d.probe then save(KEYS[1], KEYS[2], r, events, p, now, tonumber(ARGV[4])) end
d.view = view(ARGV[1], r, p, now)
return cjson.encode(d)
`;
