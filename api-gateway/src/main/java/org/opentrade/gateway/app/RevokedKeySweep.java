package org.opentrade.gateway.app;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.port.KeyRegistry;

/**
 * Deletes revoked keys once they have been revoked longer than the retention, so a revoked key is
 * not kept for ever when its developer never comes back (the per-developer count bound,
 * {@code revoked_keys_kept}, only acts on that developer's next revocation). Each run deletes at most
 * {@code batches × batchSize} keys, one at a time, and the next run goes on: a backlog is worked off
 * without a burst of registry writes. Every gateway sweeps; a key deleted twice is no harm.
 */
final class RevokedKeySweep {
    private static final Logger LOG = Logger.getLogger(RevokedKeySweep.class.getName());

    private final KeyRegistry registry;
    private final Duration retention;
    private final int batchSize;
    private final int batches;

    RevokedKeySweep(KeyRegistry registry, Duration retention, int batchSize, int batches) {
        if (batchSize < 1 || batches < 1) {
            throw new IllegalArgumentException("batchSize and batches must be positive");
        }
        this.registry = registry;
        this.retention = retention;
        this.batchSize = batchSize;
        this.batches = batches;
    }

    /** One run at {@code nowMillis}: completes with how many keys it deleted. */
    CompletionStage<Integer> run(long nowMillis) {
        return batch(nowMillis - retention.toMillis(), batches, 0);
    }

    private CompletionStage<Integer> batch(long revokedBefore, int left, int deleted) {
        return registry.revokedBefore(revokedBefore, batchSize).thenCompose(keys -> {
            CompletionStage<Integer> chain = CompletableFuture.completedFuture(deleted);
            for (ApiKey k : keys) {
                chain = chain.thenCompose(n -> registry.deleteKey(k).thenApply(v -> n + 1));
            }
            boolean more = keys.size() == batchSize && left > 1;
            return chain.thenCompose(n -> more ? batch(revokedBefore, left - 1, n) : CompletableFuture.completedFuture(n));
        });
    }

    /** {@link #run}, logging what it did; a failure is logged and the next run tries again. */
    CompletionStage<Void> runLogged(long nowMillis) {
        return run(nowMillis).handle((n, e) -> {
            if (e != null) {
                LOG.warning("revoked-key sweep failed, the next one tries again: " + e);
            } else if (n > 0) {
                LOG.info("revoked-key sweep: deleted " + n + " keys revoked more than " + retention + " ago");
            }
            return null;
        });
    }
}
