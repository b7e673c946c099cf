-- Creates an API key unless its developer already has ARGV[6] keys that are not revoked: the count
-- and the write are one atomic step, so parallel creates on any number of gateways cannot pass the
-- quota. The count reads each of the developer's keys (revoked ones included: they are kept), so
-- the script reads keys it is not given in KEYS, under the prefix ARGV[7]: single-node Redis only.
-- KEYS  key JSON, all keys sorted set, the developer's keys sorted set (both scored by createdAt)
-- ARGV  id, JSON, createdAt, change channel, change message, max live keys, key-name prefix
local live = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  local json = redis.call('GET', ARGV[7] .. id)
  if json and cjson.decode(json).status ~= 'REVOKED' then
    live = live + 1
  end
end
if live >= tonumber(ARGV[6]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
