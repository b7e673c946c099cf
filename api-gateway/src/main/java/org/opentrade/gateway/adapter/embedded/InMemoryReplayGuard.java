package org.opentrade.gateway.adapter.embedded;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.opentrade.gateway.port.ReplayGuard;

/**
 * Signatures seen within the replay window, in this process (the all-in-one). Not persisted: the
 * window is seconds long, and a restart takes longer than that in practice.
 */
public final class InMemoryReplayGuard implements ReplayGuard {
    private static final int SWEEP_EVERY = 1 << 12;

    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final LongSupplier nowMillis;
    private final AtomicLong calls = new AtomicLong();

    public InMemoryReplayGuard(LongSupplier nowMillis) {
        this.nowMillis = nowMillis;
    }

    public InMemoryReplayGuard() {
        this(System::currentTimeMillis);
    }

    @Override
    public CompletionStage<Boolean> firstUse(String signature, long ttlMillis) {
        long now = nowMillis.getAsLong();
        boolean[] first = new boolean[1];
        expiries.compute(signature, (k, until) -> {
            if (until == null || until <= now) {
                first[0] = true;
                return now + ttlMillis;
            }
            return until;
        });
        if ((calls.incrementAndGet() & (SWEEP_EVERY - 1)) == 0) {
            expiries.values().removeIf(until -> until <= now);
        }
        return CompletableFuture.completedFuture(first[0]);
    }

    @Override
    public CompletionStage<Boolean> recorded(String id) {
        Long until = expiries.get(id);
        return CompletableFuture.completedFuture(until != null && until > nowMillis.getAsLong());
    }

    @Override
    public CompletionStage<Void> close() {
        expiries.clear();
        return CompletableFuture.completedFuture(null);
    }
}
