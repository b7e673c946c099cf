package org.opentrade.trade.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.trade.port.FairlyBounded;
import org.opentrade.trade.port.MutationAnswers;

/**
 * {@link MutationAnswers} in Redis, in the instance's key space, bounded by the same rule as the in-memory cache
 * ({@link FairlyBounded}: per account, then the oldest of the account holding the most answers or bytes), applied
 * by the script that records (fenced by the instance's claim, like every write of this process):
 * <ul>
 *   <li>{@code …:mutation-answers-lines}, a hash of id → {@link MutationAnswers.Answer#line}, where an id is
 *   {@code account TAB seq} (seq zero-padded to 19 digits, from {@code …:mutation-answers-meta}'s {@code seq});</li>
 *   <li>{@code …:mutation-answers-ids}, every id at score 0, so an account's oldest is the first of its range by
 *   {@code ZRANGEBYLEX};</li>
 *   <li>{@code …:mutation-answers-counts} and {@code …:mutation-answers-weights}, accounts scored by their answers
 *   and bytes ({@code ZREVRANGE 0 0} finds the one holding the most: ties to the id that sorts last, as
 *   {@link FairlyBounded});</li>
 *   <li>{@code …:mutation-answers-keys}, {@code account TAB key} → id (an answer recorded again under its key
 *   replaces the old one), and {@code …:mutation-answers-meta} ({@code seq}, {@code total}, {@code bytes}).</li>
 * </ul>
 * So a process of the instance on another host answers a retry as the one before it would have, and one developer's
 * flood of keyed mutations pushes out only their own answers. {@link #record} sends the script and does not wait; a
 * failure is logged (a retry of that request after a takeover then runs again). Answers an earlier version kept in
 * the list {@code …:mutation-answers} (newest whoever sent them) are still loaded, before the others.
 */
public final class RedisMutationAnswers implements MutationAnswers {
    private static final Logger LOG = Logger.getLogger(RedisMutationAnswers.class.getName());
    /**
     * KEYS: lines, ids, counts, weights, keys, meta. ARGV: the line, its account, its key, the most kept, the most
     * bytes, the most per account. Records the answer (replacing one under its key), then lets go of the oldest of
     * the account over its own bound, then of the account holding the most while a total bound is passed; returns
     * the answers kept.
     */
    static final String RECORD_SCRIPT = """
            local lines, ids, counts, weights, keys, meta = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
            local line, account, key = ARGV[1], ARGV[2], ARGV[3]
            local maxKept, maxBytes, perAccount = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
            local function drop(id)
              local acct = string.match(id, '^(.*)\t%d+$')
              local l = redis.call('HGET', lines, id)
              local size = 0
              if l then
                size = #l + 1
                local k = string.match(l, '^[^\t]*\t[^\t]*\t([^\t]*)\t')
                if k and redis.call('HGET', keys, acct .. '\t' .. k) == id then
                  redis.call('HDEL', keys, acct .. '\t' .. k)
                end
              end
              redis.call('HDEL', lines, id)
              redis.call('ZREM', ids, id)
              if tonumber(redis.call('ZINCRBY', counts, -1, acct)) <= 0 then
                redis.call('ZREM', counts, acct)
                redis.call('ZREM', weights, acct)
              else
                redis.call('ZINCRBY', weights, -size, acct)
              end
              redis.call('HINCRBY', meta, 'total', -1)
              redis.call('HINCRBY', meta, 'bytes', -size)
            end
            local function oldestOf(acct)
              return redis.call('ZRANGEBYLEX', ids, '[' .. acct .. '\t', '(' .. acct .. '\t:', 'LIMIT', 0, 1)[1]
            end
            local previous = redis.call('HGET', keys, account .. '\t' .. key)
            if previous then
              drop(previous)
            end
            local seq = redis.call('HINCRBY', meta, 'seq', 1)
            local id = account .. '\t' .. string.format('%019d', seq)
            redis.call('HSET', lines, id, line)
            redis.call('ZADD', ids, 0, id)
            redis.call('HSET', keys, account .. '\t' .. key, id)
            local held = tonumber(redis.call('ZINCRBY', counts, 1, account))
            redis.call('ZINCRBY', weights, #line + 1, account)
            redis.call('HINCRBY', meta, 'total', 1)
            redis.call('HINCRBY', meta, 'bytes', #line + 1)
            if held > perAccount then
              drop(oldestOf(account))
            end
            while tonumber(redis.call('HGET', meta, 'total')) > maxKept do
              drop(oldestOf(redis.call('ZREVRANGE', counts, 0, 0)[1]))
            end
            while tonumber(redis.call('HGET', meta, 'bytes')) > maxBytes and tonumber(redis.call('HGET', meta, 'total')) > 0 do
              drop(oldestOf(redis.call('ZREVRANGE', weights, 0, 0)[1]))
            end
            return tonumber(redis.call('HGET', meta, 'total'))
            """;
    /** Lines per read when loading. */
    private static final int READ_CHUNK = 10_000;

    private final TradeRedis redis;
    private final String legacyList;
    private final String[] keys;
    private final Bounds bounds;
    private final String recordDigest;

    /** Keeps {@link Bounds#DEFAULT} at most. Loads the script (blocks once); {@code redis} stays the caller's. */
    public RedisMutationAnswers(TradeRedis redis) {
        this(redis, Bounds.DEFAULT);
    }

    /** Keeps {@code bounds} at most (tests use small ones). */
    public RedisMutationAnswers(TradeRedis redis, Bounds bounds) {
        this.redis = redis;
        this.legacyList = redis.options().key("mutation-answers");
        this.keys = new String[] {redis.options().key("mutation-answers-lines"), redis.options().key("mutation-answers-ids"),
                redis.options().key("mutation-answers-counts"), redis.options().key("mutation-answers-weights"),
                redis.options().key("mutation-answers-keys"), redis.options().key("mutation-answers-meta")};
        this.bounds = bounds;
        this.recordDigest = redis.await(redis.async().scriptLoad(redis.fenced(RECORD_SCRIPT)),
                "loading the mutation answers' script");
    }

    @Override
    public List<Answer> load(long now) {
        MutationAnswers.Newest newest = new MutationAnswers.Newest(now, bounds);
        // An earlier version's list first (its answers are older than any recorded here since), chunk by chunk.
        for (long from = 0; ; from += READ_CHUNK) {
            List<byte[]> chunk = redis.await(redis.async().lrange(legacyList, from, from + READ_CHUNK - 1),
                    "reading the mutation answers");
            for (byte[] line : chunk) {
                newest.add(Answer.parse(new String(line, StandardCharsets.UTF_8)));
            }
            if (chunk.size() < READ_CHUNK) {
                break;
            }
        }
        // Then what the script keeps (within the bounds), in record order: by the seq ending each id.
        java.util.TreeMap<Long, String> bySeq = new java.util.TreeMap<>();
        for (long from = 0; ; from += READ_CHUNK) {
            List<byte[]> ids = redis.await(redis.async().zrange(keys[1], from, from + READ_CHUNK - 1),
                    "reading the mutation answers");
            if (!ids.isEmpty()) {
                String[] fields = ids.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toArray(String[]::new);
                List<io.lettuce.core.KeyValue<String, byte[]>> lines = redis.await(redis.async().hmget(keys[0], fields),
                        "reading the mutation answers");
                for (io.lettuce.core.KeyValue<String, byte[]> kv : lines) {
                    if (kv.hasValue()) {
                        String id = kv.getKey();
                        bySeq.put(Long.parseLong(id.substring(id.lastIndexOf('\t') + 1)),
                                new String(kv.getValue(), StandardCharsets.UTF_8));
                    }
                }
            }
            if (ids.size() < READ_CHUNK) {
                break;
            }
        }
        bySeq.values().forEach(line -> newest.add(Answer.parse(line)));
        return newest.answers();
    }

    @Override
    public void record(Answer answer) {
        try {
            redis.async().<Long>evalsha(recordDigest, ScriptOutputType.INTEGER, redis.guardedKeys(keys),
                    redis.guardedArgs(answer.line().getBytes(StandardCharsets.UTF_8),
                            answer.account().getBytes(StandardCharsets.UTF_8),
                            answer.key().getBytes(StandardCharsets.UTF_8),
                            Integer.toString(bounds.maxKept()).getBytes(StandardCharsets.US_ASCII),
                            Long.toString(bounds.maxBytes()).getBytes(StandardCharsets.US_ASCII),
                            Integer.toString(bounds.perAccount()).getBytes(StandardCharsets.US_ASCII)))
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
