-- Replaces a stored API key only if it is still exactly the JSON the new one was computed from
-- (compare-and-set), so a change computed from a stale read (a rotation that read ACTIVE while an
-- administrator killed the key) is never written; the caller reads again and recomputes. A revoked
-- key is never given another status. Publishes the change like put_key.lua.
-- A key that becomes revoked joins the index of revoked keys (scored by its revocation time, ARGV[5]), which
-- the hourly sweep reads to delete revoked keys past their retention.
-- KEYS  key JSON, revoked keys sorted set
-- ARGV  expected JSON, new JSON, change channel, change message, revocation time ('' when not revoked), id
-- Returns 1 written, 0 the key changed (or vanished) since it was read, -1 refused (revoked is final).
local current = redis.call('GET', KEYS[1])
if current ~= ARGV[1] then
  return 0
end
if cjson.decode(current).status == 'REVOKED' and cjson.decode(ARGV[2]).status ~= 'REVOKED' then
  return -1
end
redis.call('SET', KEYS[1], ARGV[2])
if ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[2], 'NX', ARGV[5], ARGV[6])
end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
