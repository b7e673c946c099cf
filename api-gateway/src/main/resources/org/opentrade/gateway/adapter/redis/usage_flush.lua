-- Adds one key's counts of one minute, all routes, in one atomic step (a retried flush never half
-- applies a minute).
-- KEYS  the minute's hash, the key's index of minutes (sorted set, score = member = minute)
-- ARGV  minute, retention ms, then per route: route, calls 2xx, 4xx, 5xx, latency µs total, max
-- Hash fields: c2:<route> c4:<route> c5:<route> lt:<route> lm:<route>. Both keys live for the
-- retention after their last write; index members older than the retention are trimmed.
local hash, index = KEYS[1], KEYS[2]
local minute, retention = tonumber(ARGV[1]), tonumber(ARGV[2])
for i = 3, #ARGV, 6 do
  local route = ARGV[i]
  local fields = {'c2:', 'c4:', 'c5:', 'lt:'}
  for f = 1, 4 do
    if ARGV[i + f] ~= '0' then
      redis.call('HINCRBY', hash, fields[f] .. route, ARGV[i + f])
    end
  end
  local max = tonumber(ARGV[i + 5])
  local stored = tonumber(redis.call('HGET', hash, 'lm:' .. route) or '0')
  if max > stored then
    redis.call('HSET', hash, 'lm:' .. route, ARGV[i + 5])
  end
end
redis.call('PEXPIRE', hash, retention)
redis.call('ZADD', index, minute, minute)
redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. string.format('%d', minute - math.floor(retention / 60000)))
redis.call('PEXPIRE', index, retention)
return 1
