import { LIMITER_LIB_LUA } from './limiter-lib.lua';

/** limiterAdmin: apply a response's observation to the bucket ('adapt'), or read its effective state ('state'). */
export const LIMITER_ADMIN_LUA = String.raw`
-- KEYS[1] bucket state (JSON string)
-- ARGV[1] bucket key shown in the view  ARGV[2] spec JSON { ratePerSec, burst, unit?, dailyReserveShare? }
-- ARGV[3] ms added to Redis TIME (tests)  ARGV[4] idle ttl ms  ARGV[5] op: adapt | state
-- ARGV[6] observation JSON { windows: [{ name, unit, remaining, limit?, windowMs?, resetInMs? }], daily?, pauseMs?, pauseReason? } (adapt)
-- returns JSON view
` + LIMITER_LIB_LUA + String.raw`
local now = now_ms(tonumber(ARGV[3]))
local spec = cjson.decode(ARGV[2])
local r = load(KEYS[1], spec, now)
if ARGV[5] == 'adapt' then
  adapt(r, spec, cjson.decode(ARGV[6]), now)
  save(KEYS[1], r, spec, now, tonumber(ARGV[4]))
elseif ARGV[5] ~= 'state' then
  return redis.error_reply('ERR unknown limiter op ' .. tostring(ARGV[5]))
end
return cjson.encode(view(ARGV[1], r, spec, now))
`;
