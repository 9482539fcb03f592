-- Applies a write Node planned (a transition or a refresh) if, and only if, the proposal is still at
-- the version Node planned it on and the idempotency key has not been used.
-- KEYS: 1 proposal, 2 history, 3 activity, 4 idempotency record, 5 counters, 6 summary, 7 expiry,
--       8 index of the old status, 9 index of the new status,
--       10 index of the old status+type, 11 index of the new status+type, 12 list rows
-- ARGV: 1 base version, 2 new proposal JSON, 3 history entry JSON, 4 activity entry JSON, 5 id,
--       6 createdAt (ms, the index score), 7 end of retention (ms) or '' while open,
--       8 activity max length, 9 idempotency record TTL in seconds,
--       10 nonce of this call, 11 type, 12 old status, 13 new status, 14 list row JSON, 15.. counter deltas
-- Returns {'APPLIED', version} | {'DUPLICATE', version, id the key was applied to} | {'NOT_FOUND'} | {'STALE', version}

local record = redis.call('GET', KEYS[4])
if record then
  local first = cjson.decode(record)
  -- Same nonce: ioredis re-sent this very call after losing the reply; answer as the first run did.
  if first.nonce == ARGV[10] then return {'APPLIED', first.version} end
  return {'DUPLICATE', first.version, first.proposalId}
end

local raw = redis.call('GET', KEYS[1])
if not raw then return {'NOT_FOUND'} end
local version = read_head(raw)
if version ~= tonumber(ARGV[1]) then return {'STALE', version} end

local id = ARGV[5]
local next_version = version + 1
redis.call('SET', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[12], id, ARGV[14])
redis.call('XADD', KEYS[2], '*', 'entry', ARGV[3])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[8], '*', 'entry', ARGV[4])
if ARGV[12] ~= ARGV[13] then
  redis.call('ZREM', KEYS[8], id)
  redis.call('ZADD', KEYS[9], ARGV[6], id)
  redis.call('ZREM', KEYS[10], id)
  redis.call('ZADD', KEYS[11], ARGV[6], id)
  bump_summary(KEYS[6], ARGV[11], ARGV[12], ARGV[13], 0)
end
apply_counters(KEYS[5], 15)
if ARGV[7] ~= '' then
  redis.call('ZADD', KEYS[7], ARGV[7], id)
else
  redis.call('ZREM', KEYS[7], id)
end
redis.call('SET', KEYS[4], cjson.encode({ nonce = ARGV[10], proposalId = id, version = next_version }), 'EX', ARGV[9])
return {'APPLIED', next_version}
