package org.opentrade.gateway.domain;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on requests in flight, with headroom that only orders and cancels may use: load shedding
 * in the manner of Envoy's overload manager and its per-cluster request limits. Past the bound a
 * request is refused at once (the caller answers 503 -9004 with {@code Retry-After}) instead of
 * waiting in a queue, so what is admitted keeps its latency while the excess costs one short answer.
 *
 * <p>Market data, reads and platform calls are admitted while fewer than {@code max - reserved} are
 * in flight; {@link #priority priority} classes (order entry, cancels) up to {@code max}. So when
 * market data is at its bound an order is still admitted, and a cancel is never shed before market
 * data.
 *
 * <p>Thread-safe (one compare-and-set per admission). One instance per event loop or per upstream
 * pool; every {@link #tryAcquire} that returned true must be matched by exactly one {@link #release}.
 */
public final class InFlightLimit {
    private final int max;
    private final int lowPriorityMax;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong shed = new AtomicLong();

    /**
     * @param max      requests in flight at most (priority classes); at least 1
     * @param reserved of those, how many only priority classes may take; 0 to {@code max - 1}
     */
    public InFlightLimit(int max, int reserved) {
        if (max < 1 || reserved < 0 || reserved >= max) {
            throw new IllegalArgumentException("in-flight bound " + max + " with " + reserved
                    + " reserved for orders: need max >= 1 and 0 <= reserved < max");
        }
        this.max = max;
        this.lowPriorityMax = max - reserved;
    }

    /** Whether a route class may use the headroom reserved for orders: order entry and cancels. */
    public static boolean priority(RouteClass routeClass) {
        return routeClass == RouteClass.ORDER_ENTRY || routeClass == RouteClass.CANCEL;
    }

    /** Takes a slot if one is free for this priority; false (and counted as shed) otherwise. Never blocks. */
    public boolean tryAcquire(boolean priority) {
        int limit = priority ? max : lowPriorityMax;
        while (true) {
            int n = inFlight.get();
            if (n >= limit) {
                shed.incrementAndGet();
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Whether {@link #tryAcquire} would take a slot now; takes none. */
    public boolean admits(boolean priority) {
        return inFlight.get() < (priority ? max : lowPriorityMax);
    }

    /** Counts a request refused without {@link #tryAcquire} (checked with {@link #admits}). */
    public void countShed() {
        shed.incrementAndGet();
    }

    /** Gives back a slot taken by {@link #tryAcquire}. */
    public void release() {
        inFlight.decrementAndGet();
    }

    /** Requests in flight now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests refused so far. */
    public long shed() {
        return shed.get();
    }

    public int max() {
        return max;
    }

    /** The bound for market data, reads and platform calls. */
    public int lowPriorityMax() {
        return lowPriorityMax;
    }
}
