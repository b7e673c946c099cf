package org.opentrade.gateway.adapter.http;

/**
 * How many requests one event loop serves at once before it sheds ({@link OverloadFilter}).
 * Immutable; validated by the config.
 *
 * @param maxInFlightPerEventLoop   requests in flight per event loop, from admission until their
 *                                  answer ends; more are answered 503 -9004 at once
 * @param inFlightReservedForOrders of those, the slots only order entry and cancels may take
 * @param maxEventLoopUtilization   the share of its thread's time (CPU over wall clock, per 100 ms) at which an
 *                                  event loop caps the rate of everything but orders and cancels
 *                                  ({@link org.opentrade.gateway.domain.LoopAdmission}); 0 turns that off
 */
public record OverloadLimits(int maxInFlightPerEventLoop, int inFlightReservedForOrders, double maxEventLoopUtilization) {
    /**
     * Near saturation but not at it: a loop busy 95 % of the time still answers each connection within a few
     * loop turns, while a saturated one lets requests wait unread without bound.
     */
    public static final double DEFAULT_MAX_EVENT_LOOP_UTILIZATION = 0.95;
    /** The cap is raised again at or below this much less than {@link #maxEventLoopUtilization}. */
    public static final double UTILIZATION_HYSTERESIS = 0.10;
    /**
     * About 100 ms of work for one loop at 10 000 req/s: enough to ride out a burst, short enough that
     * an admitted request is not stale by the time it is served.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_EVENT_LOOP = 1000;
    /** A tenth kept for orders and cancels. */
    public static final int DEFAULT_IN_FLIGHT_RESERVED_FOR_ORDERS = 100;

    public OverloadLimits {
        if (maxEventLoopUtilization != 0 && !(maxEventLoopUtilization >= 0.5 && maxEventLoopUtilization <= 1)) {
            throw new IllegalArgumentException("max_event_loop_utilization " + maxEventLoopUtilization
                    + ": need 0 (off) or 0.5 to 1");
        }
        if (maxInFlightPerEventLoop < 1 || inFlightReservedForOrders < 0
                || inFlightReservedForOrders >= maxInFlightPerEventLoop) {
            throw new IllegalArgumentException("max_in_flight_per_event_loop " + maxInFlightPerEventLoop
                    + " with in_flight_reserved_for_orders " + inFlightReservedForOrders
                    + ": need at least 1, and a reserve from 0 to one below it");
        }
    }

    /** As the canonical constructor, with the default utilization bound. */
    public OverloadLimits(int maxInFlightPerEventLoop, int inFlightReservedForOrders) {
        this(maxInFlightPerEventLoop, inFlightReservedForOrders, DEFAULT_MAX_EVENT_LOOP_UTILIZATION);
    }

    /** Whether loops cap their admission rate by their utilization. */
    public boolean utilizationBounded() {
        return maxEventLoopUtilization > 0;
    }

    public static OverloadLimits defaults() {
        return new OverloadLimits(DEFAULT_MAX_IN_FLIGHT_PER_EVENT_LOOP, DEFAULT_IN_FLIGHT_RESERVED_FOR_ORDERS,
                DEFAULT_MAX_EVENT_LOOP_UTILIZATION);
    }
}
