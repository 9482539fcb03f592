-- Files a new proposal, unless its fingerprint already has an open one.
-- KEYS: 1 fingerprint, 2 proposal the fingerprint pointed to when Node read it (or the new one),
--       3 new proposal, 4 its history, 5 activity, 6 counters, 7 summary,
--       8 index all, 9 index status, 10 index type, 11 index status+type, 12 list rows
-- ARGV: 1 id the fingerprint pointed to ('' for none), 2 new id, 3 proposal JSON, 4 history entry JSON,
--       5 activity entry JSON, 6 createdAt (ms, the index score), 7 activity max length,
--       8 type, 9 open statuses joined by ',', 10 list row JSON, 11.. counter deltas (n, then name/by pairs)
-- Returns {'CREATED'} | {'STALE'} | {'EXISTS', id, status} | {'ID_TAKEN'}

local seen = redis.call('GET', KEYS[1]) or ''
-- The fingerprint already names our own new id, which Node had not seen: ioredis re-sent this very
-- call after its reply was lost, and the first run filed it.
if seen == ARGV[2] and ARGV[1] ~= ARGV[2] then return {'CREATED'} end
-- Someone filed or swept in between: Node reads again and decides again.
if seen ~= ARGV[1] then return {'STALE'} end

if seen ~= '' then
  local raw = redis.call('GET', KEYS[2])
  if raw then
    local _, status = read_head(raw)
    if string.find(',' .. ARGV[9] .. ',', ',' .. status .. ',', 1, true) then
      return {'EXISTS', seen, status}
    end
  end
end
if redis.call('EXISTS', KEYS[3]) == 1 then return {'ID_TAKEN'} end

local id = ARGV[2]
redis.call('SET', KEYS[3], ARGV[3])
redis.call('XADD', KEYS[4], '*', 'entry', ARGV[4])
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[7], '*', 'entry', ARGV[5])
for i = 8, 11 do redis.call('ZADD', KEYS[i], ARGV[6], id) end
redis.call('SET', KEYS[1], id)
redis.call('HSET', KEYS[12], id, ARGV[10])
apply_counters(KEYS[6], 11)
bump_summary(KEYS[7], ARGV[8], '', 'pending', 1)
return {'CREATED'}
