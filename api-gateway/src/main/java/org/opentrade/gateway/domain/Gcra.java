package org.opentrade.gateway.domain;

/**
 * The generic cell rate algorithm, as pure arithmetic on one number per bucket: the theoretical
 * arrival time ({@code tat}, microseconds). A limit of L per period P has emission interval
 * {@code T = P / L}; a request of cost c passes when {@code max(tat, now) + c·T - now <= P}, and
 * then the new tat is stored. This allows a burst of the whole limit and then one unit every T.
 *
 * <p>The Redis adapter's Lua script does exactly this arithmetic with the server's clock; a unit test
 * holds the two to the same answers.
 */
public final class Gcra {

    /** A decision and the bucket state to store ({@code newTat}; unchanged when refused). */
    public record Result(RateDecision decision, long newTat) {
    }

    private Gcra() {
    }

    /** Emission interval in microseconds, at least 1. */
    public static long intervalMicros(RateLimit limit) {
        return Math.max(1, limit.periodMillis() * 1000 / limit.limit());
    }

    /**
     * @param tat       the stored theoretical arrival time in µs (0 for a new bucket)
     * @param nowMicros the clock in µs
     * @param cost      units asked for; 0 only reads
     */
    public static Result decide(long tat, long nowMicros, RateLimit limit, int cost) {
        if (cost < 0) {
            throw new IllegalArgumentException("cost must not be negative: " + cost);
        }
        long t = intervalMicros(limit);
        long period = limit.periodMillis() * 1000;
        long base = Math.max(tat, nowMicros);
        long candidate = base + cost * t;
        if (candidate - nowMicros <= period) {
            long remaining = Math.min(limit.limit(), (period - (candidate - nowMicros)) / t);
            long reset = candidate - nowMicros;
            return new Result(new RateDecision(true, limit.limit(), remaining, ceilMillis(reset), 0), candidate);
        }
        long remaining = Math.max(0, (period - (base - nowMicros)) / t);
        long retryAfter = candidate - nowMicros - period;
        return new Result(new RateDecision(false, limit.limit(), remaining, ceilMillis(base - nowMicros),
                Math.max(1, ceilMillis(retryAfter))), tat);
    }

    private static long ceilMillis(long micros) {
        return (micros + 999) / 1000;
    }
}
