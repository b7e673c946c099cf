package org.opentrade.gateway.adapter.redis;

import io.lettuce.core.SetArgs;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.opentrade.gateway.port.ReplayGuard;

/**
 * Signed requests seen in the replay window, shared by every gateway: {@code SET <prefix>sig:<id> 1
 * NX PX <ttl>}, which Redis runs atomically, so of two gateways receiving the same signed request at
 * once exactly one is told "first use". Entries expire on their own.
 *
 * <p>Cost: one round trip per signed request. Never blocks; thread-safe; stages complete on a Lettuce
 * I/O thread.
 */
public final class RedisReplayGuard implements ReplayGuard {

    private final RedisConnections redis;

    /** Borrows {@code redis}; {@link #close()} leaves it open. */
    public RedisReplayGuard(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public CompletionStage<Boolean> firstUse(String signature, long ttlMillis) {
        if (ttlMillis <= 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("ttl must be positive: " + ttlMillis));
        }
        // SET NX answers "OK" when it wrote, null when the key existed.
        return redis.async().set(redis.key("sig:" + signature), "1", SetArgs.Builder.nx().px(ttlMillis))
                .thenApply("OK"::equals);
    }

    @Override
    public CompletionStage<Boolean> recorded(String id) {
        return redis.async().exists(redis.key("sig:" + id)).thenApply(n -> n > 0);
    }

    /** Nothing of its own to release: the connections are borrowed. */
    @Override
    public CompletionStage<Void> close() {
        return CompletableFuture.completedFuture(null);
    }
}
