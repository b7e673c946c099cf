package org.opentrade.gateway.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.opentrade.gateway.domain.Gcra;
import org.opentrade.gateway.domain.RateDecision;
import org.opentrade.gateway.domain.RateLimit;
import org.opentrade.gateway.port.RateLimiter;

/**
 * GCRA shared by every gateway: one Lua script ({@code gcra.lua}) per decision, on one Redis string
 * {@code <prefix>rl:<bucket>} holding the bucket's theoretical arrival time in µs, expiring when the
 * bucket is full again. The script reads the Redis server's clock, so gateways whose clocks disagree
 * still agree on every bucket; it computes exactly what {@link Gcra#decide} computes.
 *
 * <p>Cost: one round trip (EVALSHA) per call. Never blocks; thread-safe; stages complete on a Lettuce
 * I/O thread. While Redis is down or slow a call fails within the command timeout and the caller
 * applies its failure policy.
 */
public final class RedisRateLimiter implements RateLimiter {

    private final RedisConnections redis;
    private final RedisScript script;

    /** Borrows {@code redis}; {@link #close()} leaves it open. */
    public RedisRateLimiter(RedisConnections redis) {
        this.redis = redis;
        this.script = RedisScript.load("gcra", redis.async());
    }

    @Override
    public CompletionStage<RateDecision> acquire(String bucket, RateLimit limit, int cost) {
        return decide(bucket, limit, cost, null).thenApply(Gcra.Result::decision);
    }

    /**
     * The decision and the bucket's state after it, as {@link Gcra.Result}. {@code nowMicros}, when
     * not null, replaces the server clock: for tests that hold the script to {@link Gcra#decide}.
     */
    CompletionStage<Gcra.Result> decide(String bucket, RateLimit limit, int cost, Long nowMicros) {
        if (cost < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("cost must not be negative: " + cost));
        }
        String[] args = {
                Long.toString(limit.limit()),
                Long.toString(limit.periodMillis() * 1000),
                Long.toString(Gcra.intervalMicros(limit)),
                Integer.toString(cost)};
        if (nowMicros != null) {
            args = new String[] {args[0], args[1], args[2], args[3], nowMicros.toString()};
        }
        return script.<List<Long>>run(redis.async(), ScriptOutputType.MULTI, new String[] {redis.key("rl:" + bucket)},
                args).thenApply(reply -> toResult(limit, reply));
    }

    private static Gcra.Result toResult(RateLimit limit, List<Long> reply) {
        RateDecision decision = new RateDecision(reply.get(0) == 1, limit.limit(), reply.get(1), reply.get(2),
                reply.get(3));
        return new Gcra.Result(decision, reply.get(4));
    }

    /** Nothing of its own to release: the connections are borrowed. */
    @Override
    public CompletionStage<Void> close() {
        return CompletableFuture.completedFuture(null);
    }
}
