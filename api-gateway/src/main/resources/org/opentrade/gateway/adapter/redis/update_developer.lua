-- Replaces a stored developer only if it is still exactly the JSON the new one was computed from
-- (compare-and-set), so a change computed from a stale read (a plan change that read "not suspended"
-- while an administrator suspended the developer) is never written; the caller reads again and
-- recomputes. The email index must still name this developer: that refuses email changes (which
-- would need their own uniqueness check) in the same atomic step. Then tells every gateway.
-- KEYS  developer JSON, email index of the (lower-cased) email
-- ARGV  id, expected JSON, new JSON, change channel, change message
-- Returns 1 written, 0 the developer changed (or vanished) since it was read
if redis.call('GET', KEYS[1]) ~= ARGV[2] then
  return 0
end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return redis.error_reply('ERR the email of developer ' .. ARGV[1] .. ' cannot change')
end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
