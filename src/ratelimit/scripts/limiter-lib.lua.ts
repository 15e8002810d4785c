// Lua functions shared by the limiter scripts; a line-by-line mirror of src/ratelimit/bucket.ts.
// Each script = its own header + this library + its body, so one EVALSHA does the whole intent.

export const LIMITER_LIB_LUA = String.raw`
local DEFAULT_DAILY_RESERVE = 0.05
local WINDOW_SAFETY = 0.95
local WINDOW_CAP_WINDOWS = 10
local DAILY_RECHECK_MS = 3600000
local DAILY_THROTTLE_SHARE = 0.9
local MIN_RATE = 0.001
local INF = math.huge

local function now_ms(offset)
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + offset
end

local function fresh(spec, now)
  return { tokens = spec.burst, ts = now, ov = {}, pauseUntil = 0, pauseWhy = '', updatedAt = now }
end

local function load(key, spec, now)
  local raw = redis.call('GET', key)
  if not raw then return fresh(spec, now) end
  local r = cjson.decode(raw)
  if type(r.ov) ~= 'table' then r.ov = {} end
  return r
end

local function base_rate(spec)
  if spec.ratePerSec > 0 then return spec.ratePerSec end
  return INF
end

local function settle(r, spec, now)
  local rate = base_rate(spec)
  for name, o in pairs(r.ov) do
    if o[2] <= now then r.ov[name] = nil elseif o[1] < rate then rate = o[1] end
  end
  if r.pauseUntil <= now then r.pauseUntil = 0; r.pauseWhy = '' end
  local d = r.daily
  if d and ((d.resetAt > 0 and d.resetAt <= now) or (d.resetAt == 0 and d.recheckAt <= now)) then r.daily = nil end
  if now > r.ts then
    if rate == INF then r.tokens = spec.burst
    else r.tokens = math.min(spec.burst, r.tokens + (now - r.ts) * rate / 1000) end
    r.ts = now
  end
  if r.tokens > spec.burst then r.tokens = spec.burst end
  return rate
end

local function shown(rate)
  if rate == INF then return -1 end
  return rate
end

local function round3(n) return math.floor(n * 1000 + 0.5) / 1000 end

local function acquire(r, q, now)
  local cost = q.cost or 1
  local max_wait = q.maxWaitMs or 0
  local rate = settle(r, q, now)
  local function deny(wait, retry_at, reason, detail)
    return { granted = false, waitMs = wait, retryAt = retry_at, reason = reason, detail = detail, tokens = r.tokens, ratePerSec = shown(rate), now = now }
  end
  if r.pauseUntil > now then return deny(r.pauseUntil - now, r.pauseUntil, 'paused', r.pauseWhy) end
  local d = r.daily
  if d then
    local reserve = math.ceil(d.limit * (q.dailyReserveShare or DEFAULT_DAILY_RESERVE))
    local left = d.remaining - cost
    local untl = d.recheckAt
    if d.resetAt > 0 then untl = d.resetAt end
    if left < 0 then return deny(untl - now, untl, 'daily-quota', 'daily quota used up (' .. d.source .. ')') end
    if not q.critical and left < reserve then
      return deny(untl - now, untl, 'daily-quota', 'daily quota nearly used up: ' .. d.remaining .. ' of ' .. d.limit ..
        ' left, the last ' .. reserve .. ' are kept for critical traffic (' .. d.source .. ')')
    end
  end
  local wait = 0
  if rate ~= INF and r.tokens < cost then
    wait = math.ceil((cost - r.tokens) * 1000 / rate)
    if wait > max_wait then return deny(wait, now + wait, 'rate', 'rate ' .. round3(rate) .. '/s: next slot in ' .. wait .. ' ms') end
  end
  if rate ~= INF then r.tokens = r.tokens - cost end
  if d then d.remaining = d.remaining - cost end
  r.updatedAt = now
  return { granted = true, waitMs = wait, tokens = r.tokens, ratePerSec = shown(rate), now = now }
end

local function cap(r, name, rate, untl, base)
  if rate < base then r.ov[name] = { math.max(MIN_RATE, rate), untl } end
end

local function pause(r, untl, why)
  if untl > r.pauseUntil then r.pauseUntil = untl; r.pauseWhy = why end
end

local function adapt(r, spec, obs, now)
  settle(r, spec, now)
  local unit = spec.unit or 'requests'
  local base = base_rate(spec)
  for _, w in ipairs(obs.windows or {}) do
    if w.unit == unit and type(w.remaining) == 'number' and w.remaining >= 0 then
      r.tokens = math.min(r.tokens, w.remaining)
      if type(w.resetInMs) == 'number' and w.resetInMs > 0 then
        local untl = now + w.resetInMs
        if w.remaining <= 0 then pause(r, untl, w.name .. ' limit used up until its reset')
        elseif w.remaining < base * w.resetInMs / 1000 then
          r.tokens = math.min(r.tokens, 1)
          cap(r, w.name, (w.remaining - math.max(0, r.tokens)) * 1000 / w.resetInMs, untl, base)
        end
      elseif type(w.limit) == 'number' and w.limit > 0 and type(w.windowMs) == 'number' and w.windowMs > 0 then
        cap(r, w.name, w.limit * 1000 / w.windowMs * WINDOW_SAFETY, now + math.max(60000, w.windowMs * WINDOW_CAP_WINDOWS), base)
      end
    end
  end
  if type(obs.pauseMs) == 'number' and obs.pauseMs > 0 then
    local why = 'the server asked to wait (Retry-After)'
    if type(obs.pauseReason) == 'string' then why = obs.pauseReason end
    pause(r, now + obs.pauseMs, why)
  end
  local q = obs.daily
  if type(q) == 'table' and q.limit > 0 and q.remaining >= 0 then
    local reset_at = 0
    if type(q.resetInMs) == 'number' and q.resetInMs > 0 then reset_at = now + q.resetInMs end
    r.daily = { limit = q.limit, remaining = q.remaining, resetAt = reset_at, recheckAt = now + DAILY_RECHECK_MS, source = q.source }
    if reset_at > 0 then cap(r, 'daily', q.remaining * 1000 / q.resetInMs, reset_at, base)
    elseif q.remaining <= q.limit * (1 - DAILY_THROTTLE_SHARE) then
      cap(r, 'daily', q.remaining * 1000 / DAILY_RECHECK_MS, now + DAILY_RECHECK_MS, base)
    end
  end
  r.updatedAt = now
end

local function view(key, r, spec, now)
  local rate = settle(r, spec, now)
  local ovs = {}
  local names = {}
  for name in pairs(r.ov) do table.insert(names, name) end
  table.sort(names)
  for _, name in ipairs(names) do table.insert(ovs, { name = name, ratePerSec = r.ov[name][1], ['until'] = r.ov[name][2] }) end
  local v = { key = key, tokens = r.tokens, ratePerSec = shown(rate), baseRatePerSec = spec.ratePerSec, overrides = ovs, now = now }
  if r.pauseUntil > now then v.pausedUntil = r.pauseUntil; v.pauseReason = r.pauseWhy end
  local d = r.daily
  if d then
    v.daily = { limit = d.limit, remaining = d.remaining, recheckAt = d.recheckAt, source = d.source }
    if d.resetAt > 0 then v.daily.resetAt = d.resetAt end
  end
  return v
end

local function ttl_ms(r, spec, now, idle)
  local e = now
  for _, o in pairs(r.ov) do if o[2] > e then e = o[2] end end
  if r.pauseUntil > e then e = r.pauseUntil end
  if r.daily then e = math.max(e, r.daily.resetAt, r.daily.recheckAt) end
  if spec.ratePerSec > 0 and r.tokens < spec.burst then e = math.max(e, now + (spec.burst - r.tokens) * 1000 / spec.ratePerSec) end
  return math.ceil(e - now) + idle
end

local function save(key, r, spec, now, idle)
  redis.call('SET', key, cjson.encode(r), 'PX', ttl_ms(r, spec, now, idle))
end
`;
