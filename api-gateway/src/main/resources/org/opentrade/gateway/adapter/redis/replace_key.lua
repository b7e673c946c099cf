-- Replaces a stored API key only if it is still exactly the JSON the new one was computed from
-- (compare-and-set), so a change computed from a stale read (a rotation that read ACTIVE while an
-- administrator killed the key) is never written; the caller reads again and recomputes. A revoked
-- key is never given another status. Publishes the change like put_key.lua.
-- KEYS  key JSON
-- ARGV  expected JSON, new JSON, change channel, change message
-- Returns 1 written, 0 the key changed (or vanished) since it was read, -1 refused (revoked is final).
local current = redis.call('GET', KEYS[1])
if current ~= ARGV[1] then
  return 0
end
if cjson.decode(current).status == 'REVOKED' and cjson.decode(ARGV[2]).status ~= 'REVOKED' then
  return -1
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
