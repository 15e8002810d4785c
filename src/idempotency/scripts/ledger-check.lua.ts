import { LEDGER_LIB_LUA } from './ledger-lib.lua';

/** ledgerCheck: the live record (or none) and the Redis time it was read at; writes nothing. */
export const LEDGER_CHECK_LUA = String.raw`
-- KEYS[1] the key's record (hash: state owner fp lease first done result attempt expires updated)
-- ARGV[1] ms added to Redis TIME (tests)
-- returns JSON { now, record? } with record in LedgerRecord field names
` + LEDGER_LIB_LUA + String.raw`
local now = now_ms(tonumber(ARGV[1]))
local r = load(KEYS[1], now)
if not r then return cjson.encode({ now = now }) end
return cjson.encode({ now = now, record = { state = r.state, owner = r.owner, fingerprint = r.fp,
  leaseExpiresAt = r.lease, firstClaimedAt = r.first, completedAt = r.done, result = r.result,
  attempt = r.attempt, expiresAt = r.expires, updatedAt = r.updated } })
`;
