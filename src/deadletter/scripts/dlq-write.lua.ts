import { DLQ_LIB_LUA } from './dlq-lib.lua';

/** dlqWrite: a new entry (trimming closed entries when the queue is full), or a replay failure appended to its entry. */
export const DLQ_WRITE_LUA = String.raw`
-- KEYS[1] base key of the dead-letter space (see dlq-lib)
-- ARGV[1] id for a new entry  ARGV[2] replayOf id ('' = none)  ARGV[3] queue  ARGV[4] class
-- ARGV[5] retryAt ms (0 = none)  ARGV[6] first attempt ISO ('' = none)  ARGV[7] origin JSON  ARGV[8] latest JSON
-- ARGV[9] max entries per queue (0 = unlimited)  ARGV[10] attempts kept  ARGV[11] ms added to Redis TIME (tests)
-- ARGV[12..] attempt JSON texts
-- returns { 'created' | 'appended', row } or { 'full', count }
` + DLQ_LIB_LUA + String.raw`
local now = now_ms(tonumber(ARGV[11]))
local keep, maxq = tonumber(ARGV[10]), tonumber(ARGV[9])
local attempts = {}
for i = 12, #ARGV do attempts[#attempts + 1] = ARGV[i] end
local function push(id)
  local ak = B .. ':a:' .. id
  for i = 1, #attempts, 500 do redis.call('RPUSH', ak, unpack(attempts, i, math.min(i + 499, #attempts))) end
  redis.call('LTRIM', ak, -keep, -1)
end

if ARGV[2] ~= '' then
  local e = load(ARGV[2])
  if e then
    unindex(e)
    e.status, e.class, e.retry, e.updated, e.latest = 'new', ARGV[4], tonumber(ARGV[5]), now, ARGV[8]
    e.acount = e.acount + #attempts
    if e.first == '' then e.first = ARGV[6] end
    save(e)
    push(e.id)
    index(e, now)
    return { 'appended', row(e) }
  end
end

local queue = ARGV[3]
local qkey = B .. ':q:' .. queue
-- the trimming policy: closed (resolved, discarded) entries make room, oldest first; open ones never do
while maxq > 0 and redis.call('ZCARD', qkey) >= maxq do
  local r = redis.call('ZRANGE', B .. ':qs:' .. queue .. ':resolved', 0, 0, 'WITHSCORES')
  local d = redis.call('ZRANGE', B .. ':qs:' .. queue .. ':discarded', 0, 0, 'WITHSCORES')
  local victim = nil
  if #r > 0 and (#d == 0 or tonumber(r[2]) <= tonumber(d[2])) then victim = r[1] elseif #d > 0 then victim = d[1] end
  if not victim then return { 'full', redis.call('ZCARD', qkey) } end
  local v = load(victim)
  if v then remove(v) else redis.call('ZREM', qkey, victim) end
end

local id = ARGV[1]
if ARGV[2] ~= '' then id = ARGV[2] end
local e = { id = id, queue = queue, status = 'new', class = ARGV[4], created = now, updated = now, retry = tonumber(ARGV[5]),
  replays = 0, acount = #attempts, first = ARGV[6], note = '', origin = ARGV[7], latest = ARGV[8] }
save(e)
push(id)
index(e, now)
return { 'created', row(e) }
`;
