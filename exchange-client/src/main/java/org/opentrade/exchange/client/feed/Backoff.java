package org.opentrade.exchange.client.feed;

/**
 * Exponential retry delays: initial, doubling up to max, back to initial after {@link #reset}. No
 * jitter: consumers are few and the exchange answers each request independently. Not thread-safe.
 */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    Backoff(long initialMillis, long maxMillis) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.nextMillis = initialMillis;
    }

    /** The delay to wait now; the one after is twice as long (capped). */
    long next() {
        long d = nextMillis;
        nextMillis = Math.min(maxMillis, d * 2);
        return d;
    }

    void reset() {
        nextMillis = initialMillis;
    }
}
