/** retryBudget: count a first attempt, or spend one retry if the window's share allows it; mirrors src/ratelimit/retry-budget.ts. */
export const RETRY_BUDGET_LUA = String.raw`
-- KEYS[1] retry budget (JSON { b: [[bucketStart, firstAttempts, retries], ...] })
-- ARGV[1] kind: request | retry  ARGV[2] policy JSON { ratio, windowMs, minRetries }  ARGV[3] ms added to Redis TIME (tests)
-- returns JSON { allowed, requests, retries, allowance, now }
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[3])
local p = cjson.decode(ARGV[2])
local kind = ARGV[1]
local raw = redis.call('GET', KEYS[1])
local b = {}
if raw then b = cjson.decode(raw).b or {} end
local size = math.max(1, math.ceil(p.windowMs / 10))
local start = math.floor(now / size) * size
local kept = {}
local requests, retries = 0, 0
for _, x in ipairs(b) do
  if x[1] > now - p.windowMs then
    table.insert(kept, x)
    requests = requests + x[2]
    retries = retries + x[3]
  end
end
local function allowance() return math.max(p.minRetries, math.floor(requests * p.ratio + 1e-9)) end
local allowed = kind == 'request' or retries < allowance()
if allowed then
  local last = kept[#kept]
  if not last or last[1] ~= start then
    last = { start, 0, 0 }
    table.insert(kept, last)
  end
  if kind == 'request' then last[2] = last[2] + 1; requests = requests + 1
  else last[3] = last[3] + 1; retries = retries + 1 end
  redis.call('SET', KEYS[1], cjson.encode({ b = kept }), 'PX', p.windowMs + size)
end
return cjson.encode({ allowed = allowed, requests = requests, retries = retries, allowance = allowance(), now = now })
`;
