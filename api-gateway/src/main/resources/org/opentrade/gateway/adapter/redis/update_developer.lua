-- Replaces a stored developer, then tells every gateway. The email index must already name this
-- developer: that refuses unknown developers and email changes (which would need their own
-- uniqueness check) in the same atomic step as the write.
-- KEYS  email index of the (lower-cased) email, developer JSON
-- ARGV  id, JSON, change channel, change message
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('ERR unknown developer, or its email changed: ' .. ARGV[1])
end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
