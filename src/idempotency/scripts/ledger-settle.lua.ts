import { LEDGER_LIB_LUA } from './ledger-lib.lua';

/** ledgerSettle: the owner completes (stores the result) or releases its claim, in one step. */
export const LEDGER_SETTLE_LUA = String.raw`
-- KEYS[1] the key's record (hash: state owner fp lease first done result attempt expires updated)
-- ARGV[1] op: complete | release  ARGV[2] owner token  ARGV[3] result JSON text (complete)
-- ARGV[4] result ttl ms (complete)  ARGV[5] ms added to Redis TIME (tests)
-- returns JSON { status = completed | released | rejected, ... }
` + LEDGER_LIB_LUA + String.raw`
local now = now_ms(tonumber(ARGV[5]))
local op, owner = ARGV[1], ARGV[2]
if op ~= 'complete' and op ~= 'release' then return redis.error_reply('ERR unknown ledger op ' .. tostring(op)) end
local r = load(KEYS[1], now)
if not r or r.state == 'released' then return cjson.encode({ status = 'rejected', reason = 'not-claimed' }) end
if r.state == 'completed' then
  if op == 'complete' and r.owner == owner then
    return cjson.encode({ status = 'completed', completedAt = r.done, expiresAt = r.expires, alreadyCompleted = true })
  end
  return cjson.encode({ status = 'rejected', reason = 'already-completed', owner = r.owner })
end
if r.owner ~= owner then return cjson.encode({ status = 'rejected', reason = 'not-owner', owner = r.owner }) end
if op == 'complete' then
  r.state = 'completed'; r.done = now; r.result = ARGV[3]; r.expires = now + tonumber(ARGV[4])
  save(KEYS[1], r, now)
  return cjson.encode({ status = 'completed', completedAt = now, expiresAt = r.expires })
end
r.state = 'released'; r.owner = ''; r.lease = 0
save(KEYS[1], r, now)
return cjson.encode({ status = 'released', attempt = r.attempt })
`;
