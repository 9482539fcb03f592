-- One page of the list, read from the index zsets in the order given, as one concatenated list:
-- a single zset for a newest-first (or oldest-first) list, one per status in LIST_STATUS_ORDER for
-- the status sort. The total is the sum of the zsets' sizes, kept by every write: nothing is counted.
-- KEYS: 1 list rows, 2.. index zsets in list order
-- ARGV: 1 offset, 2 limit, 3 'newest' or 'oldest' (the order inside each zset)
-- Returns {total, id, row, id, row, ...}; row is '' for a proposal without a list row yet (filed
-- before rows existed), which Node builds and stores (backfill.lua).

local offset = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local newest = ARGV[3] == 'newest'
local sizes = {}
local total = 0
for i = 2, #KEYS do
  sizes[i] = redis.call('ZCARD', KEYS[i])
  total = total + sizes[i]
end

local ids = {}
local skip = offset
for i = 2, #KEYS do
  if #ids >= limit then break end
  if skip >= sizes[i] then
    skip = skip - sizes[i]
  else
    local last = skip + (limit - #ids) - 1
    local page
    if newest then page = redis.call('ZREVRANGE', KEYS[i], skip, last) else page = redis.call('ZRANGE', KEYS[i], skip, last) end
    for _, id in ipairs(page) do ids[#ids + 1] = id end
    skip = 0
  end
end

local reply = { total }
if #ids > 0 then
  local rows = redis.call('HMGET', KEYS[1], unpack(ids))
  for j, id in ipairs(ids) do
    reply[#reply + 1] = id
    reply[#reply + 1] = rows[j] or ''
  end
end
return reply
