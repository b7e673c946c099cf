package org.opentrade.gateway.domain;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.opentrade.gateway.port.RateLimiter;

/**
 * The limiter with the failure policy around it. While the shared limiter (Redis) answers, it
 * decides. When it fails: routes that fail open (market data, reads) are decided by a local limiter
 * with the limit divided by the number of gateways, so the fleet as a whole stays near the limit;
 * order entry fails closed (the caller answers 503 -3003). Cancels never reach this class.
 * {@link #degradedDecisions()} counts the local decisions, for the metrics.
 */
public final class PolicyRateLimiter {
    private final RateLimiter shared;
    private final RateLimiter local;
    private final int gateways;
    private final LongAdder degraded = new LongAdder();
    private final LongAdder refusedUnavailable = new LongAdder();

    /**
     * @param local    the fallback, or the same object as {@code shared} when there is no shared store
     * @param gateways how many gateways share the shared limiter (the local share is limit ÷ this)
     */
    public PolicyRateLimiter(RateLimiter shared, RateLimiter local, int gateways) {
        if (gateways < 1) {
            throw new IllegalArgumentException("gateways must be at least 1, got " + gateways);
        }
        this.shared = shared;
        this.local = local;
        this.gateways = gateways;
    }

    public CompletionStage<LimitOutcome> acquire(String bucket, RateLimit limit, int cost, RouteClass routeClass) {
        CompletableFuture<LimitOutcome> out = new CompletableFuture<>();
        CompletionStage<RateDecision> first;
        try {
            first = shared.acquire(bucket, limit, cost);
        } catch (RuntimeException e) {
            first = CompletableFuture.failedFuture(e);
        }
        first.whenComplete((decision, err) -> {
            if (err == null) {
                out.complete(new LimitOutcome(decision, false));
            } else if (shared == local || !routeClass.failOpen()) {
                refusedUnavailable.increment();
                out.complete(new LimitOutcome(null, false));
            } else {
                degraded.increment();
                local.acquire(bucket, limit.share(gateways), cost).whenComplete((d, e2) ->
                        out.complete(new LimitOutcome(e2 == null ? d : null, true)));
            }
        });
        return out;
    }

    /** Decisions taken by the local fallback because the shared limiter was unreachable. */
    public long degradedDecisions() {
        return degraded.sum();
    }

    /** Requests refused (503) because the shared limiter was unreachable. */
    public long refusedUnavailable() {
        return refusedUnavailable.sum();
    }
}
