-- Creates or replaces an API key and its two orderings, then tells every gateway (the admin kill
-- switch relies on this reaching all of them at once). Revocation is final: over a revoked key the
-- write is stored with status REVOKED (ARGV[6], the same key already encoded so).
-- A revoked key is in the index of revoked keys, scored by its revocation time (see replace_key.lua).
-- KEYS  key JSON, all keys sorted set, the developer's keys sorted set (both scored by createdAt), revoked
--       keys sorted set
-- ARGV  id, JSON, createdAt, change channel, change message, JSON with status REVOKED, the revocation
--       time of ARGV[2] ('' when not revoked), the revocation time of ARGV[6]
local json = ARGV[2]
local revokedAt = ARGV[7]
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).status == 'REVOKED' then
  json = ARGV[6]
  revokedAt = ARGV[8]
end
if revokedAt ~= '' then
  redis.call('ZADD', KEYS[4], 'NX', revokedAt, ARGV[1])
end
redis.call('SET', KEYS[1], json)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
