-- Deletes one terminal proposal whose retention has ended; cumulative counters stay.
-- KEYS: 1 expiry, 2 proposal, 3 history, 4 fingerprint, 5 counters, 6 summary,
--       7 index all, 8 index status, 9 index type, 10 index status+type, 11 list rows
-- ARGV: 1 id, 2 now (ms), 3 version Node read, 4 type, 5 status, 6.. counter deltas
-- Returns 'SWEPT' | 'KEPT' (not due, or no longer terminal) | 'STALE' (changed since Node read it) | 'GONE'

local id = ARGV[1]
local due = redis.call('ZSCORE', KEYS[1], id)
if not due or tonumber(due) > tonumber(ARGV[2]) then return 'KEPT' end

local raw = redis.call('GET', KEYS[2])
if not raw then
  -- Deleted by hand: drop what still points at it.
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZREM', KEYS[7], id)
  redis.call('HDEL', KEYS[11], id)
  return 'GONE'
end
if read_head(raw) ~= tonumber(ARGV[3]) then return 'STALE' end

redis.call('DEL', KEYS[2], KEYS[3])
redis.call('HDEL', KEYS[11], id)
for i = 7, 10 do redis.call('ZREM', KEYS[i], id) end
if redis.call('GET', KEYS[4]) == id then redis.call('DEL', KEYS[4]) end
redis.call('ZREM', KEYS[1], id)
apply_counters(KEYS[5], 6)
bump_summary(KEYS[6], ARGV[4], ARGV[5], '', -1)
return 'SWEPT'
