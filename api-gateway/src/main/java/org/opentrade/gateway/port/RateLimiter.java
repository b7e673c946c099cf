package org.opentrade.gateway.port;

import java.util.concurrent.CompletionStage;
import org.opentrade.gateway.domain.RateDecision;
import org.opentrade.gateway.domain.RateLimit;

/**
 * One atomic rate-limit decision per call (GCRA): "may {@code cost} units pass on bucket
 * {@code bucket} now?". Embedded: in-process. Redis: one Lua script per decision, so two gateways
 * sharing a bucket never over-admit. A cost of 0 only reads the bucket.
 *
 * <p>Never blocks; a backend failure completes exceptionally and the caller applies the failure
 * policy.
 */
public interface RateLimiter {

    CompletionStage<RateDecision> acquire(String bucket, RateLimit limit, int cost);

    CompletionStage<Void> close();
}
