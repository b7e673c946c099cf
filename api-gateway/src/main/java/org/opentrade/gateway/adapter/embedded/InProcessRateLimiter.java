package org.opentrade.gateway.adapter.embedded;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.opentrade.gateway.domain.Gcra;
import org.opentrade.gateway.domain.RateDecision;
import org.opentrade.gateway.domain.RateLimit;
import org.opentrade.gateway.port.RateLimiter;

/**
 * GCRA buckets in this process: the all-in-one's limiter, and the local fallback of a gateway whose
 * shared (Redis) limiter is unreachable. One map entry per bucket, updated atomically with
 * {@code compute}; buckets that have refilled completely are swept now and then. Limiter state is
 * not persisted: after a restart every bucket starts full, which only ever admits more, never less.
 */
public final class InProcessRateLimiter implements RateLimiter {
    private static final int SWEEP_EVERY = 1 << 16;

    private final Map<String, long[]> tats = new ConcurrentHashMap<>();
    private final LongSupplier nowMicros;
    private final AtomicLong calls = new AtomicLong();

    /** @param nowMicros the clock in microseconds (tests pass a manual one) */
    public InProcessRateLimiter(LongSupplier nowMicros) {
        this.nowMicros = nowMicros;
    }

    /**
     * On a monotonic microsecond clock (wall time at construction plus elapsed {@code nanoTime}). Only
     * differences matter to GCRA; a clock that stepped back (as adding {@code nanoTime}'s sub-millisecond
     * digits to the wall clock's milliseconds did) made a bucket look fuller than it is.
     */
    public InProcessRateLimiter() {
        this(monotonicMicros());
    }

    private static LongSupplier monotonicMicros() {
        long originMicros = System.currentTimeMillis() * 1000;
        long originNanos = System.nanoTime();
        return () -> originMicros + (System.nanoTime() - originNanos) / 1000;
    }

    /** Completes at once, on the calling thread. */
    @Override
    public CompletionStage<RateDecision> acquire(String bucket, RateLimit limit, int cost) {
        return CompletableFuture.completedFuture(decide(bucket, limit, cost));
    }

    /** The decision, synchronously. */
    public RateDecision decide(String bucket, RateLimit limit, int cost) {
        long now = nowMicros.getAsLong();
        RateDecision[] out = new RateDecision[1];
        tats.compute(bucket, (k, state) -> {
            long tat = state == null ? 0 : state[0];
            Gcra.Result r = Gcra.decide(tat, now, limit, cost);
            out[0] = r.decision();
            if (state == null) {
                return new long[] {r.newTat()};
            }
            state[0] = r.newTat();
            return state;
        });
        if ((calls.incrementAndGet() & (SWEEP_EVERY - 1)) == 0) {
            tats.entrySet().removeIf(e -> e.getValue()[0] <= now);
        }
        return out[0];
    }

    /** Buckets held; for tests and metrics. */
    public int buckets() {
        return tats.size();
    }

    @Override
    public CompletionStage<Void> close() {
        tats.clear();
        return CompletableFuture.completedFuture(null);
    }
}
