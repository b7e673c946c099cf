package org.opentrade.trade.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.trade.port.MutationAnswers;

/**
 * {@link MutationAnswers} in Redis, in the instance's key space: a list {@code …:mutation-answers} of
 * {@link MutationAnswers.Answer#line}s, newest last, and its size in bytes ({@code …:mutation-answers-bytes}),
 * trimmed to both bounds by the same script that appends (fenced by the instance's claim, like every write of
 * this process). So a process of the instance on another
 * host answers a retry as the one before it would have. {@link #record} sends the script and does not wait;
 * a failure is logged (a retry of that request after a takeover then runs again).
 */
public final class RedisMutationAnswers implements MutationAnswers {
    private static final Logger LOG = Logger.getLogger(RedisMutationAnswers.class.getName());
    /**
     * KEYS: the list, its size in bytes. ARGV: the line, the most kept, the most bytes. Appends, then drops the
     * oldest while either bound is passed; returns the length.
     */
    static final String RECORD_SCRIPT = """
            local length = redis.call('RPUSH', KEYS[1], ARGV[1])
            local bytes = redis.call('INCRBY', KEYS[2], #ARGV[1] + 1)
            while length > tonumber(ARGV[2]) or bytes > tonumber(ARGV[3]) do
              local oldest = redis.call('LPOP', KEYS[1])
              if not oldest then
                redis.call('SET', KEYS[2], 0)
                break
              end
              bytes = redis.call('DECRBY', KEYS[2], #oldest + 1)
              length = length - 1
            end
            return length
            """;
    /** Lines per LRANGE when loading. */
    private static final int READ_CHUNK = 10_000;

    private final TradeRedis redis;
    private final String list;
    private final String size;
    private final Bounds bounds;
    private final String recordDigest;

    /** Keeps {@link Bounds#DEFAULT} at most. Loads the script (blocks once); {@code redis} stays the caller's. */
    public RedisMutationAnswers(TradeRedis redis) {
        this(redis, Bounds.DEFAULT);
    }

    /** Keeps {@code bounds} at most (tests use small ones). */
    public RedisMutationAnswers(TradeRedis redis, Bounds bounds) {
        this.redis = redis;
        this.list = redis.options().key("mutation-answers");
        this.size = redis.options().key("mutation-answers-bytes");
        this.bounds = bounds;
        this.recordDigest = redis.await(redis.async().scriptLoad(redis.fenced(RECORD_SCRIPT)),
                "loading the mutation answers' script");
    }

    @Override
    public List<Answer> load(long now) {
        // Chunk by chunk: only what is kept is held (the list is trimmed to the bounds as it is appended to).
        MutationAnswers.Newest newest = new MutationAnswers.Newest(now, bounds);
        for (long from = 0; ; from += READ_CHUNK) {
            List<byte[]> chunk = redis.await(redis.async().lrange(list, from, from + READ_CHUNK - 1),
                    "reading the mutation answers");
            for (byte[] line : chunk) {
                newest.add(Answer.parse(new String(line, StandardCharsets.UTF_8)));
            }
            if (chunk.size() < READ_CHUNK) {
                break;
            }
        }
        return newest.answers();
    }

    @Override
    public void record(Answer answer) {
        try {
            redis.async().<Long>evalsha(recordDigest, ScriptOutputType.INTEGER, redis.guardedKeys(list, size),
                    redis.guardedArgs(answer.line().getBytes(StandardCharsets.UTF_8),
                            Integer.toString(bounds.maxKept()).getBytes(StandardCharsets.US_ASCII),
                            Long.toString(bounds.maxBytes()).getBytes(StandardCharsets.US_ASCII)))
                    .whenComplete((r, err) -> {
                        if (err != null) {
                            LOG.log(Level.WARNING, "mutation answers: could not record an answer in Redis (a retry of"
                                    + " that request after a takeover runs again): " + err);
                        }
                    });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "mutation answers: could not send an answer to Redis", e);
        }
    }

    @Override
    public void close() {
        // The connection is the caller's; a record still in flight completes or fails on it.
    }
}
