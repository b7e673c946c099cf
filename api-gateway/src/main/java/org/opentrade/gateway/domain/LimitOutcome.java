package org.opentrade.gateway.domain;

/**
 * What the limiter answered under the failure policy.
 *
 * @param decision the decision, or null when the shared limiter was unreachable for a fail-closed route
 * @param degraded true when the decision came from the local fallback limiter
 */
public record LimitOutcome(RateDecision decision, boolean degraded) {

    public boolean unavailable() {
        return decision == null;
    }
}
