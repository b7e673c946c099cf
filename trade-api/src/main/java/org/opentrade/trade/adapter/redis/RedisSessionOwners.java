package org.opentrade.trade.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.opentrade.trade.port.FixSessionOwners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FixSessionOwners} in Redis, in the instance's key space, for distributed mode: a standby that takes the
 * instance over on another host holds the same names as the process before it. With the names in a file of the
 * holder's data directory, the first developer to log on there under a name took it, another developer's
 * SenderCompID included, and its owner was then refused. A hash {@code …:fix-owners} (name → developer) and
 * {@code …:fix-names} (developer → how many names), changed together by one fenced script per new name; the
 * claim is acknowledged by Redis before the Logon is answered (durable as Redis' persistence setting makes it).
 */
public final class RedisSessionOwners implements FixSessionOwners {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSessionOwners.class);
    /**
     * KEYS: owners, counts. ARGV: name, developer, the bound (0: none, for carrying names over). Returns the
     * name's owner after the call (the developer when it was nobody's), or '' when the developer holds the bound.
     */
    static final String CLAIM_SCRIPT = """
            local owner = redis.call('HGET', KEYS[1], ARGV[1])
            if owner then
              return owner
            end
            local bound = tonumber(ARGV[3])
            if bound > 0 and tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0') >= bound then
              return ''
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
            return ARGV[2]
            """;

    private final TradeRedis redis;
    private final String ownersKey;
    private final String countsKey;
    private final String claimDigest;

    /** The names of the instance of {@code redis} (the caller's connection: it stays open). Blocks once. */
    public RedisSessionOwners(TradeRedis redis) {
        this.redis = redis;
        this.ownersKey = redis.options().key("fix-owners");
        this.countsKey = redis.options().key("fix-names");
        this.claimDigest = redis.await(redis.async().scriptLoad(redis.fenced(CLAIM_SCRIPT)),
                "loading the FIX session owners' script");
    }

    /**
     * Takes over names a file store recorded (this host's, before the instance's names moved to Redis): each
     * one nobody holds in Redis becomes its developer's, whatever the bound. Blocks.
     */
    public RedisSessionOwners carryOver(Map<String, String> names) {
        int carried = 0;
        for (Map.Entry<String, String> e : names.entrySet()) {
            if (e.getValue().equals(run(e.getKey(), e.getValue(), 0))) {
                carried++;
            }
        }
        if (!names.isEmpty()) {
            LOG.info("FIX session owners: {} of {} names of the data directory's file are in redis", carried, names.size());
        }
        return this;
    }

    /** Blocks on one round trip to Redis; a Redis failure is an IOException (the Logon is refused, retryable). */
    @Override
    public String claim(String name, String developer) throws IOException {
        String owner;
        try {
            owner = run(name, developer, MAX_NAMES_PER_DEVELOPER);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (owner.isEmpty()) {
            return FixSessionOwners.fullMessage();
        }
        return owner.equals(developer) ? null : FixSessionOwners.takenMessage(name);
    }

    @Override
    public String owner(String name) {
        byte[] owner = redis.await(redis.async().hget(ownersKey, name), "reading a FIX session's owner");
        return owner == null ? null : new String(owner, StandardCharsets.UTF_8);
    }

    @Override
    public int names(String developer) {
        byte[] n = redis.await(redis.async().hget(countsKey, developer), "reading a developer's FIX sessions");
        return n == null ? 0 : Integer.parseInt(new String(n, StandardCharsets.US_ASCII));
    }

    private String run(String name, String developer, int bound) {
        byte[] owner = redis.await(redis.async().<byte[]>evalsha(claimDigest, ScriptOutputType.VALUE,
                redis.guardedKeys(ownersKey, countsKey), redis.guardedArgs(utf8(name), utf8(developer),
                        utf8(Integer.toString(bound)))), "claiming a FIX session name");
        return new String(owner, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
