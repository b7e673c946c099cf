-- Removes an API key and its orderings, then tells every gateway (so caches drop it).
-- KEYS  key JSON, all keys sorted set, the developer's keys sorted set, revoked keys sorted set
-- ARGV  id, change channel, change message
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
