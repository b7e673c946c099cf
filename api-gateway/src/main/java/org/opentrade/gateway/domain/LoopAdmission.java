package org.opentrade.gateway.domain;

/**
 * Shedding by how busy one event loop is, for the overload that an in-flight bound cannot see: a loop
 * whose own CPU is the bottleneck answers each request fast, so few are in flight, yet it falls behind
 * (requests wait unread in socket buffers and in the clients' connections, and their latency grows
 * without bound). Once per window the loop reports the CPU time its thread used; a window whose
 * utilization reaches {@code high} caps the rate of low-priority requests (market data, reads, platform
 * calls) at nine tenths of what it admitted in that window (when that was at least
 * {@value #MIN_RATE_TO_CAP} a second: otherwise other work keeps the loop busy), and every further saturated
 * window lowers it again; a window at or below {@code low} raises it by a tenth, or lifts it when it
 * refused nothing. In between, it holds. Orders and cancels are never refused here (the in-flight
 * bound still applies to them). Refusing costs a fraction of serving, so shedding part of the excess
 * brings the loop below saturation and what it admits keeps a bounded latency — Sentinel's system
 * protection and Envoy's overload manager act on the same signal (CPU).
 *
 * <p>Not thread-safe: one instance per event loop, called only on that loop. Times in nanoseconds
 * from {@link System#nanoTime} (passed in, for tests). Admission is a token bucket at the cap with at
 * most a tenth of a window of burst: an allocation-free comparison per request.
 */
public final class LoopAdmission {
    /** The cap never goes under this many low-priority requests a second. */
    public static final double FLOOR_PER_SECOND = 500;
    /**
     * A saturated window caps only a loop that admitted at least this many low-priority requests a second in
     * it: below that the requests are not what keeps the loop busy (other work on it is), and refusing them
     * would not help it.
     */
    public static final double MIN_RATE_TO_CAP = 1_000;
    private static final double DECREASE = 0.9;
    private static final double INCREASE = 1.1;

    private final double high;
    private final double low;
    private final long windowNanos;

    private long windowStart = Long.MIN_VALUE;
    private long cpuAtWindowStart;
    /** Low-priority requests admitted and refused in the current window. */
    private long admittedInWindow;
    private long refusedInWindow;
    /** Low-priority requests a second admitted at most; {@link Double#POSITIVE_INFINITY} when not capped. */
    private double cap = Double.POSITIVE_INFINITY;
    private double tokens;
    private long lastRefill;
    private double utilization;
    private long refused;

    /**
     * @param high        utilization (0..1] of the loop's thread at which the cap is lowered
     * @param low         utilization at or below which the cap is raised; below {@code high}
     * @param windowNanos how long one measurement lasts
     */
    public LoopAdmission(double high, double low, long windowNanos) {
        if (!(high > 0) || !(low >= 0) || low >= high || windowNanos <= 0) {
            throw new IllegalArgumentException("loop utilization bounds " + low + " < " + high
                    + " and a positive window needed, got window " + windowNanos + " ns");
        }
        this.high = high;
        this.low = low;
        this.windowNanos = windowNanos;
    }

    /**
     * The loop's thread had used {@code cpuNanos} of CPU in all at {@code now}: ends a window when one has
     * passed since the last, and adjusts the cap from its utilization.
     */
    public void sample(long now, long cpuNanos) {
        if (windowStart == Long.MIN_VALUE) {
            startWindow(now, cpuNanos);
            return;
        }
        long wall = now - windowStart;
        if (wall < windowNanos) {
            return;
        }
        utilization = Math.min(1.0, (double) (cpuNanos - cpuAtWindowStart) / wall);
        double seconds = wall / 1e9;
        double admittedRate = admittedInWindow / seconds;
        if (utilization >= high && (admittedRate >= MIN_RATE_TO_CAP || cap != Double.POSITIVE_INFINITY)) {
            double lowered = DECREASE * Math.min(admittedRate, cap);
            cap = Math.max(FLOOR_PER_SECOND, lowered);
            tokens = Math.min(tokens, burst());
        } else if (utilization <= low && cap != Double.POSITIVE_INFINITY) {
            // Nothing refused: what is asked fits under the cap, so the cap is not needed (should it be
            // again, the next saturated window sets it); else it rises a tenth a window.
            cap = refusedInWindow == 0 ? Double.POSITIVE_INFINITY : cap * INCREASE;
        }
        startWindow(now, cpuNanos);
    }

    private void startWindow(long now, long cpuNanos) {
        windowStart = now;
        cpuAtWindowStart = cpuNanos;
        admittedInWindow = 0;
        refusedInWindow = 0;
    }

    private double burst() {
        return Math.max(1, cap * windowNanos / 1e9 / 10);
    }

    /** Whether a request of this priority may go on now; a refused one is counted. */
    public boolean admit(boolean priority, long now) {
        if (priority) {
            return true;
        }
        if (cap == Double.POSITIVE_INFINITY) {
            admittedInWindow++;
            lastRefill = now;
            return true;
        }
        tokens = Math.min(burst(), tokens + (now - lastRefill) * cap / 1e9);
        lastRefill = now;
        if (tokens >= 1) {
            tokens -= 1;
            admittedInWindow++;
            return true;
        }
        refusedInWindow++;
        refused++;
        return false;
    }

    /** Low-priority requests a second admitted at most now; infinite when not capped. */
    public double cap() {
        return cap;
    }

    /** The loop thread's utilization over the last whole window (0..1). */
    public double utilization() {
        return utilization;
    }

    /** Requests refused so far. */
    public long refused() {
        return refused;
    }
}
