package org.opentrade.gateway.domain;

/**
 * A limit of {@code limit} units per {@code periodMillis}, allowing a burst of the whole limit
 * (GCRA with emission interval {@code period / limit} and burst tolerance {@code period - interval}).
 */
public record RateLimit(long limit, long periodMillis) {

    public RateLimit {
        if (limit <= 0 || periodMillis <= 0) {
            throw new IllegalArgumentException("limit and period must be positive: " + limit + "/" + periodMillis + "ms");
        }
    }

    /** The same period with the limit divided by {@code parts} (at least 1): a per-gateway share. */
    public RateLimit share(int parts) {
        return new RateLimit(Math.max(1, limit / Math.max(1, parts)), periodMillis);
    }
}
