// Lua helpers shared by the ledger scripts; they mirror the record handling of src/idempotency/ledger-logic.ts.
// Each script = its own header + this library + its body, so one EVALSHA does the whole intent.

export const LEDGER_LIB_LUA = String.raw`
local function now_ms(offset)
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + offset
end

local FIELDS = { 'state', 'owner', 'fp', 'lease', 'first', 'done', 'result', 'attempt', 'expires', 'updated' }

-- the record, or nil when absent or past its ttl (a record past its ttl counts as absent)
local function load(key, now)
  local v = redis.call('HMGET', key, unpack(FIELDS))
  if not v[1] then return nil end
  local r = { state = v[1], owner = v[2] or '', fp = v[3] or '', lease = tonumber(v[4]) or 0,
    first = tonumber(v[5]) or 0, done = tonumber(v[6]) or 0, result = v[7] or '',
    attempt = tonumber(v[8]) or 0, expires = tonumber(v[9]) or 0, updated = tonumber(v[10]) or 0 }
  if r.expires <= now then return nil end
  return r
end

local function int(n) return string.format('%.0f', n) end

-- the whole record in one HSET, expiring with it (PEXPIRE is relative, so a test time offset does not matter)
local function save(key, r, now)
  redis.call('HSET', key, 'state', r.state, 'owner', r.owner, 'fp', r.fp, 'lease', int(r.lease),
    'first', int(r.first), 'done', int(r.done), 'result', r.result, 'attempt', int(r.attempt),
    'expires', int(r.expires), 'updated', int(now))
  redis.call('PEXPIRE', key, math.max(1, r.expires - now))
end
`;
