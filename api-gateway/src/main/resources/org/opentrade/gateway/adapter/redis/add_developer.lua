-- Adds a developer unless the email is taken: the email claim and the writes are one atomic step,
-- so two sign-ups with one email on two gateways cannot both succeed, and a refused one stores nothing.
-- KEYS  email index (lower-cased email -> id), developer JSON, developers sorted set (createdAt, id)
-- ARGV  id, JSON, createdAt
-- Returns 1 when added, 0 when the email is taken
if redis.call('EXISTS', KEYS[2]) == 1 then
  return redis.error_reply('ERR developer id already exists: ' .. ARGV[1])
end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  return 0
end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return 1
