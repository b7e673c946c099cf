package org.opentrade.trade.adapter.redis;

/**
 * Scripts of the append-only logs trade-api keeps as Redis lists (the intent log, the order stream's
 * journal): a list whose head is trimmed off, and a base key counting what was trimmed, so that
 * {@code base + position + 1} is a record's index for good.
 */
final class RedisLists {
    /** KEYS: list, base. Returns {base, length}, read together. */
    static final String OPEN_SCRIPT = """
            return {tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('LLEN', KEYS[1])}
            """;
    /**
     * KEYS: list, base. ARGV: the base expected, records to drop off the head, then '1' and a record to put at the
     * new head in place of the last one dropped, or '0' and ''. Returns the new base; refuses (writing nothing)
     * when the base is not the one expected or the list is shorter.
     */
    static final String TRIM_SCRIPT = """
            local base = tonumber(redis.call('GET', KEYS[2]) or '0')
            if base ~= tonumber(ARGV[1]) then
              return redis.error_reply(KEYS[1] .. ': its base is ' .. base .. ', this process expected ' .. ARGV[1])
            end
            local n = tonumber(ARGV[2])
            if n > redis.call('LLEN', KEYS[1]) then
              return redis.error_reply(KEYS[1] .. ': cannot trim ' .. n .. ' records off a shorter list')
            end
            redis.call('LTRIM', KEYS[1], n, -1)
            if ARGV[3] == '1' then
              redis.call('LPUSH', KEYS[1], ARGV[4])
              n = n - 1
            end
            redis.call('SET', KEYS[2], base + n)
            return base + n
            """;

    private RedisLists() {
    }
}
