package org.opentrade.gateway.adapter.http;

/**
 * How many requests one event loop serves at once before it sheds ({@link OverloadFilter}).
 * Immutable; validated by the config.
 *
 * @param maxInFlightPerEventLoop   requests in flight per event loop, from admission until their
 *                                  answer ends; more are answered 503 -9004 at once
 * @param inFlightReservedForOrders of those, the slots only order entry and cancels may take
 */
public record OverloadLimits(int maxInFlightPerEventLoop, int inFlightReservedForOrders) {
    /**
     * About 100 ms of work for one loop at 10 000 req/s: enough to ride out a burst, short enough that
     * an admitted request is not stale by the time it is served.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_EVENT_LOOP = 1000;
    /** A tenth kept for orders and cancels. */
    public static final int DEFAULT_IN_FLIGHT_RESERVED_FOR_ORDERS = 100;

    public OverloadLimits {
        if (maxInFlightPerEventLoop < 1 || inFlightReservedForOrders < 0
                || inFlightReservedForOrders >= maxInFlightPerEventLoop) {
            throw new IllegalArgumentException("max_in_flight_per_event_loop " + maxInFlightPerEventLoop
                    + " with in_flight_reserved_for_orders " + inFlightReservedForOrders
                    + ": need at least 1, and a reserve from 0 to one below it");
        }
    }

    public static OverloadLimits defaults() {
        return new OverloadLimits(DEFAULT_MAX_IN_FLIGHT_PER_EVENT_LOOP, DEFAULT_IN_FLIGHT_RESERVED_FOR_ORDERS);
    }
}
