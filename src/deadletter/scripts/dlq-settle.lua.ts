import { DLQ_LIB_LUA } from './dlq-lib.lua';

/** dlqSettle: resolve or discard open entries, by ids or by filter, in one step. */
export const DLQ_SETTLE_LUA = String.raw`
-- KEYS[1] base key of the dead-letter space (see dlq-lib)
-- ARGV[1] new status (resolved | discarded)  ARGV[2] note ('' = keep)  ARGV[3] mode (ids | filter)
-- ARGV[4] ms added to Redis TIME (tests)
-- ids mode:    ARGV[5..] ids
-- filter mode: ARGV[5] index suffix  ARGV[6] queue  ARGV[7] statuses csv (open ones)  ARGV[8] class
--              ARGV[9] min age ms (-1)  ARGV[10] max age ms (-1)  ARGV[11] limit
-- returns the ids whose status changed
` + DLQ_LIB_LUA + String.raw`
local now = now_ms(tonumber(ARGV[4]))
local to, note = ARGV[1], ARGV[2]
local targets = {}
if ARGV[3] == 'ids' then
  for i = 5, #ARGV do
    local e = load(ARGV[i])
    if e then targets[#targets + 1] = e end
  end
else
  local f = { queue = ARGV[6], statuses = set_of(ARGV[7]), class = ARGV[8], lo = -1, hi = '+inf' }
  local minage, maxage = tonumber(ARGV[9]), tonumber(ARGV[10])
  if maxage >= 0 then f.lo = now - maxage end
  if minage >= 0 then f.hi = now - minage end
  targets = scan(B .. ':' .. ARGV[5], f, -1, '', tonumber(ARGV[11]))
end
local changed = {}
for _, e in ipairs(targets) do
  if e.status == 'new' or e.status == 'requeued' then
    unindex(e)
    e.status, e.updated = to, now
    if note ~= '' then e.note = note end
    save(e)
    index(e, now)
    changed[#changed + 1] = e.id
  end
end
return changed
`;
