import { LIMITER_LIB_LUA } from './limiter-lib.lua';

/** limiterAcquire: take tokens now, reserve a slot after a wait ≤ maxWaitMs, or refuse with the wait and why. */
export const LIMITER_ACQUIRE_LUA = String.raw`
-- KEYS[1] bucket state (JSON string)
-- ARGV[1] bucket key shown in results  ARGV[2] request JSON { ratePerSec, burst, cost?, maxWaitMs?, critical?, dailyReserveShare? }
-- ARGV[3] ms added to Redis TIME (tests)  ARGV[4] idle ttl ms
-- returns JSON { granted, waitMs, retryAt?, reason?, detail?, tokens, ratePerSec, now }
` + LIMITER_LIB_LUA + String.raw`
local now = now_ms(tonumber(ARGV[3]))
local q = cjson.decode(ARGV[2])
local r = load(KEYS[1], q, now)
local d = acquire(r, q, now)
save(KEYS[1], r, q, now, tonumber(ARGV[4]))
return cjson.encode(d)
`;
