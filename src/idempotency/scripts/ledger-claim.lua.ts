import { LEDGER_LIB_LUA } from './ledger-lib.lua';

/** ledgerClaim: new (the caller holds the key now), duplicate, in-progress or conflict, in one step. */
export const LEDGER_CLAIM_LUA = String.raw`
-- KEYS[1] the key's record (hash: state owner fp lease first done result attempt expires updated)
-- ARGV[1] owner token  ARGV[2] payload fingerprint ('' = none)  ARGV[3] lease ms  ARGV[4] record ttl ms
-- ARGV[5] ms added to Redis TIME (tests)
-- returns JSON { status = new | duplicate | in-progress | conflict, ... } (duplicate: resultJson is the stored text)
` + LEDGER_LIB_LUA + String.raw`
local now = now_ms(tonumber(ARGV[5]))
local owner, fp, lease, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local r = load(KEYS[1], now)
if not r or r.state == 'released' then
  local first, attempt = now, 1
  if r then first = r.first; attempt = r.attempt + 1 end
  save(KEYS[1], { state = 'in-progress', owner = owner, fp = fp, lease = now + lease, first = first, done = 0,
    result = '', attempt = attempt, expires = now + ttl }, now)
  return cjson.encode({ status = 'new', owner = owner, leaseExpiresAt = now + lease, attempt = attempt })
end
if fp ~= '' and r.fp ~= '' and fp ~= r.fp then
  return cjson.encode({ status = 'conflict', storedFingerprint = r.fp, state = r.state })
end
if r.state == 'completed' then
  return cjson.encode({ status = 'duplicate', resultJson = r.result, firstDoneAt = r.first, completedAt = r.done, attempt = r.attempt })
end
if r.owner ~= owner and r.lease > now then
  return cjson.encode({ status = 'in-progress', owner = r.owner, leaseExpiresAt = r.lease })
end
local renewed = r.owner == owner
local previous, expired_at = r.owner, r.lease
r.owner = owner
if r.fp == '' then r.fp = fp end
r.lease = now + lease
if not renewed then r.attempt = r.attempt + 1 end
r.expires = math.max(r.expires, now + ttl)
save(KEYS[1], r, now)
local out = { status = 'new', owner = owner, leaseExpiresAt = r.lease, attempt = r.attempt }
if renewed then out.renewed = true else out.previousOwner = previous; out.leaseExpiredAt = expired_at end
return cjson.encode(out)
`;
