-- One rate-limit decision: exactly the arithmetic of org.opentrade.gateway.domain.Gcra.decide,
-- run atomically in Redis so gateways sharing a bucket never over-admit.
-- KEYS[1]  the bucket; holds its theoretical arrival time (tat), µs since the epoch
-- ARGV     limit, period µs, emission interval µs (Gcra.intervalMicros), cost,
--          [now µs: tests only; otherwise the server's clock, so gateways with skewed clocks agree]
-- Returns  {allowed 0|1, remaining, reset ms, retry-after ms, tat after the call}
-- Lua numbers are doubles: exact for integers below 2^53 (µs until the year 2255). Every division
-- below has a non-negative dividend, or its result is clamped at 0, so math.floor gives Java's
-- integer division.
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local now
if ARGV[5] then
  now = tonumber(ARGV[5])
else
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')

local function ceil_millis(micros)
  return math.floor((micros + 999) / 1000)
end

local base = math.max(tat, now)
local candidate = base + cost * interval
if candidate - now <= period then
  local remaining = math.min(limit, math.floor((period - (candidate - now)) / interval))
  -- cost 0 only reads. Otherwise the key lives until the bucket is full again: after that a
  -- missing key (tat 0) means the same as the stored one.
  if cost > 0 then
    redis.call('SET', KEYS[1], string.format('%d', candidate), 'PX', math.max(1, ceil_millis(candidate - now)))
  end
  return {1, remaining, ceil_millis(candidate - now), 0, candidate}
end
local remaining = math.max(0, math.floor((period - (base - now)) / interval))
return {0, remaining, ceil_millis(base - now), math.max(1, ceil_millis(candidate - now - period)), tat}
