-- Stores list rows Node built for proposals filed before rows existed, each only if the proposal is
-- still at the version the row was built from and no write has stored a row meanwhile.
-- KEYS: 1 list rows, then one proposal key per row
-- ARGV: id, version, row JSON per proposal, in KEYS order
-- Returns how many rows were stored.

local stored = 0
for i = 2, #KEYS do
  local at = (i - 2) * 3
  local id, version, row = ARGV[at + 1], tonumber(ARGV[at + 2]), ARGV[at + 3]
  local raw = redis.call('GET', KEYS[i])
  if raw and read_head(raw) == version and redis.call('HEXISTS', KEYS[1], id) == 0 then
    redis.call('HSET', KEYS[1], id, row)
    stored = stored + 1
  end
end
return stored
