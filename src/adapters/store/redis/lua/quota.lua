-- Takes one unit of a quota. KEYS: 1 quota. ARGV: 1 limit, 2 window (ms). Returns 1 when taken, 0 when used up.
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
if used == 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
