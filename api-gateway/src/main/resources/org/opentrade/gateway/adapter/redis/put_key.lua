-- Creates or replaces an API key and its two orderings, then tells every gateway (the admin kill
-- switch relies on this reaching all of them at once). Revocation is final: over a revoked key the
-- write is stored with status REVOKED (ARGV[6], the same key already encoded so).
-- KEYS  key JSON, all keys sorted set, the developer's keys sorted set (both scored by createdAt)
-- ARGV  id, JSON, createdAt, change channel, change message, JSON with status REVOKED
local json = ARGV[2]
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).status == 'REVOKED' then
  json = ARGV[6]
end
redis.call('SET', KEYS[1], json)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
