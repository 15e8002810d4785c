// Lua helpers shared by the dead-letter scripts. Every key of one dead-letter space shares the hash tag of
// KEYS[1] (`<prefix>:<namespace>:deadletter:{dlq}`), so queue-specific keys built here live in the same slot.
//
// Layout under B = KEYS[1]:
//   B:e:<id>  hash: queue status class created updated retry replays acount first note origin latest
//   B:a:<id>  list of attempt JSON texts (the latest MAX kept)
//   B:queues  set of queue names
//   B:all, B:q:<queue>, B:s:<status>, B:qs:<queue>:<status>   zsets id → created ms (listing, stats, trimming)
//   B:wait, B:wait:<queue>    zsets id → retryAt of new entries not yet due
//   B:ready, B:ready:<queue>  zsets id → created of new entries that are due (replay takes from here)
//   B:inflight, B:inflight:<queue>  zsets id → updated of requeued entries (a stale one may be reclaimed)
// User data (origin, latest, attempts) is stored as the JSON text TypeScript made: no script decodes it.

export const DLQ_LIB_LUA = String.raw`
local B = KEYS[1]
local FIELDS = { 'queue', 'status', 'class', 'created', 'updated', 'retry', 'replays', 'acount', 'first', 'note', 'origin', 'latest' }

local function now_ms(offset)
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + offset
end

local function load(id)
  local v = redis.call('HMGET', B .. ':e:' .. id, unpack(FIELDS))
  if not v[1] then return nil end
  return { id = id, queue = v[1], status = v[2], class = v[3] or '', created = tonumber(v[4]), updated = tonumber(v[5]),
    retry = tonumber(v[6]) or 0, replays = tonumber(v[7]) or 0, acount = tonumber(v[8]) or 0, first = v[9] or '',
    note = v[10] or '', origin = v[11], latest = v[12] }
end

local function unindex(e)
  local q = e.queue
  redis.call('ZREM', B .. ':s:' .. e.status, e.id)
  redis.call('ZREM', B .. ':qs:' .. q .. ':' .. e.status, e.id)
  redis.call('ZREM', B .. ':wait', e.id)
  redis.call('ZREM', B .. ':wait:' .. q, e.id)
  redis.call('ZREM', B .. ':ready', e.id)
  redis.call('ZREM', B .. ':ready:' .. q, e.id)
  redis.call('ZREM', B .. ':inflight', e.id)
  redis.call('ZREM', B .. ':inflight:' .. q, e.id)
end

local function index(e, now)
  local q = e.queue
  redis.call('SADD', B .. ':queues', q)
  redis.call('ZADD', B .. ':all', e.created, e.id)
  redis.call('ZADD', B .. ':q:' .. q, e.created, e.id)
  redis.call('ZADD', B .. ':s:' .. e.status, e.created, e.id)
  redis.call('ZADD', B .. ':qs:' .. q .. ':' .. e.status, e.created, e.id)
  if e.status == 'new' then
    if e.retry > now then
      redis.call('ZADD', B .. ':wait', e.retry, e.id)
      redis.call('ZADD', B .. ':wait:' .. q, e.retry, e.id)
    else
      redis.call('ZADD', B .. ':ready', e.created, e.id)
      redis.call('ZADD', B .. ':ready:' .. q, e.created, e.id)
    end
  elseif e.status == 'requeued' then
    redis.call('ZADD', B .. ':inflight', e.updated, e.id)
    redis.call('ZADD', B .. ':inflight:' .. q, e.updated, e.id)
  end
end

local function save(e)
  redis.call('HSET', B .. ':e:' .. e.id, 'queue', e.queue, 'status', e.status, 'class', e.class, 'created', e.created,
    'updated', e.updated, 'retry', e.retry, 'replays', e.replays, 'acount', e.acount, 'first', e.first, 'note', e.note,
    'origin', e.origin, 'latest', e.latest)
end

local function remove(e)
  unindex(e)
  redis.call('ZREM', B .. ':all', e.id)
  redis.call('ZREM', B .. ':q:' .. e.queue, e.id)
  redis.call('DEL', B .. ':e:' .. e.id, B .. ':a:' .. e.id)
end

-- the reply row for one entry: id queue status class created updated retry replays acount first note origin latest attempts
local function row(e)
  return { e.id, e.queue, e.status, e.class, tostring(e.created), tostring(e.updated), tostring(e.retry), tostring(e.replays),
    tostring(e.acount), e.first, e.note, e.origin, e.latest, redis.call('LRANGE', B .. ':a:' .. e.id, 0, -1) }
end

local function set_of(csv)
  local s, any = {}, false
  for x in string.gmatch(csv, '[^,]+') do s[x] = true; any = true end
  if any then return s end
  return nil
end

-- ids from index zset ix (oldest first) after the cursor (cat, cid) that match the filter, at most limit
-- f = { queue, statuses (set or nil), class, lo, hi }
local function scan(ix, f, cat, cid, limit)
  local out, offset, batch = {}, 0, 200
  local lo = math.max(f.lo, cat)
  while #out < limit do
    local page = redis.call('ZRANGEBYSCORE', ix, lo, f.hi, 'WITHSCORES', 'LIMIT', offset, batch)
    if #page == 0 then break end
    for i = 1, #page, 2 do
      local id, sc = page[i], tonumber(page[i + 1])
      if sc > cat or id > cid then
        local e = load(id)
        if e and (f.queue == '' or e.queue == f.queue) and (not f.statuses or f.statuses[e.status])
          and (f.class == '' or e.class == f.class) then
          out[#out + 1] = e
          if #out >= limit then break end
        end
      end
    end
    offset = offset + batch
  end
  return out
end
`;
