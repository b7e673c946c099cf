package org.opentrade.exchange.model;

/**
 * The session schedule. Pure function of time (epoch milliseconds), so a replayed journal sees the
 * same phases. The engine asks for the next boundary only when a command's time passes the
 * previous one, so lookups are off the hot path.
 */
public interface TradingCalendar {

    /** Phase in force at {@code epochMillis}. */
    SessionPhase phaseAt(long epochMillis);

    /** The first instant strictly after {@code epochMillis} at which the phase or the trading day changes. */
    long nextBoundaryAfter(long epochMillis);

    /** True when {@code boundary} (a value from {@link #nextBoundaryAfter}) ends a trading day: DAY orders expire. */
    boolean isTradingDayEnd(long boundary);
}
