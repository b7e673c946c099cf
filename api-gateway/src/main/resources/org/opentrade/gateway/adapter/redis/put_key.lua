-- Creates or replaces an API key and its two orderings, then tells every gateway (the admin kill
-- switch relies on this reaching all of them at once).
-- KEYS  key JSON, all keys sorted set, the developer's keys sorted set (both scored by createdAt)
-- ARGV  id, JSON, createdAt, change channel, change message
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
