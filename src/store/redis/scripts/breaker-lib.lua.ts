// Lua functions shared by the breaker scripts; a line-by-line mirror of src/breaker/transitions.ts.
// Each script = its own header + this library + its body, so one EVALSHA does the whole intent.

export const BREAKER_LIB_LUA = String.raw`
local function now_ms(offset)
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + offset
end

local function fresh(now)
  return { state = 'closed', since = now, openUntil = 0, forced = false, trips = 0, consecutive = 0,
    calls = {}, buckets = {}, leases = {}, probeOk = 0, seq = 0, updatedAt = now }
end

local function load(key, now)
  local raw = redis.call('GET', key)
  if not raw then return fresh(now) end
  return cjson.decode(raw)
end

local function bucket_ms(p) return math.max(1, math.ceil(p.rollingWindowMs / 10)) end

local function stale(p, t, now) return p.rollingWindowMs > 0 and t <= now - p.rollingWindowMs end

local function window_stats(r, p, now)
  local calls, failures, slow = 0, 0, 0
  if p.windowType == 'count' then
    local n = #r.calls
    for i = math.max(1, n - p.windowSize + 1), n do
      local e = r.calls[i]
      if not stale(p, e[1], now) then
        calls = calls + 1
        if e[2] % 2 == 1 then failures = failures + 1 end
        if math.floor(e[2] / 2) % 2 == 1 then slow = slow + 1 end
      end
    end
  else
    local size = bucket_ms(p)
    for _, b in ipairs(r.buckets) do
      if b[1] + size > now - p.rollingWindowMs then
        calls = calls + b[2]; failures = failures + b[3]; slow = slow + b[4]
      end
    end
  end
  return calls, failures, slow
end

local function add_to_window(r, p, now, failure, slow)
  if p.windowType == 'count' then
    table.insert(r.calls, { now, (failure and 1 or 0) + (slow and 2 or 0) })
    local kept = {}
    for _, e in ipairs(r.calls) do if not stale(p, e[1], now) then table.insert(kept, e) end end
    local out = {}
    for i = math.max(1, #kept - p.windowSize + 1), #kept do table.insert(out, kept[i]) end
    r.calls = out
    r.buckets = {}
  else
    local size = bucket_ms(p)
    local start = math.floor(now / size) * size
    local kept = {}
    for _, b in ipairs(r.buckets) do if b[1] + size > now - p.rollingWindowMs then table.insert(kept, b) end end
    local last = kept[#kept]
    if last and last[1] == start then
      last[2] = last[2] + 1
      if failure then last[3] = last[3] + 1 end
      if slow then last[4] = last[4] + 1 end
    else
      table.insert(kept, { start, 1, failure and 1 or 0, slow and 1 or 0 })
    end
    r.buckets = kept
    r.calls = {}
  end
end

local function transition(r, to, at, reason, events)
  table.insert(events, { at = at, from = r.state, to = to, reason = reason })
  r.state = to; r.since = at; r.leases = {}; r.probeOk = 0; r.consecutive = 0; r.calls = {}; r.buckets = {}
end

local function open(r, p, now, reason, retry_after, events)
  r.trips = r.trips + 1
  local ms = math.min(p.maxOpenMs, math.floor(p.resetTimeoutMs * (p.openBackoffFactor ^ (r.trips - 1)) + 0.5))
  if p.respectRetryAfter and type(retry_after) == 'number' and retry_after > 0 then
    ms = math.min(p.maxOpenMs, math.ceil(retry_after))
  end
  transition(r, 'open', now, reason, events)
  r.forced = false
  r.openUntil = now + ms
end

local function advance(r, now, events)
  if r.state == 'open' and not r.forced and now >= r.openUntil then
    transition(r, 'half-open', r.openUntil, 'open period elapsed', events)
  end
  if r.state == 'half-open' then
    for id, exp in pairs(r.leases) do if exp <= now then r.leases[id] = nil end end
  end
end

local function lease_num(id) return tonumber(string.sub(id, 2)) or 0 end

-- the live lease granted first (lease ids count up), whatever its expiry
local function oldest_lease(r)
  local best = nil
  for id, _ in pairs(r.leases) do
    if best == nil or lease_num(id) < lease_num(best) then best = id end
  end
  return best
end

local function view(key, r, p, now)
  advance(r, now, {})
  local calls, failures, slow = window_stats(r, p, now)
  local n = 0
  for _ in pairs(r.leases) do n = n + 1 end
  local v = { key = key, state = r.state, since = r.since, forced = r.forced, trips = r.trips,
    consecutiveFailures = r.consecutive, calls = calls, failures = failures, slowCalls = slow,
    probesInFlight = n, probeSuccesses = r.probeOk, now = now }
  if r.state == 'open' and not r.forced then v.openUntil = r.openUntil end
  return v
end

-- idle breakers expire after ttl; an open one not before it would half-open; forced open never
local function save(key, ekey, r, events, p, now, ttl)
  local json = cjson.encode(r)
  local px = -1
  if not (r.state == 'open' and r.forced) then
    px = ttl
    if r.state == 'open' and r.openUntil > now then px = px + (r.openUntil - now) end
  end
  if px > 0 then redis.call('SET', key, json, 'PX', px) else redis.call('SET', key, json) end
  if p.eventsCap > 0 and #events > 0 then
    for _, ev in ipairs(events) do redis.call('LPUSH', ekey, cjson.encode(ev)) end
    redis.call('LTRIM', ekey, 0, p.eventsCap - 1)
  end
  if px > 0 then redis.call('PEXPIRE', ekey, px) else redis.call('PERSIST', ekey) end
end
`;
