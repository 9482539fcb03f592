-- Helpers prepended to the write scripts (Redis scripts cannot import one another).

-- Applies counter deltas given as ARGV[start] = n followed by n pairs (name, by).
local function apply_counters(counters_key, start)
  local n = tonumber(ARGV[start])
  for i = 1, n do
    redis.call('HINCRBY', counters_key, ARGV[start + 2 * i - 1], ARGV[start + 2 * i])
  end
end

local function bump(tbl, name, by)
  if name == '' or by == 0 then return end
  local value = (tonumber(tbl[name]) or 0) + by
  if value == 0 then tbl[name] = nil else tbl[name] = value end
end

-- Keeps the seed's summary JSON ({ total, byStatus, byType }) current. Only this flat table of
-- numbers goes through cjson.encode; proposals are never re-encoded in Lua (cjson turns empty
-- arrays into {} and prints big numbers in exponent form).
local function bump_summary(summary_key, proposal_type, from_status, to_status, total_by)
  local raw = redis.call('GET', summary_key)
  local summary = raw and cjson.decode(raw) or {}
  if type(summary.byStatus) ~= 'table' then summary.byStatus = {} end
  if type(summary.byType) ~= 'table' then summary.byType = {} end
  summary.total = (tonumber(summary.total) or 0) + total_by
  bump(summary.byStatus, from_status, -1)
  bump(summary.byStatus, to_status, 1)
  bump(summary.byType, proposal_type, total_by)
  redis.call('SET', summary_key, cjson.encode(summary))
end

-- Reads only the version and status of a stored proposal; the JSON string itself stays as Node wrote it.
local function read_head(raw)
  local doc = cjson.decode(raw)
  return tonumber(doc.version), doc.status
end
